import Agents
import EnvironmentCore
import Evaluation
import Experiments

/// A 64-bit FNV-1a hash over every step an agent takes: (action, reward's bit pattern, outcome, lives) as 64-bit
/// words. `rollout --digest` prints it so another implementation (the Python binding's tests) can check that it
/// plays the same trajectory from the same seed without shipping the trajectory itself.
struct TrajectoryDigest {
  private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

  mutating func fold(_ word: UInt64) { value = (value ^ word) &* 0x0000_0100_0000_01B3 }

  mutating func fold(action: Int, reward: Double, outcome: Outcome, lives: Int?) {
    fold(UInt64(bitPattern: Int64(action)))
    fold(reward.bitPattern)
    fold(outcome == .ongoing ? 0 : outcome == .terminated ? 1 : 2)
    fold(UInt64(bitPattern: Int64(lives ?? -1)))
  }

  /// Sixteen hex digits.
  var hex: String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}

/// An environment that folds each of its steps into a ``TrajectoryDigest``.
struct DigestingEnvironment<Base: Environment & Renderable>: Environment, Renderable {
  var base: Base
  var digest = TrajectoryDigest()

  var actionNames: [String] { base.actionNames }
  var lives: Int? { base.lives }
  mutating func reset(seed: UInt64?) -> Base.Observation { base.reset(seed: seed) }
  mutating func render() -> Frame { base.render() }

  mutating func step(_ action: Int) -> Step<Base.Observation> {
    let step = base.step(action)
    digest.fold(action: action, reward: step.reward, outcome: step.outcome, lives: base.lives)
    return step
  }
}

extension DigestingEnvironment: ExplorationReporting where Base: ExplorationReporting {
  var exploration: ExplorationKey { base.exploration }
}

/// Plays one episode per seed, like `EpisodesVisitor`, and keeps the digest of all their steps.
struct DigestVisitor: AgentVisitor {
  let seeds: [UInt64]
  var digest = TrajectoryDigest()

  mutating func visit<E: Environment & Renderable, A: Agent>(environment: inout E, agent: inout A) throws -> [EpisodeRecord]
    where A.Observation == E.Observation {
    var digesting = DigestingEnvironment(base: environment)
    defer { digest = digesting.digest }
    return seeds.map { EpisodeRunner.run(&digesting, agent: &agent, seed: $0) }
  }
}
