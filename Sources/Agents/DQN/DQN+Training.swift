import EnvironmentCore

/// Observations a ``DQN`` can store: their bytes are the replay frame.
public protocol FrameBytes: Sendable {
  func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension GridObservation: FrameBytes {
  public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try words.withUnsafeBytes(body) }
}

extension Frame: FrameBytes {
  public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try pixels.withUnsafeBytes(body) }
}

/// One finished training episode.
public struct TrainingEpisode: Sendable, Hashable {
  /// Environment steps taken by the learner when the episode ended.
  public var step: Int
  public var totalReward: Double
  public var length: Int
  /// The episode-seed stream after this episode: training resumed from it continues exactly.
  public var seedState: UInt64
}

extension DQN {
  /// Trains until the learner has taken `targetSteps` environment steps, ε-greedy on its schedule, playing
  /// whole episodes reset with seeds from `seeds` (an episode cut by the target is abandoned). Calls
  /// `episodeEnded` after every finished episode — the moment to checkpoint, since nothing of the next
  /// episode exists yet.
  public func train<E: Environment>(_ environment: inout E, until targetSteps: Int, seeds: inout SplitMix64,
                                    episodeEnded: (TrainingEpisode) throws -> Void = { _ in }) rethrows where E.Observation: FrameBytes {
    while steps < targetSteps {
      var index = environment.reset(seed: seeds.next()).withFrameBytes { beginEpisode(frame: $0) }
      var total = 0.0, length = 0
      while steps < targetSteps {
        // MARK: act
        let action = action(forStateEndingAt: index, epsilon: configuration.epsilon(atStep: steps))
        let step = environment.step(action)
        total += step.reward
        length += 1
        // MARK: store, learn, sync target
        index = step.observation.withFrameBytes { observe(action: action, reward: step.reward, outcome: step.outcome, frame: $0) }
        if step.outcome != .ongoing {
          try episodeEnded(TrainingEpisode(step: steps, totalReward: total, length: length, seedState: seeds.state))
          break
        }
      }
    }
  }

  /// Trains for `count` more steps from a seed (the simple form of ``train(_:until:seeds:episodeEnded:)``).
  public func train<E: Environment>(_ environment: inout E, steps count: Int, seed: UInt64,
                                    episodeEnded: (Double, Int) -> Void = { _, _ in }) where E.Observation: FrameBytes {
    var seeds = SplitMix64(seed: seed)
    train(&environment, until: steps + count, seeds: &seeds) { episodeEnded($0.totalReward, $0.length) }
  }
}
