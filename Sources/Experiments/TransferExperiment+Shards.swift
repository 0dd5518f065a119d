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
      let names = try listing(folder).filter { $0.hasPrefix("shard-") && $0.hasSuffix(".json") }.sorted()
      results += try names.map { try ShardResult.load(folder.appendingPathComponent($0)) }
    }
    guard let first = results.first else {
      throw ConfigurationError("no shard files (shard-<I>-of-<N>.json) in \(folders.map(\.path).joined(separator: ", "))")
    }
    let count = first.shard.count
    for result in results {
      guard result.shard.count == count, result.fingerprint == first.fingerprint, result.report.name == first.report.name else {
        throw ConfigurationError("shard \(result.shard) is of another run than shard \(first.shard) (experiment '\(result.report.name)', "
                                 + "\(result.shard.count) shards, inputs \(result.fingerprint.prefix(12))…): merge one run's shards")
      }
    }
    var byIndex: [Int: ShardResult] = [:]
    for result in results {
      if byIndex[result.shard.index] != nil { throw ConfigurationError("shard \(result.shard) appears twice in \(folders.map(\.path))") }
      byIndex[result.shard.index] = result
    }
    let missing = try (0..<count).filter { byIndex[$0] == nil }.map { try Shard(index: $0, count: count) }
    if !missing.isEmpty && !allowPartial {
      let lines = missing.map { shard in "  shard \(shard)" + (log(of: shard, near: folders).map { " (log: \($0))" } ?? " (no log)") }
      throw ConfigurationError("\(missing.count) of \(count) shards have no result; rerun them, or merge with --allow-partial:\n"
                               + lines.joined(separator: "\n"))
    }
    let parts = byIndex.keys.sorted().map { byIndex[$0]!.report }
    let report = TransferReport.merged(parts) { _, _ in "its shard had no result when the report was merged" }
    return (report, missing)
  }

  private static func listing(_ folder: URL) throws -> [String] {
    do { return try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
      throw ConfigurationError("\(folder.path): cannot list shard results (\(error.localizedDescription))")
    }
  }

  private static func log(of shard: Shard, near folders: [URL]) -> String? {
    folders.lazy.map { $0.deletingLastPathComponent().appendingPathComponent("logs/evaluate-\(shard.index).log").path }
      .first { FileManager.default.fileExists(atPath: $0) }
  }
}
