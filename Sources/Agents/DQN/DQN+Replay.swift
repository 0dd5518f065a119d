#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Transitions drawn from the replay buffer for one gradient step, each with its weight in the loss.
struct ReplayBatch {
  /// Replay indices of the frames the transitions lead into.
  var indices: [Int]
  /// Importance-sampling weights (all 1 for uniform sampling).
  var weights: [Float]
}

/// How ``DQN/learn()`` draws its batch: uniformly, or by priority when `prioritizedReplay` is on (proportional
/// prioritized replay, Schaul et al. 2016), where each gradient is scaled by its importance-sampling weight and
/// the sampled transitions then take their TD errors as new priorities.
extension DQN {
  func sampleBatch() -> ReplayBatch {
    let count = configuration.batchSize
    guard replay.priorities != nil else {
      return ReplayBatch(indices: (0..<count).map { _ in replay.sampleIndex(using: &rng) },
                         weights: [Float](repeating: 1, count: count))
    }
    let indices = replay.samplePrioritized(count, using: &rng)
    return ReplayBatch(indices: indices, weights: importanceWeights(of: indices))
  }

  /// Importance-sampling weights of sampled frame `indices` in a prioritized buffer: wᵢ = (N·P(i))^(−β) with
  /// P(i) the chance of drawing i, N the transitions in the buffer and β on its schedule
  /// (``DQNConfiguration/importanceSamplingExponent(atStep:)``), divided by the batch's largest so that they only
  /// ever shrink a step (the largest is 1).
  public func importanceWeights(of indices: [Int]) -> [Float] {
    guard let priorities = replay.priorities else { preconditionFailure("importance weights need a prioritized replay buffer") }
    precondition(!indices.isEmpty, "importance weights of an empty batch")
    let beta = configuration.importanceSamplingExponent(atStep: steps)
    let scale = Double(replay.count) / priorities.total
    let raw = indices.map { pow(scale * replay.priority(of: $0), -beta) }
    let largest = raw.reduce(-Double.infinity) { Swift.max($0, $1) }
    return raw.map { Float($0 / largest) }
  }

  /// Sets each of `indices`' priorities to (|δ| + ε)^α from its TD error δ (measured before the step, as Schaul
  /// et al. do; the ε keeps a solved transition in play); nothing for a uniform buffer.
  func reprioritize(_ indices: [Int], tdErrors: [Float]) {
    guard replay.priorities != nil else { return }
    for (index, delta) in zip(indices, tdErrors) {
      replay.setPriority(pow(Double(abs(delta)) + DQNConfiguration.priorityEpsilon, configuration.priorityExponent), of: index)
    }
  }
}
