#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Proportional prioritized replay (Schaul et al. 2016), on when `prioritizedReplay` is: ``learn()`` draws
/// its batch with ``ReplayBuffer/samplePrioritized(_:using:)``, scales each element's gradient by
/// ``importanceWeights(of:)`` and then gives the sampled transitions their new TD errors as priorities.
extension DQN {
  /// Importance-sampling weights of sampled frame `indices`: wᵢ = (N·P(i))^(−β) with P(i) the chance of
  /// drawing i, N the transitions in the buffer and β on its schedule
  /// (``DQNConfiguration/importanceSamplingExponent(atStep:)``), divided by the batch's largest so that
  /// they only ever shrink a step (the largest is 1).
  public func importanceWeights(of indices: [Int]) -> [Float] {
    let beta = configuration.importanceSamplingExponent(atStep: steps)
    let scale = Double(replay.count) / replay.priorities!.total
    let raw = indices.map { pow(scale * replay.priority(of: $0), -beta) }
    let largest = raw.max()!
    return raw.map { Float($0 / largest) }
  }

  /// Sets each of `indices`' priorities to (|δ| + ε)^α from its TD error δ (measured before the step, as
  /// Schaul et al. do; the ε keeps a solved transition in play).
  func reprioritize(_ indices: [Int], tdErrors: [Float]) {
    for (index, delta) in zip(indices, tdErrors) {
      replay.setPriority(pow(Double(abs(delta)) + DQNConfiguration.priorityEpsilon, configuration.priorityExponent), of: index)
    }
  }
}
