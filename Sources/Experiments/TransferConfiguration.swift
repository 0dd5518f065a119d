import Checksums
import EnvironmentCore
import Foundation

/// A zero-shot transfer experiment: `configs/<name>.yaml`.
///
/// ```yaml
/// name: breakout-transfer              # reports/<name>/
/// summary: Baselines on every Breakout variant.
/// trainOn: breakout/standard
/// evaluateOn: [breakout/standard, breakout/offset-paddle]
/// agents: [random, tracker]            # presets in agents/, kinds, or paths
/// seeds: [0, 1, 2]
/// episodesPerSeed: 10
/// ```
public struct TransferConfiguration: Codable, Sendable {
  /// Names the report folder `reports/<name>/`; lowercase letters, digits and '-'.
  public var name: String
  public var summary: String
  /// The variant agents train on (if they learn).
  public var trainOn: String
  /// The variants every agent is evaluated on, zero-shot: the report's columns.
  public var evaluateOn: [String]
  /// Agent presets: the report's rows.
  public var agents: [String]
  public var seeds: [UInt64]
  public var episodesPerSeed: Int
  /// Overrides every variant's step cap (for quick smoke runs); `nil` keeps each file's.
  public var maxEpisodeSteps: Int?
  /// Seeds of the training runs of every agent that learns (each is `arcade train --seed S`, in
  /// `runs/<name>-<agent>-seed<S>/`); results are over training runs × seeds × episodes. Absent: one run, in
  /// `runs/<name>-<agent>/`, unless a shipped model stands in.
  public var trainingSeeds: [UInt64]?
  /// Play `models/<agent>/` where the repository ships one instead of training (default `true`); `false` trains
  /// every learning agent from scratch.
  public var useShippedModels: Bool?

  /// The most episodes per agent and variant (seeds × episodes per seed).
  public static let maxEpisodes = 1_000_000

  /// Reads and validates `url`.
  public static func load(_ url: URL, files: ProjectFiles) throws -> (TransferConfiguration, sha256: String) {
    let file = files.display(url)
    let data = try files.read(url)
    let sample = TransferConfiguration(name: "", summary: "", trainOn: "", evaluateOn: [], agents: [], seeds: [], episodesPerSeed: 0)
    let node = try StrictYAML.mapping(String(decoding: data, as: UTF8.self), file: file, allowed: StrictYAML.keys(of: sample))
    let config = try StrictYAML.decode(TransferConfiguration.self, from: node, file: file)
    func fail(_ key: String, _ message: String) -> ConfigurationError { ConfigurationError(file: file, key: key, message) }
    guard EnvironmentID("x/\(config.name)") != nil else { throw fail("name", "value '\(config.name)' must be lowercase letters, digits and '-'") }
    guard !config.evaluateOn.isEmpty else { throw fail("evaluateOn", "must list at least one environment id") }
    guard !config.agents.isEmpty else { throw fail("agents", "must list at least one agent") }
    guard !config.seeds.isEmpty, Set(config.seeds).count == config.seeds.count else { throw fail("seeds", "must list distinct seeds") }
    guard config.episodesPerSeed >= 1 else { throw fail("episodesPerSeed", "value \(config.episodesPerSeed) must be at least 1") }
    // Every (seed, episode) pair is listed up front, so the product is bounded, not just each factor.
    guard config.seeds.count <= maxEpisodes, config.episodesPerSeed <= maxEpisodes / config.seeds.count else {
      throw fail("episodesPerSeed", "value \(config.episodesPerSeed) × \(config.seeds.count) seeds is over \(maxEpisodes) episodes")
    }
    if let cap = config.maxEpisodeSteps, !(1...VariantFile.maxEpisodeStepsLimit).contains(cap) {
      throw fail("maxEpisodeSteps", "value \(cap) must be between 1 and \(VariantFile.maxEpisodeStepsLimit)")
    }
    if let training = config.trainingSeeds, training.isEmpty || Set(training).count != training.count || training.count > 1000 {
      throw fail("trainingSeeds", "must list distinct seeds (at most 1000)")
    }
    guard Set(config.evaluateOn).count == config.evaluateOn.count else { throw fail("evaluateOn", "lists a variant twice") }
    guard Set(config.agents).count == config.agents.count else { throw fail("agents", "lists an agent twice") }
    return (config, SHA256.hexDigest([UInt8](data)))
  }
}
