import ArgumentParser
import Experiments
import Foundation

/// `--agent AGENT` with the default the command picks (`Default.name`): a preset in agents/, a built-in kind, a
/// path to a .yaml file, or a trained run folder.
struct AgentOption<Default: AgentDefault>: ParsableArguments {
  @Option(name: .customLong("agent"),
          help: ArgumentHelp("Agent: a preset in agents/ (e.g. random, tracker, dqn), a .yaml path, or a run folder.", valueName: "agent"),
          completion: .custom { _, _, _ in AgentNames.completions() })
  var name: String = Default.name

  /// The preset, kind or run `name` describes.
  func preset(files: ProjectFiles) throws -> AgentPreset { try AgentPreset(name, files: files) }

}

/// What `--agent` completes to.
enum AgentNames {
  /// The preset names in agents/ and the built-in kinds.
  static func completions() -> [String] {
    guard let files = try? ProjectFiles.locate() else { return AgentKind.allCases.map(\.rawValue) }
    let folder = files.root.appendingPathComponent("agents").path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    let presets = names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
    return Array(Set(presets + AgentKind.allCases.map(\.rawValue))).sorted()
  }
}

/// The agent a command uses when `--agent` is not given.
protocol AgentDefault { static var name: String { get } }

enum RandomAgentDefault: AgentDefault { static let name = "random" }
enum TrackerAgentDefault: AgentDefault { static let name = "tracker" }
enum DQNSmallAgentDefault: AgentDefault { static let name = "dqn-small" }
enum DQNAgentDefault: AgentDefault { static let name = "dqn" }
