import EnvironmentCore
import EnvironmentTesting
import Foundation
import Testing

@Test func transferWithGIFsAttachesOneDecodableGIFPerAgentAndVariant() throws {
  try withScratch { folder in
    let config = folder.appendingPathComponent("tiny.yaml")
    try Data(tinyConfiguration.utf8).write(to: config)
    let report = folder.appendingPathComponent("report")
    let run = try arcade(["transfer", config.path, "--out", report.path, "--quiet", "--gifs"], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    let gifs = try FileManager.default.contentsOfDirectory(atPath: report.appendingPathComponent("gifs").path).sorted()
    #expect(gifs == ["random--breakout-juggling.gif", "random--breakout-small.gif", "tracker--breakout-juggling.gif", "tracker--breakout-small.gif"])
    let small = try GIFDecoder.decode([UInt8](Data(contentsOf: report.appendingPathComponent("gifs/tracker--breakout-small.gif"))))
    #expect(small.frames.count >= 2 && small.frames.count <= 201 && small.frames[0].width == 108)
    let markdown = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(markdown.contains("## Recordings") && markdown.contains("(gifs/tracker--breakout-small.gif)"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report.appendingPathComponent("results.json"))) as? [String: Any]
    #expect((json?["recordings"] as? [Any])?.count == 4)
  }
}
