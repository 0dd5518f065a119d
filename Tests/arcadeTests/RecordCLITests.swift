import EnvironmentCore
import EnvironmentTesting
import Foundation
import Testing

// The arcade binary under test is the plain build (no SDL trait): `play` and `watch` must explain how to
// get the viewer. The SDL build is exercised by .ci/run.

@Test func recordWritesAGIFThatDecodesToEveryFrame() throws {
  try withScratch { folder in
    let run = try arcade(["record", "--env", "breakout/small", "--agent", "tracker", "--episodes", "2", "--seed", "3",
                          "--max-steps", "40", "--scale", "2", "--fps", "25", "--out", "run.gif"], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("82 frames"), "\(run.stdout)")  // two episodes capped at 40 steps: 2 × (1 + 40)
    let gif = try GIFDecoder.decode([UInt8](Data(contentsOf: folder.appendingPathComponent("run.gif"))))
    #expect(gif.frames.count == 82)
    #expect(gif.frames.allSatisfy { $0.width == 108 && $0.height == 134 }, "small is 54 × 67, scale 2")
    #expect(gif.delays.allSatisfy { $0 == 4 })
    #expect(gif.loopCount == 0)
    #expect(try contents(folder) == ["run.gif"], "no temporary files left behind")
  }
}

@Test func recordWritesPNGFramesThatMatchTheGIF() throws {
  try withScratch { folder in
    let run = try arcade(["record", "--env", "breakout/standard", "--agent", "random", "--max-steps", "12", "--scale", "1",
                          "--out", "run.gif", "--frames", "frames"], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("frames").path).sorted()
    #expect(names == (0...12).map { String(format: "frame-%06d.png", $0) })
    let gif = try GIFDecoder.decode([UInt8](Data(contentsOf: folder.appendingPathComponent("run.gif"))))
    for (i, name) in names.enumerated() {
      let png = try PNGDecoder.decode([UInt8](Data(contentsOf: folder.appendingPathComponent("frames/\(name)"))))
      #expect(png == gif.frames[i], "\(name)")
    }
  }
}

@Test func recordedFramesAreTheRenderedFrames() throws {
  // The last frame of a capped episode is what `arcade render` draws after as many steps of the same agent.
  try withScratch { folder in
    let record = try arcade(["record", "--env", "breakout/middle-wall", "--seed", "4", "--max-steps", "30", "--scale", "1",
                             "--out", "run.gif"], in: folder)
    #expect(record.status == 0, "\(record.stderr)")
    let render = try arcade(["render", "--env", "breakout/middle-wall", "--seed", "4", "--steps", "30", "--out", "frame.png"], in: folder)
    #expect(render.status == 0, "\(render.stderr)")
    let gif = try GIFDecoder.decode([UInt8](Data(contentsOf: folder.appendingPathComponent("run.gif"))))
    let png = try PNGDecoder.decode([UInt8](Data(contentsOf: folder.appendingPathComponent("frame.png"))))
    #expect(gif.frames.last == png)
  }
}

@Test func recordRejectsBadOptionsInOneLine() throws {
  try withScratch { folder in
    for arguments in [["--out", "run.png"], ["--fps", "0", "--out", "a.gif"], [String]()] {
      let run = try arcade(["record", "--env", "breakout/small"] + arguments, in: folder)
      #expect(run.status != 0, "\(arguments)")
      #expect(run.stderr.contains("Error:"), "\(arguments): \(run.stderr)")
    }
  }
}

@Test(arguments: [["play", "--env", "breakout/standard"], ["watch", "--env", "breakout/standard", "--agent", "tracker"]])
func withoutTheViewerPlayAndWatchExplainInOneLine(arguments: [String]) throws {
  let run = try withScratch { try arcade(arguments, in: $0) }
  #expect(run.status != 0)
  let lines = run.stderr.split(separator: "\n")
  #expect(lines.count == 1, "\(run.stderr)")
  #expect(run.stderr.contains("apt-get install libsdl2-dev"))
  #expect(run.stderr.contains("swift build --traits SDL"))
}

@Test func reportHumansSummarisesLogs() throws {
  try withScratch { folder in
    let alice = """
      {"ending":"terminated","env":"breakout/standard","episode":0,"extra":{},"return":0,"seed":1,"steps":100,"wallSeconds":10,"won":false}
      {"ending":"terminated","env":"breakout/standard","episode":1,"extra":{},"return":3,"seed":2,"steps":300,"wallSeconds":20,"won":true}

      """
    let bob = """
      {"ending":"quit","env":"breakout/standard","episode":0,"extra":{},"return":0,"seed":1,"steps":200,"wallSeconds":50,"won":false}

      """
    try alice.write(to: folder.appendingPathComponent("alice.jsonl"), atomically: true, encoding: .utf8)
    try bob.write(to: folder.appendingPathComponent("bob.jsonl"), atomically: true, encoding: .utf8)
    let run = try arcade(["report", "humans", "alice.jsonl", "bob.jsonl", "--out", "table.md"], in: folder, root: nil)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.lines.first == "| Game | Players | Episodes | Time (s) | Deaths | Steps | Won |")
    #expect(run.lines.contains("| breakout/standard | 2 | 3 | 40.0 ± 14.1 | 1.0 ± 0.0 | 300 ± 141 | 1/2 |"), "\(run.stdout)")
    #expect(try String(contentsOf: folder.appendingPathComponent("table.md"), encoding: .utf8) == run.stdout)

    try "not json\n".write(to: folder.appendingPathComponent("bad.jsonl"), atomically: true, encoding: .utf8)
    let bad = try arcade(["report", "humans", "bad.jsonl"], in: folder, root: nil)
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("bad.jsonl:1:"))
  }
}
