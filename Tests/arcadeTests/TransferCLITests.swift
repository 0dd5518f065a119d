import Foundation
import Testing

let tinyConfiguration = """
  name: tiny-cli
  summary: "A tiny run from the CLI tests."
  trainOn: breakout/standard
  evaluateOn: [breakout/small, breakout/juggling]
  agents: [random, tracker]
  seeds: [0, 1]
  episodesPerSeed: 2
  maxEpisodeSteps: 200

  """

/// Runs `arcade transfer` on `configuration` (written to `<scratch>/tiny.yaml`) with the report in
/// `<scratch>/report`; `prepare` runs first in the scratch folder. Returns the run and the report files.
func transfer(_ configuration: String, threads: Int = 2, prepare: (URL) throws -> Void = { _ in },
              inspect: (URL) throws -> Void = { _ in }) throws -> (Run, [String]) {
  try withScratch { folder in
    let config = folder.appendingPathComponent("tiny.yaml")
    try Data(configuration.utf8).write(to: config)
    let report = folder.appendingPathComponent("report")
    try prepare(report)
    let run = try arcade(["transfer", config.path, "--out", report.path, "--quiet", "--threads", "\(threads)"], in: folder)
    let files = (try? FileManager.default.contentsOfDirectory(atPath: report.path).sorted()) ?? []
    try inspect(report)
    return (run, files)
  }
}

@Test func transferWritesTheReportFiles() throws {
  var csv = "", markdown = ""
  var json: [String: Any] = [:]
  let (run, files) = try transfer(tinyConfiguration, inspect: { report in
    csv = try String(contentsOf: report.appendingPathComponent("results.csv"), encoding: .utf8)
    markdown = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
    let data = try Data(contentsOf: report.appendingPathComponent("results.json"))
    json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
  })
  #expect(run.status == 0, "\(run.stderr)")
  #expect(files == ["chart.svg", "report.md", "results.csv", "results.json"])
  // 2 agents × 2 variants × 2 seeds × 2 episodes, plus the header.
  let rows = csv.split(separator: "\n")
  #expect(rows.count == 1 + 16)
  #expect(rows.first == "agent,variant,seed,episode,episodeSeed,return,length,outcome,trainingRun")
  #expect(rows.dropFirst().allSatisfy { Int($0.split(separator: ",")[6]).map { 1...200 ~= $0 } ?? false })
  #expect(markdown.hasPrefix("# Zero-shot transfer: tiny-cli"))
  #expect(run.stdout.contains(markdown.trimmingCharacters(in: .newlines)), "stdout should echo the report")
  #expect(json["name"] as? String == "tiny-cli")
  #expect((json["cells"] as? [Any])?.count == 4)
  #expect(run.stderr.isEmpty, "--quiet should print no progress: \(run.stderr)")
}

@Test func transferResultsDoNotDependOnThreads() throws {
  var one = "", two = ""
  let (a, _) = try transfer(tinyConfiguration, threads: 1, inspect: {
    one = try String(contentsOf: $0.appendingPathComponent("results.csv"), encoding: .utf8)
  })
  let (b, _) = try transfer(tinyConfiguration, threads: 2, inspect: {
    two = try String(contentsOf: $0.appendingPathComponent("results.csv"), encoding: .utf8)
  })
  #expect(a.status == 0 && b.status == 0)
  #expect(!one.isEmpty)
  #expect(one == two)
}

@Test func transferWithAnUnknownKeyFailsAndLeavesTheOldReportUntouched() throws {
  let bad = tinyConfiguration.replacingOccurrences(of: "episodesPerSeed: 2", with: "episodesPerSed: 2")
  #expect(bad != tinyConfiguration)
  let old = "# an earlier report\n"
  var kept = ""
  let (run, files) = try transfer(bad, prepare: { report in
    try FileManager.default.createDirectory(at: report, withIntermediateDirectories: true)
    try Data(old.utf8).write(to: report.appendingPathComponent("report.md"))
  }, inspect: { report in
    kept = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
  })
  #expect(run.status != 0)
  #expect(run.stderr.contains("tiny.yaml"))
  #expect(run.stderr.contains("episodesPerSed"))
  #expect(run.stderr.contains("did you mean 'episodesPerSeed'"))
  #expect(files == ["report.md"])
  #expect(kept == old)
}

@Test func transferWithAnUnknownAgentNamesTheAgentsKey() throws {
  let bad = tinyConfiguration.replacingOccurrences(of: "agents: [random, tracker]", with: "agents: [random, oracle]")
  #expect(bad != tinyConfiguration)
  let (run, files) = try transfer(bad)
  #expect(run.status != 0)
  #expect(run.stderr.contains("tiny.yaml"))
  #expect(run.stderr.contains("key 'agents'"))
  #expect(run.stderr.contains("oracle"))
  #expect(files.isEmpty)
}

@Test func transferOfAMissingConfigurationFails() throws {
  let run = try withScratch { try arcade(["transfer", "no-such-config.yaml", "--quiet"], in: $0) }
  #expect(run.status != 0)
  #expect(run.stderr.contains("no-such-config.yaml"))
}
