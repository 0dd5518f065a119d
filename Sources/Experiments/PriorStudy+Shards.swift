import Checksums
import Evaluation
import Foundation

/// What one shard of a prior study writes: the report of its cells, with each cell's and failure's job index so
/// the merge puts them back in the unsharded order.
public struct StudyShardResult: Codable, Sendable {
  /// Which study wrote it (`priors`); tells `arcade report merge` that this is not a transfer shard.
  public var study: String
  public var shard: Shard
  /// Identifies the inputs (configuration, presets, variant files by SHA-256): shards of other inputs are never merged.
  public var fingerprint: String
  /// Every job of the study, in order, so the merge can name what a missing shard held.
  public var jobs: [PriorStudyReport.Failure]
  public var cellJobs: [Int]
  public var failureJobs: [Int]
  public var report: PriorStudyReport

  /// Reads a shard file, or `nil` when it is a file of another kind (a transfer shard); throws when it is unreadable.
  public static func load(_ url: URL) throws -> StudyShardResult? {
    let data: Data
    do { data = try Data(contentsOf: url) } catch { throw ConfigurationError("\(url.path): cannot read (\(error.localizedDescription))") }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["study"] != nil else { return nil }
    do { return try JSONDecoder().decode(StudyShardResult.self, from: data) } catch {
      throw ConfigurationError("\(url.path): not a study shard result file (\(error.localizedDescription))")
    }
  }

  /// Writes the file whole or not at all.
  public func write(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try AtomicFile.write(encoder.encode(self) + Data("\n".utf8), to: url)
  }
}

extension PriorStudy {
  /// Identifies what the study plays: the configuration, every preset and every variant file, by SHA-256.
  public var fingerprint: String {
    let parts = [configurationSHA256] + agents.map(\.sha256) + variants.map(\.sha256)
    return SHA256.hexDigest(Array(parts.joined(separator: " ").utf8))
  }

  /// The jobs `shard` plays (cell `k` is shard `k mod N`'s).
  public func jobCount(shard: Shard?) -> Int { jobs.indices.filter { shard?.owns($0) ?? true }.count }

  /// The finished result of `shard` in `folder`, if one exists for the same inputs.
  public func finishedShard(_ shard: Shard, in folder: URL) -> StudyShardResult? {
    guard let result = try? StudyShardResult.load(folder.appendingPathComponent(shard.fileName)), result.shard == shard,
          result.fingerprint == fingerprint else { return nil }
    return result
  }

  /// Plays `shard`'s cells (kept cells in `folder/cells/` are reused) and returns its result, to be written once
  /// every cell succeeded.
  public func runShard(_ shard: Shard, folder: URL, threads: Int, progress: ProgressBar?) -> StudyShardResult {
    let (report, cellJobs, failureJobs) = play(folder: folder, threads: threads, progress: progress, shard: shard)
    let names = jobs.indices.map { failure($0, "") }
    return StudyShardResult(study: "priors", shard: shard, fingerprint: fingerprint, jobs: names, cellJobs: cellJobs,
                            failureJobs: failureJobs, report: report)
  }
}

/// Puts the shards of a prior study back together into the report one unsharded run writes (timings aside).
public enum StudyShardMerge {
  /// Whether `folders` hold study shards rather than transfer shards (judged by the first shard file).
  public static func holdsStudyShards(_ folders: [URL]) throws -> Bool {
    for folder in folders {
      if let name = try ShardMerge.shardFiles(folder).first { return try StudyShardResult.load(folder.appendingPathComponent(name)) != nil }
    }
    return false
  }

  /// The merged report and the missing shards; missing shards are an error naming each (and its log) unless
  /// `allowPartial`, which lists their cells as failures ("not evaluated").
  public static func merge(_ folders: [URL], allowPartial: Bool) throws -> (report: PriorStudyReport, missing: [Shard]) {
    var results: [StudyShardResult] = []
    for folder in folders {
      for name in try ShardMerge.shardFiles(folder) {
        let url = folder.appendingPathComponent(name)
        guard let result = try StudyShardResult.load(url) else {
          throw ConfigurationError("\(url.path) is a transfer shard; merge a study's shards with study shards only")
        }
        results.append(result)
      }
    }
    guard let first = results.first else { throw ConfigurationError("no shard files (shard-<I>-of-<N>.json) in \(folders.map(\.path))") }
    let byIndex = try ShardMerge.checked(results.map { ($0.shard, $0.fingerprint, $0.report.name) }, folders: folders)
    let missing = try ShardMerge.missing(count: first.shard.count, present: Set(byIndex.keys), folders: folders, allowPartial: allowPartial)
    var cells: [(Int, PriorStudyReport.Cell)] = [], failures: [(Int, PriorStudyReport.Failure)] = []
    for i in byIndex.keys.sorted() {
      let result = results[byIndex[i]!]
      cells += zip(result.cellJobs, result.report.cells)
      failures += zip(result.failureJobs, result.report.failures)
    }
    for shard in missing {
      for k in first.jobs.indices where shard.owns(k) {
        var entry = first.jobs[k]
        entry.error = "not evaluated: its shard (\(shard)) had no result when the report was merged"
        failures.append((k, entry))
      }
    }
    var report = results[byIndex[byIndex.keys.min()!]!].report
    report = PriorStudyReport(
      name: report.name, configuration: report.configuration, actionBudget: report.actionBudget, variants: report.variants,
      agents: report.agents, cells: cells.sorted { $0.0 < $1.0 }.map(\.1), failures: failures.sorted { $0.0 < $1.0 }.map(\.1),
      generatedAt: results.map(\.report.generatedAt).min()!, software: report.software)
    return (report, missing)
  }
}
