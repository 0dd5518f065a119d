import EnvironmentCore
import Foundation
import Yams

/// A masked-prior study: `configs/priors-study.yaml`.
///
/// ```yaml
/// name: priors-study                   # reports/<name>/
/// variants: [priors/original, priors/all-masked]
/// agents:                              # presets in agents/ (or paths); an entry may narrow its variants and seeds
///   - schema-explore
///   - {preset: dqn-explore, variants: [priors/original], seeds: [0, 1, 2]}
/// seeds: [0, 1, 2, 3, 4]
/// actionBudget: 500000                 # actions per cell before it counts as not won
/// ```
public struct PriorStudyConfiguration: Codable, Sendable {
  /// An agent of the study: a preset, optionally on fewer variants or seeds than the study's.
  public struct AgentEntry: Codable, Sendable, Hashable {
    public var preset: String
    public var variants: [String]?
    public var seeds: [UInt64]?

    public init(preset: String, variants: [String]? = nil, seeds: [UInt64]? = nil) {
      self.preset = preset
      self.variants = variants
      self.seeds = seeds
    }

    public init(from decoder: any Decoder) throws {
      if let name = try? decoder.singleValueContainer().decode(String.self) {
        self.init(preset: name)
        return
      }
      let c = try decoder.container(keyedBy: CodingKeys.self)
      self.init(preset: try c.decode(String.self, forKey: .preset), variants: try c.decodeIfPresent([String].self, forKey: .variants),
                seeds: try c.decodeIfPresent([UInt64].self, forKey: .seeds))
    }
  }

  /// Names the report folder `reports/<name>/`; lowercase letters, digits and '-'.
  public var name: String
  /// Platformer variant ids (any file under envs/priors/ works).
  public var variants: [String]
  public var agents: [AgentEntry]
  public var seeds: [UInt64]
  public var actionBudget: Int

  /// Whether a configuration file's text is a study's rather than a transfer experiment's (it has `actionBudget`
  /// or `variants`), so `arcade sweep` can take either.
  public static func describesStudy(_ text: String) -> Bool {
    guard let node = try? Yams.compose(yaml: text), let mapping = node.mapping else { return false }
    return mapping.keys.contains { $0.string == "actionBudget" || $0.string == "variants" }
  }

  /// Reads and validates `url`.
  public static func load(_ url: URL, files: ProjectFiles) throws -> PriorStudyConfiguration {
    let file = files.display(url)
    let text = String(decoding: try files.read(url), as: UTF8.self)
    let sample = PriorStudyConfiguration(name: "", variants: [], agents: [], seeds: [], actionBudget: 0)
    let node = try StrictYAML.mapping(text, file: file, allowed: StrictYAML.keys(of: sample))
    let entryKeys = StrictYAML.keys(of: AgentEntry(preset: ""))
    for (i, entry) in (node.mapping?["agents"]?.sequence ?? []).enumerated() {
      for (key, _) in entry.mapping ?? [:] where !entryKeys.contains(key.string ?? "") {
        throw ConfigurationError(file: file, key: "agents[\(i)].\(key.string ?? "?")", line: key.mark?.line,
                                 "is not a valid key — \(suggestion(for: key.string ?? "", in: entryKeys))")
      }
    }
    let config = try StrictYAML.decode(PriorStudyConfiguration.self, from: node, file: file)
    func fail(_ key: String, _ message: String) -> ConfigurationError { ConfigurationError(file: file, key: key, message) }
    guard EnvironmentID("x/\(config.name)") != nil else { throw fail("name", "value '\(config.name)' must be lowercase letters, digits and '-'") }
    guard !config.variants.isEmpty, Set(config.variants).count == config.variants.count else {
      throw fail("variants", "must list distinct variant ids")
    }
    guard !config.agents.isEmpty, Set(config.agents.map(\.preset)).count == config.agents.count else {
      throw fail("agents", "must list distinct agents")
    }
    guard !config.seeds.isEmpty, Set(config.seeds).count == config.seeds.count else { throw fail("seeds", "must list distinct seeds") }
    guard config.actionBudget >= 1 else { throw fail("actionBudget", "value \(config.actionBudget) must be at least 1") }
    for (i, entry) in config.agents.enumerated() {
      for variant in entry.variants ?? [] where !config.variants.contains(variant) {
        throw fail("agents[\(i)].variants", "value '\(variant)' is not one of the study's variants")
      }
      if let seeds = entry.seeds, seeds.isEmpty || Set(seeds).count != seeds.count { throw fail("agents[\(i)].seeds", "must list distinct seeds") }
    }
    return config
  }
}
