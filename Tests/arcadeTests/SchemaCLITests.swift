import Foundation
import Testing

/// The schema agent through every command that trains, shows, checks, plays, records and benchmarks it.
@Test func schemaAgentTrainsShowsChecksPlaysAndRecords() throws {
  try withScratch { folder in
    let trained = try arcade(["train", "--agent", "schema", "--env", "breakout/small", "--steps", "2000", "--out", "run", "--quiet"],
                             in: folder)
    #expect(trained.status == 0 && trained.stdout.contains("trained 2000 steps"), "\(trained.stdout)\(trained.stderr)")
    let info = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("run/run.json"))) as? [String: Any]
    #expect(info?["kind"] as? String == "schema" && (info?["schemas"] as? Int ?? 0) > 0 && info?["learnedSHA256"] is String)
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("run/rules.json").path))

    let shown = try arcade(["schemas", "show", "run"], in: folder)
    #expect(shown.status == 0 && shown.stdout.contains("⇒") && shown.stdout.contains("support"), "\(shown.stderr)")

    let checked = try arcade(["schemas", "check", "run", "--env", "breakout/standard", "--steps", "200", "--json"], in: folder)
    #expect(checked.status == 0, "\(checked.stderr)")
    let line = try jsonObject(try #require(checked.lines.last))
    #expect(Set(line.keys) == ["env", "steps", "ballPositionAccuracy", "stochasticSteps", "outcomeCoverage", "novelSteps",
                               "coverageByRules", "cellAccuracy", "rewardPrecision", "rewardRecall", "uncovered"])
    #expect(line["steps"] as? Int == 200 && line["env"] as? String == "breakout/standard")

    let played = try arcade(["rollout", "--env", "breakout/offset-paddle", "--agent", "run", "--episodes", "1", "--max-steps", "200",
                             "--json"], in: folder)
    #expect(played.status == 0 && played.lines.count == 2, "\(played.stderr)")
    let recorded = try arcade(["record", "--env", "breakout/small", "--agent", "run", "--max-steps", "60", "--overlay",
                               "--out", "run.gif"], in: folder)
    #expect(recorded.status == 0, "\(recorded.stderr)")
    let bench = try arcade(["bench", "agent", "--agent", "run", "--env", "breakout/small", "--episodes", "1", "--max-steps", "100"],
                           in: folder)
    #expect(bench.status == 0, "\(bench.stderr)")
    let rate = try jsonObject(try #require(bench.lines.first))["actionsPerSecond"] as? Double
    #expect((rate ?? 0) > 0)

    let notSchema = try arcade(["schemas", "show", "nowhere"], in: folder)
    #expect(notSchema.status != 0 && notSchema.stderr.contains("nowhere is not a run folder"), "\(notSchema.stderr)")
  }
}
