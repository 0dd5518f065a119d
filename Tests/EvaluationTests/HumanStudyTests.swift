import Evaluation
import Foundation
import Testing

private func episode(_ env: String, _ i: Int, steps: Int, won: Bool, seconds: Double, extra: [String: Double] = [:]) -> HumanEpisode {
  HumanEpisode(env: env, episode: i, seed: UInt64(i) &* 7, steps: steps, totalReturn: won ? 1 : 0, won: won,
               wallSeconds: seconds, ending: won ? "terminated" : "restarted", extra: extra)
}

@Test func episodesAppendAsJSONLinesAndReadBack() throws {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("human-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  let log = folder.appendingPathComponent("logs/alice.jsonl")
  let episodes = [episode("priors/original", 0, steps: 120, won: false, seconds: 10.5),
                  episode("priors/original", 1, steps: 300, won: true, seconds: 31.25, extra: ["uniqueCells": 40])]
  for e in episodes { try e.append(to: log) }
  let text = try String(contentsOf: log, encoding: .utf8)
  #expect(text.split(separator: "\n").count == 2)
  #expect(text.hasPrefix("{\"ending\":\"restarted\",\"env\":\"priors/original\",\"episode\":0,"))
  #expect(text.contains("\"return\":0"))
  #expect(try HumanEpisode.read(text, file: "alice.jsonl") == episodes)
}

@Test func aBadLineIsAnErrorNamingFileAndLine() {
  #expect(throws: HumanStudyError.self) { try HumanEpisode.read("\n{\"env\":1}\n", file: "bob.jsonl") }
  do {
    _ = try HumanEpisode.read("\n{\"env\":1}\n", file: "bob.jsonl")
  } catch {
    #expect("\(error)".hasPrefix("bob.jsonl:2:"))
  }
}

@Test func theReportAveragesPlayersTotals() throws {
  let alice = [episode("a/x", 0, steps: 100, won: false, seconds: 10), episode("a/x", 1, steps: 200, won: true, seconds: 20),
               episode("b/y", 0, steps: 50, won: false, seconds: 5)]
  let bob = [episode("a/x", 0, steps: 500, won: false, seconds: 60, extra: ["uniqueCells": 12])]
  let report = try HumanStudyReport(players: [("alice", alice), ("bob", bob)])
  #expect(report.rows.map(\.env) == ["a/x", "b/y"])
  let x = report.rows[0]
  #expect(x.players == 2 && x.episodes == 3 && x.winners == 1)
  #expect(x.seconds.mean == 45)  // alice 30 s, bob 60 s
  #expect(x.deaths.mean == 1)  // one each
  #expect(x.steps.mean == 400)  // 300 and 500
  #expect(abs(x.steps.standardDeviation - 141.421356) < 1e-4)
  #expect(x.extra["uniqueCells"]?.mean == 6)  // 0 for alice, 12 for bob
  let markdown = report.markdown()
  #expect(markdown.hasPrefix("| Game | Players | Episodes | Time (s) | Deaths | Steps | Won | uniqueCells |\n"))
  #expect(markdown.contains("| a/x | 2 | 3 | 45.0 ± 21.2 | 1.0 ± 0.0 | 400 ± 141 | 1/2 | 6.0 ± 8.5 |"))
  #expect(markdown.contains("| b/y | 1 | 1 | 5.0 ± 0.0 | 1.0 ± 0.0 | 50 ± 0 | 0/1 | 0.0 ± 0.0 |"))
}

@Test func aReportOfNothingIsAnError() {
  #expect(throws: HumanStudyError.self) { try HumanStudyReport(players: [("empty", [])]) }
}
