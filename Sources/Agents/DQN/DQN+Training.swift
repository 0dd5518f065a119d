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
      var lives = environment.lives
      while steps < targetSteps {
        // MARK: act (the action holds for `actionRepeat` steps, rewards summed, or until the episode ends)
        let action = action(forStateEndingAt: index, epsilon: configuration.epsilon(atStep: steps))
        var reward = 0.0, taken = 0
        var step: Step<E.Observation>
        repeat {
          step = environment.step(action)
          reward += step.reward
          taken += 1
        } while taken < configuration.actionRepeat && step.outcome == .ongoing
        total += reward
        length += taken
        // MARK: store, learn, sync target
        var outcome = step.outcome
        if configuration.episodicLife, let before = lives, let after = environment.lives {
          if after < before && outcome == .ongoing { outcome = .terminated }
          lives = after
        }
        index = step.observation.withFrameBytes {
          observe(action: action, reward: reward, outcome: outcome, frame: $0, environmentSteps: taken)
        }
        if step.outcome != .ongoing {  // the environment's outcome: a lost life does not end the episode
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
