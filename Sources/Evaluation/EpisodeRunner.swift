import Agents
import EnvironmentCore

/// What one episode came to.
public struct EpisodeRecord: Codable, Sendable, Hashable {
  /// The seed the environment was reset with.
  public var seed: UInt64
  /// Sum of rewards.
  public var totalReward: Double
  /// Steps taken.
  public var length: Int
  /// How it ended: terminated (won or out of lives) or truncated by the step cap.
  public var outcome: Outcome
  /// Distinct coarse cells the agent visited, for environments that track exploration (the human study's
  /// "unique locations"); `nil` otherwise.
  public var uniqueCells: Int?
  /// Distinct exact states visited, for environments that track exploration.
  public var uniqueStates: Int?

  public init(seed: UInt64, totalReward: Double, length: Int, outcome: Outcome, uniqueCells: Int? = nil, uniqueStates: Int? = nil) {
    self.seed = seed
    self.totalReward = totalReward
    self.length = length
    self.outcome = outcome
    self.uniqueCells = uniqueCells
    self.uniqueStates = uniqueStates
  }

  /// Whether the episode ended with a positive return in a terminal state (the platformer's win).
  public var won: Bool { outcome == .terminated && totalReward > 0 }
}

/// Plays whole episodes of an agent in an environment.
public enum EpisodeRunner {
  /// Plays one episode from `seed` until it terminates or is truncated; `environment` ends its episodes by
  /// itself (wrap it in ``TimeLimit``). Environments that report where the agent is (``ExplorationReporting``)
  /// get the human study's counts of unique cells and states.
  public static func run<E: Environment, A: Agent>(
    _ environment: inout E, agent: inout A, seed: UInt64
  ) -> EpisodeRecord where A.Observation == E.Observation {
    run(&environment, agent: &agent, seed: seed, afterEachStep: { _, _ in })
  }

  /// ``run(_:agent:seed:)`` with `afterEachStep` seeing the environment and the agent after the reset and after
  /// every step (recorders draw them there).
  public static func run<E: Environment, A: Agent>(
    _ environment: inout E, agent: inout A, seed: UInt64, afterEachStep: (inout E, inout A) throws -> Void
  ) rethrows -> EpisodeRecord where A.Observation == E.Observation {
    var observation = environment.reset(seed: seed)
    agent.beginEpisode(seed: SplitMix64.agentSeed(forEpisode: seed))
    var total = 0.0
    var length = 0
    let explorationReader = ExplorationReader<E>()
    var tally = ExplorationTally()
    func visit() { if let explorationReader { tally.visit(explorationReader.key(of: &environment)) } }
    visit()
    try afterEachStep(&environment, &agent)
    while true {
      let step = environment.step(agent.action(for: observation))
      total += step.reward
      length += 1
      visit()
      try afterEachStep(&environment, &agent)
      if step.outcome != .ongoing {
        return EpisodeRecord(seed: seed, totalReward: total, length: length, outcome: step.outcome,
                             uniqueCells: explorationReader == nil ? nil : tally.cells.count,
                             uniqueStates: explorationReader == nil ? nil : tally.states.count)
      }
      observation = step.observation
    }
  }
}

/// Mean and sample standard deviation.
public struct Summary: Codable, Sendable, Hashable {
  public var count: Int
  public var mean: Double
  /// Sample standard deviation (n − 1); 0 for fewer than two values.
  public var standardDeviation: Double

  public init<C: Collection>(_ values: C) where C.Element == Double {
    count = values.count
    mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    let m = mean
    standardDeviation = values.count < 2 ? 0
      : (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
  }

  /// `12.34 ± 5.67`.
  public func formatted(digits: Int = 2) -> String {
    "\(Self.fixed(mean, digits)) ± \(Self.fixed(standardDeviation, digits))"
  }

  /// `value` with exactly `digits` decimals (no Foundation formatting, so output is locale-independent).
  public static func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite, abs(value) < 1e15 else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    let sign = value < 0 && scaled != 0 ? "-" : ""
    if digits == 0 { return "\(sign)\(whole)" }
    let text = String(fraction)
    return "\(sign)\(whole).\(String(repeating: "0", count: digits - text.count))\(text)"
  }
}
