import EnvironmentCore

/// Something that picks actions from observations. Agents see only the ``EnvironmentCore`` API — action
/// indices and an observation form — never a concrete game.
public protocol Agent<Observation> {
  associatedtype Observation: Sendable
  /// Starts an episode: forgets per-episode memory; `seed` fixes the episode's random choices.
  mutating func beginEpisode(seed: UInt64)
  /// The index of the action to take given `observation`.
  mutating func action(for observation: Observation) -> Int
}

/// A uniform random policy over the action list: the floor of every report.
public struct RandomAgent<Observation: Sendable>: Agent {
  public let actionCount: Int
  private var rng = SplitMix64(seed: 0)

  public init(actionCount: Int) {
    precondition(actionCount > 0, "an agent needs at least one action")
    self.actionCount = actionCount
  }

  public mutating func beginEpisode(seed: UInt64) { rng = SplitMix64(seed: seed) }

  public mutating func action(for observation: Observation) -> Int { rng.nextInt(below: actionCount) }
}

/// An agent that can show what it expects, for `arcade record --overlay` and `arcade watch --overlay`: the paths it
/// predicts for the objects it does not control, and where it plans to take the one it does.
public protocol PlanReporting {
  var overlay: SchemaOverlay { get }
}

extension SchemaAgent: PlanReporting {}

/// An agent description that does not fit the environment it is asked to play.
public struct AgentMismatch: Error, CustomStringConvertible, Sendable {
  public var description: String
}
