/// How an episode stands after a step.
///
/// The split follows Gymnasium's `terminated`/`truncated` and dm_env's termination/truncation:
/// a learner bootstraps from the next observation unless the outcome is ``terminated``.
public enum Outcome: String, Sendable, Hashable, Codable {
  /// The episode goes on.
  case ongoing
  /// The MDP reached a terminal state (won, or out of lives): do not bootstrap.
  case terminated
  /// Cut short outside the MDP by a step limit (``StepLimit``, applied by ``TimeLimit``): bootstrap from the observation.
  case truncated

  /// Whether the episode is over, for either reason.
  public var isFinal: Bool { self != .ongoing }
}

/// What one call to ``Environment/step(_:)`` returns.
public struct Step<Observation: Sendable>: Sendable {
  /// The observation after the step.
  public var observation: Observation
  /// The reward earned by the step.
  public var reward: Double
  /// Whether the episode goes on, ended in the MDP, or was cut short.
  public var outcome: Outcome

  public init(observation: Observation, reward: Double, outcome: Outcome) {
    self.observation = observation
    self.reward = reward
    self.outcome = outcome
  }
}

/// A seeded, deterministic environment with a fixed, discrete action list (Gymnasium's reset/step contract).
///
/// Actions are indices into ``actionNames`` (Gymnasium's `Discrete(n)` with ALE-style action meanings),
/// which keeps agents independent of any concrete game.
///
/// Optional abilities are small protocols of their own: ``Renderable`` (frames for recordings and viewers) and
/// ``ExplorationReporting`` (where the agent is, for exploration studies).
///
/// ```swift
/// var env = try Catalog.makeEnvironment(id: "breakout/standard", form: Grid())   // Catalog is in Games
/// var observation = env.reset(seed: 7)
/// let step = env.step(1)   // LEFT
/// ```
public protocol Environment<Observation> {
  associatedtype Observation: Sendable
  /// Every action the agent may take, in index order (MinAtar's minimal action set).
  var actionNames: [String] { get }
  /// Starts an episode. The same seed gives the same episode; `nil` continues the environment's own
  /// seed stream, so a run started from one seed stays reproducible.
  mutating func reset(seed: UInt64?) -> Observation
  /// Advances one step. `action` must be in `0..<actionNames.count`; anything else is a programming error.
  mutating func step(_ action: Int) -> Step<Observation>
  /// Lives left in the episode (ALE's `lives()`), or `nil` when the environment has none. Learners may treat
  /// a lost life as the end of a bootstrap chain (Mnih et al. 2015); the episode itself goes on.
  var lives: Int? { get }
}

extension Environment {
  public var lives: Int? { nil }

  /// The number of actions.
  public var actionCount: Int { actionNames.count }
}
