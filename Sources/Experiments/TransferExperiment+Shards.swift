import Checksums
import EnvironmentCore
import Evaluation
import Foundation

/// A training run an experiment needs: agent `agent` (an index into ``TransferExperiment/agents``) trained with
/// `seed` into `folder`.
public struct TrainingTask: Sendable {
  public let agent: Int
  public let seed: UInt64
  public let folder: URL
}

extension TransferExperiment {
  /// The training runs no shipped model or named run stands in for, in a fixed order (agents as listed, then
  /// training seeds): task `k` belongs to shard `k mod N` of a `--train-only --shard I/N` run.
  public func trainingTasks() throws -> [TrainingTask] {
    var tasks: [TrainingTask] = []
    for i in agents.indices where agents[i].kind.learns && trainedRuns[i].isEmpty {
      if configuration.useShippedModels ?? true, try ShippedModels.load(for: agents[i], files: files) != nil { continue }
      tasks += trainingPlan(i).map { TrainingTask(agent: i, seed: $0.seed, folder: $0.folder) }
    }
    return tasks
  }

  /// Trains (or resumes, or reuses) the run of `task`.
  public func train(_ task: TrainingTask, quiet: Bool, threads: Int) throws {
    _ = try trainOrReuse(agents[task.agent], seed: task.seed, folder: task.folder, quiet: quiet, threads: threads)
  }

  /// Whether `task`'s run is finished, so a rerun of a sweep leaves it out.
  public func isFinished(_ task: TrainingTask) -> Bool {
    guard Learners.isRun(task.folder), let run = try? Learners.loadRun(task.folder, files: files) else { return false }
    return run.hasLearned && run.header.trainedSteps >= agents[task.agent].trainingSteps
      && run.header.environment == trainingVariant.id.description
  }

  /// Identifies what the evaluation reads: the configuration, every preset and every variant file, by SHA-256.
  public var fingerprint: String {
    let parts = [configurationSHA256] + agents.map(\.sha256) + variants.map(\.sha256)
    return SHA256.hexDigest(Array(parts.joined(separator: " ").utf8))
  }

  /// The number of evaluation cells (agents × variants): more shards than this leaves some empty.
  public var cellCount: Int { agents.count * variants.count }

  /// The finished result of `shard` in `folder`, if one exists for the same inputs.
  public func finishedShard(_ shard: Shard, in folder: URL) -> ShardResult? {
    let url = folder.appendingPathComponent(shard.fileName)
    guard let result = try? ShardResult.load(url), result.shard == shard, result.fingerprint == fingerprint else { return nil }
    return result
  }
}

/// Puts shard results back together into the report one unsharded run would have written.
public enum ShardMerge {
  /// The shard files (`shard-<I>-of-<N>.json`) in `folders`, checked to be of one experiment and one split.
  /// Missing shards are an error naming each (with its log, `../logs/evaluate-<I>.log` beside a folder, when there is
  /// one) unless `allowPartial`, in which case their cells are listed as not evaluated.
  public static func merge(_ folders: [URL], allowPartial: Bool) throws -> (report: TransferReport, missing: [Shard]) {
    var results: [ShardResult] = []
    for folder in folders {
      results += try shardFiles(folder).map { try ShardResult.load(folder.appendingPathComponent($0)) }
    }
    guard let first = results.first else {
      throw ConfigurationError("no shard files (shard-<I>-of-<N>.json) in \(folders.map(\.path).joined(separator: ", "))")
    }
    let positions = try checked(results.map { ($0.shard, $0.fingerprint, $0.report.name) }, folders: folders)
    let byIndex = positions.mapValues { results[$0] }
    let missing = try missing(count: first.shard.count, present: Set(byIndex.keys), folders: folders, allowPartial: allowPartial)
    let parts = byIndex.keys.sorted().map { byIndex[$0]!.report }
    let report = TransferReport.merged(parts) { _, _ in "its shard had no result when the report was merged" }
    return (report, missing)
  }

  /// The shard result files in `folder`, sorted by name.
  static func shardFiles(_ folder: URL) throws -> [String] {
    let names: [String]
    do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
      throw ConfigurationError("\(folder.path): cannot list shard results (\(error.localizedDescription))")
    }
    return names.filter { $0.hasPrefix("shard-") && $0.hasSuffix(".json") }.sorted()
  }

  /// Checks that the shards (split, inputs, experiment name) are of one run and none appears twice; returns the
  /// position of each shard index in the list.
  static func checked(_ shards: [(shard: Shard, fingerprint: String, name: String)], folders: [URL]) throws -> [Int: Int] {
    guard let first = shards.first else { return [:] }
    var byIndex: [Int: Int] = [:]
    for (position, s) in shards.enumerated() {
      guard s.shard.count == first.shard.count, s.fingerprint == first.fingerprint, s.name == first.name else {
        throw ConfigurationError("shard \(s.shard) is of another run than shard \(first.shard) (experiment '\(s.name)', "
                                 + "\(s.shard.count) shards, inputs \(s.fingerprint.prefix(12))…): merge one run's shards")
      }
      if byIndex[s.shard.index] != nil { throw ConfigurationError("shard \(s.shard) appears twice in \(folders.map(\.path))") }
      byIndex[s.shard.index] = position
    }
    return byIndex
  }

  /// The shards of `count` without a result: an error naming each and its log, unless `allowPartial`.
  static func missing(count: Int, present: Set<Int>, folders: [URL], allowPartial: Bool) throws -> [Shard] {
    let missing = try (0..<count).filter { !present.contains($0) }.map { try Shard(index: $0, count: count) }
    if !missing.isEmpty && !allowPartial {
      let lines = missing.map { shard in "  shard \(shard)" + (log(of: shard, near: folders).map { " (log: \($0))" } ?? " (no log)") }
      throw ConfigurationError("\(missing.count) of \(count) shards have no result; rerun them, or merge with --allow-partial:\n"
                               + lines.joined(separator: "\n"))
    }
    return missing
  }

  private static func log(of shard: Shard, near folders: [URL]) -> String? {
    folders.lazy.map { $0.deletingLastPathComponent().appendingPathComponent("logs/evaluate-\(shard.index).log").path }
      .first { FileManager.default.fileExists(atPath: $0) }
  }
}
