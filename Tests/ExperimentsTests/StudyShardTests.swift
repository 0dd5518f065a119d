import Evaluation
import Experiments
import Foundation
import Testing

/// The study's four report files as written, with the timings (the generated line, each cell's seconds) fixed.
private func studyFiles(_ report: PriorStudyReport) throws -> [String: Data] {
  var report = report
  report.generatedAt = "2026-01-01T00:00:00Z"
  report.cells = report.cells.map { var cell = $0; cell.seconds = 1; return cell }
  report.cellSeconds = Double(report.cells.count)
  return try withTemporaryProject { project in
    let folder = project.root.appendingPathComponent("out")
    try PriorStudy.write(report, to: folder)
    return try Dictionary(uniqueKeysWithValues: ["report.md", "results.json", "results.csv", "chart.svg"].map {
      ($0, try Data(contentsOf: folder.appendingPathComponent($0)))
    })
  }
}

/// The tiny study on seven seeds: 7 cells.
private func writeSevenCellStudy(_ project: TemporaryProject) throws -> URL {
  let config = try writeStudyProject(project, budget: 400)
  let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "seeds: [0, 1]", with: "seeds: [0, 1, 2, 3, 4, 5, 6]")
  return try project.write("configs/study.yaml", text)
}

@Test(arguments: [1, 2, 4, 7])
func mergedStudyShardsGiveTheUnshardedReport(shards: Int) throws {
  let (whole, merged, cellsPerShard) = try withTemporaryProject { project in
    let study = try PriorStudy(configuration: writeSevenCellStudy(project), files: project.files)
    let folder = project.root.appendingPathComponent("sharded")
    var cells: [Int] = []
    // Shards played in reverse order on different thread counts, into a folder of their own (no kept cells).
    for index in (0..<shards).reversed() {
      let shard = try Shard(index: index, count: shards)
      let result = study.runShard(shard, folder: folder, threads: 1 + index % 2, progress: nil)
      cells.append(result.report.cells.count)
      try result.write(to: folder.appendingPathComponent("shards/\(shard.fileName)"))
    }
    let shardsFolder = folder.appendingPathComponent("shards")
    #expect(try StudyShardMerge.holdsStudyShards([shardsFolder]))
    let whole = study.run(folder: project.root.appendingPathComponent("whole"), threads: 2, progress: nil)
    return (whole, try StudyShardMerge.merge([shardsFolder], allowPartial: false).report, cells)
  }
  #expect(cellsPerShard.reduce(0, +) == 7)
  #expect(cellsPerShard.allSatisfy { $0 >= 7 / shards && $0 <= (7 + shards - 1) / shards }, "no cell split, none twice")
  #expect(merged.cells.map(\.seed) == [0, 1, 2, 3, 4, 5, 6])
  let (a, b) = (try studyFiles(whole), try studyFiles(merged))
  for name in a.keys.sorted() { #expect(a[name] == b[name], "\(name) differs with \(shards) shards") }
}

@Test func studyMergeNamesMissingShardsAndListsTheirCells() throws {
  try withTemporaryProject { project in
    let study = try PriorStudy(configuration: writeSevenCellStudy(project), files: project.files)
    let folder = project.root.appendingPathComponent("run")
    for index in [0, 2] {
      let shard = try Shard(index: index, count: 3)
      try study.runShard(shard, folder: folder, threads: 1, progress: nil).write(to: folder.appendingPathComponent("shards/\(shard.fileName)"))
    }
    try project.write("run/logs/evaluate-1.log", "killed\n")
    let shards = folder.appendingPathComponent("shards")
    let missing = configurationError { try StudyShardMerge.merge([shards], allowPartial: false) }
    #expect(missing.contains("1 of 3 shards have no result") && missing.contains("evaluate-1.log"))
    // Allowed, the cells of shard 1 (seeds 1 and 4) are listed as not evaluated.
    let (partial, lost) = try StudyShardMerge.merge([shards], allowPartial: true)
    #expect(lost.map(\.index) == [1])
    #expect(partial.cells.map(\.seed) == [0, 2, 3, 5, 6])
    #expect(partial.failures.map(\.seed) == [1, 4] && partial.failures.allSatisfy { $0.error.contains("not evaluated") })
    #expect(partial.markdown().contains("not evaluated"))
    // Finished shards are found only for the same inputs; a transfer merge refuses study shards.
    #expect(study.finishedShard(try Shard(index: 2, count: 3), in: shards) != nil)
    #expect(study.finishedShard(try Shard(index: 1, count: 3), in: shards) == nil)
    #expect(configurationError { try ShardMerge.merge([shards], allowPartial: true) }.contains("not a shard result file"))
  }
}

@Test func sweepsTellStudiesFromTransferConfigurations() throws {
  #expect(PriorStudyConfiguration.describesStudy("name: s\nvariants: [priors/original]\nagents: [schema-explore]\nactionBudget: 5\n"))
  #expect(!PriorStudyConfiguration.describesStudy(tinyConfiguration))
  #expect(!PriorStudyConfiguration.describesStudy("- not a mapping\n"))
  var sweep = SlurmSweep(folder: URL(fileURLWithPath: "/s"), executable: "/bin/arcade", root: "/p", configuration: "/p/configs/s.yaml",
                         report: "/p/reports/s", name: "s", trainingRuns: 0, trainingToRun: [], shards: 7, shardsToRun: [0, 6],
                         partition: nil, time: "30", cpus: 1)
  sweep.evaluateCommand = "study priors"
  #expect(sweep.trainScript == nil)
  let evaluate = try #require(sweep.evaluateScript)
  #expect(evaluate.contains("#SBATCH --array=0,6\n") && evaluate.contains("/bin/arcade' study priors '/p/configs/s.yaml'"))
  #expect(evaluate.contains("--shard \"$SLURM_ARRAY_TASK_ID/7\""))
}
