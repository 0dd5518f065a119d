import Evaluation
import Foundation

/// One slice of an experiment's work, for one task of a cluster job array: shard `index` of `count`, 0-based
/// (`--shard I/N`). Work item `k` (a training run, or a whole evaluation cell) belongs to shard `k mod count`, so
/// the slices are deterministic, disjoint, and cover everything for any `count`.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
  public let index: Int
  public let count: Int

  /// The most shards a run may be split into: a job array of this size is already far beyond one experiment's cells.
  public static let maximumCount = 10_000

  /// Shard `index` of `count`; fails unless `0 ≤ index < count ≤ maximumCount`.
  public init(index: Int, count: Int) throws {
    guard (1...Self.maximumCount).contains(count) else {
      throw ConfigurationError("--shard: the shard count must be between 1 and \(Self.maximumCount) (got \(count))")
    }
    guard (0..<count).contains(index) else {
      throw ConfigurationError("--shard: the shard index must be between 0 and \(count - 1) (got \(index)); shards count from 0")
    }
    self.index = index
    self.count = count
  }

  /// Parses `I/N`, as Slurm's `$SLURM_ARRAY_TASK_ID/N`.
  public init(parsing text: String) throws {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
      throw ConfigurationError("--shard: expected I/N, e.g. 0/4 (got '\(text)')")
    }
    try self.init(index: index, count: count)
  }

  /// Whether work item `k` is this shard's.
  public func owns(_ k: Int) -> Bool { k % count == index }

  public var description: String { "\(index)/\(count)" }

  /// The partial results file of this shard: `shard-<I>-of-<N>.json`.
  public var fileName: String { "shard-\(index)-of-\(count).json" }
}

/// What one evaluation shard writes: its slice of the report, which ``TransferReport/merged(_:)`` puts together.
public struct ShardResult: Codable, Sendable {
  public var shard: Shard
  /// Identifies the experiment's inputs (configuration, presets and variant files by SHA-256): shards of different
  /// inputs are never merged, and a shard finished for other inputs is run again.
  public var fingerprint: String
  /// The report restricted to this shard's cells (and the skipped cells it owns).
  public var report: TransferReport

  public init(shard: Shard, fingerprint: String, report: TransferReport) {
    self.shard = shard
    self.fingerprint = fingerprint
    self.report = report
  }

  /// Reads a shard file, naming it in any error.
  public static func load(_ url: URL) throws -> ShardResult {
    do {
      return try JSONDecoder().decode(ShardResult.self, from: Data(contentsOf: url))
    } catch {
      throw ConfigurationError("\(url.path): not a shard result file (\(error.localizedDescription))")
    }
  }

  /// Writes the file whole or not at all.
  public func write(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try AtomicFile.write(encoder.encode(self) + Data("\n".utf8), to: url)
  }
}
