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

extension DQN {
  /// Trains for `steps` environment steps, ε-greedy with ε on its schedule, resetting finished episodes
  /// (seeds from `seed`'s stream). Calls `episodeEnded(return, length)` after every episode.
  public func train<E: Environment>(_ environment: inout E, steps count: Int, seed: UInt64,
                                    episodeEnded: (Double, Int) -> Void = { _, _ in }) where E.Observation: FrameBytes {
    var seeds = SplitMix64(seed: seed)
    var index = environment.reset(seed: seeds.next()).withFrameBytes { beginEpisode(frame: $0) }
    var total = 0.0, length = 0
    for _ in 0..<count {
      // MARK: act
      let action = action(forStateEndingAt: index, epsilon: configuration.epsilon(atStep: steps))
      let step = environment.step(action)
      total += step.reward
      length += 1
      // MARK: store, learn, sync target
      index = step.observation.withFrameBytes { observe(action: action, reward: step.reward, outcome: step.outcome, frame: $0) }
      if step.outcome != .ongoing {
        episodeEnded(total, length)
        (total, length) = (0, 0)
        index = environment.reset(seed: seeds.next()).withFrameBytes { beginEpisode(frame: $0) }
      }
    }
  }
}
