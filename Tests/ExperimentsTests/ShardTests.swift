import Evaluation
import Experiments
import Foundation
import Testing

/// The tiny configuration on three variants: 2 agents × 3 variants = 6 cells.
private let sixCells = tinyConfiguration.replacingOccurrences(
  of: "evaluateOn: [breakout/small, breakout/standard]", with: "evaluateOn: [breakout/small, breakout/standard, breakout/juggling]")

/// The four report files of `report` as written, the timing line and fields set to fixed values.
private func reportFiles(_ report: TransferReport) throws -> [String: Data] {
  var report = report
  report.generatedAt = "2026-01-01T00:00:00Z"
  report.wallSeconds = 1
  return try withTemporaryProject { project in
    let folder = project.root.appendingPathComponent("out")
    try TransferExperiment.write(report, to: folder)
    return try Dictionary(uniqueKeysWithValues: ["report.md", "results.json", "results.csv", "chart.svg"].map {
      ($0, try Data(contentsOf: folder.appendingPathComponent($0)))
    })
  }
}

@Test(arguments: [1, 2, 4, 7])
func mergedShardsGiveTheUnshardedReport(shards: Int) throws {
  let (whole, merged, cellsPerShard) = try withTemporaryProject { project in
    try project.copyVariants(["standard", "small", "juggling"])
    let url = try project.write("configs/tiny.yaml", sixCells)
    let experiment = try TransferExperiment(configuration: url, files: project.files)
    let folder = project.root.appendingPathComponent("shards")
    var cells: [Int] = []
    // Shards run in reverse order and on different thread counts: neither may matter.
    for index in (0..<shards).reversed() {
      let shard = try Shard(index: index, count: shards)
      let part = try experiment.run(threads: 1 + index % 2, progress: nil, shard: shard)
      cells.append(part.cells.count)
      try ShardResult(shard: shard, fingerprint: experiment.fingerprint, report: part).write(to: folder.appendingPathComponent(shard.fileName))
    }
    return (try experiment.run(threads: 2, progress: nil), try ShardMerge.merge([folder], allowPartial: false).report, cells)
  }
  #expect(cellsPerShard.reduce(0, +) == 6)
  #expect(cellsPerShard.allSatisfy { $0 >= 6 / shards && $0 <= (6 + shards - 1) / shards }, "no cell is split, none twice")
  let (a, b) = (try reportFiles(whole), try reportFiles(merged))
  for name in a.keys.sorted() { #expect(a[name] == b[name], "\(name) differs with \(shards) shards") }
}

@Test func mergeNamesMissingShardsAndRefusesMixedRuns() throws {
  try withTemporaryProject { project in
    try project.copyVariants(["standard", "small", "juggling"])
    let url = try project.write("configs/tiny.yaml", sixCells)
    let experiment = try TransferExperiment(configuration: url, files: project.files)
    let folder = project.root.appendingPathComponent("run/shards")
    for index in [0, 2] {
      let shard = try Shard(index: index, count: 3)
      let part = try experiment.run(threads: 1, progress: nil, shard: shard)
      try ShardResult(shard: shard, fingerprint: experiment.fingerprint, report: part).write(to: folder.appendingPathComponent(shard.fileName))
    }
    try project.write("run/logs/evaluate-1.log", "killed\n")
    let missing = configurationError { try ShardMerge.merge([folder], allowPartial: false) }
    #expect(missing.contains("1 of 3 shards have no result"))
    #expect(missing.contains("shard 1/3 (log: \(project.root.appendingPathComponent("run/logs/evaluate-1.log").path))"))
    // Allowed, the partial report lists the lost shard's cells (1 and 4 of six) as not evaluated.
    let (partial, lost) = try ShardMerge.merge([folder], allowPartial: true)
    #expect(lost.map(\.index) == [1])
    #expect(partial.cells.count == 4)
    #expect(partial.skipped.map { "\($0.agent) \($0.variant)" } == ["random breakout/standard", "tracker breakout/standard"])
    // A shard of another split, or of other inputs, is refused.
    let other = try Shard(index: 1, count: 4)
    try ShardResult(shard: other, fingerprint: experiment.fingerprint, report: partial).write(to: folder.appendingPathComponent(other.fileName))
    #expect(configurationError { try ShardMerge.merge([folder], allowPartial: true) }.contains("of another run"))
    try FileManager.default.removeItem(at: folder.appendingPathComponent(other.fileName))
    let shard = try Shard(index: 1, count: 3)
    try ShardResult(shard: shard, fingerprint: "other", report: partial).write(to: folder.appendingPathComponent(shard.fileName))
    #expect(configurationError { try ShardMerge.merge([folder], allowPartial: true) }.contains("of another run"))
    // A finished shard is found only for the same inputs.
    #expect(experiment.finishedShard(try Shard(index: 0, count: 3), in: folder) != nil)
    #expect(experiment.finishedShard(shard, in: folder) == nil)
  }
}

@Test(arguments: [("3/4", ""), ("4/4", "between 0 and 3"), ("0/0", "between 1 and 10000"), ("-1/2", "between 0 and 1"),
                  ("1", "expected I/N"), ("a/b", "expected I/N"), ("1/2/3", "expected I/N")])
func shardArgumentsAreChecked(text: String, message: String) throws {
  if message.isEmpty {
    let shard = try Shard(parsing: text)
    #expect((0..<12).filter(shard.owns) == [3, 7, 11])
  } else {
    #expect(configurationError { try Shard(parsing: text) }.contains(message))
  }
}

@Test func slurmScriptsChainTrainingEvaluationAndMerge() throws {
  #expect(SlurmSweep.arraySpec([5, 0, 1, 2, 3, 7, 8]) == "0-3,5,7-8")
  var sweep = SlurmSweep(folder: URL(fileURLWithPath: "/s"), executable: "/bin/arcade", root: "/p", configuration: "/p/configs/x.yaml",
                         report: "/p/reports/x", name: "x", trainingRuns: 3, trainingToRun: [0, 2], shards: 4, shardsToRun: [1, 2, 3],
                         partition: "long", time: "30", cpus: 2)
  let train = try #require(sweep.trainScript), evaluate = try #require(sweep.evaluateScript)
  #expect(train.contains("#SBATCH --array=0,2\n") && train.contains("--train-only --shard \"$SLURM_ARRAY_TASK_ID/3\""))
  #expect(evaluate.contains("#SBATCH --array=1-3\n") && evaluate.contains("--out '/s' --shard \"$SLURM_ARRAY_TASK_ID/4\""))
  #expect(evaluate.contains("#SBATCH --partition=long\n") && evaluate.contains("#SBATCH --output=/s/logs/evaluate-%a.log\n"))
  #expect(sweep.mergeScript.contains("report merge '/s/shards' --out '/p/reports/x'"))
  let submit = sweep.submitScript.split(separator: "\n").filter { $0.contains("sbatch") }
  #expect(submit.map { $0.split(separator: " ").last! } == ["train.sbatch)", "evaluate.sbatch)", "merge.sbatch)"])
  // Everything trained: no training array, evaluation first.
  sweep.trainingToRun = []
  #expect(sweep.trainScript == nil)
  #expect(sweep.submitScript.split(separator: "\n").filter { $0.contains("sbatch") }.count == 2)
}
