@testable import Agents
import Foundation
import EnvironmentCore
import NeuralNetworks
import Testing

private func prioritized() -> DQNConfiguration {
  var c = smallConfiguration()
  c.prioritizedReplay = true
  return c
}

/// How often each index comes up in `draws` single-index prioritized samples.
private func frequencies(_ buffer: ReplayBuffer, draws: Int, seed: UInt64) -> [Int: Int] {
  var rng = SplitMix64(seed: seed)
  var counts: [Int: Int] = [:]
  for _ in 0..<draws { counts[buffer.samplePrioritized(1, using: &rng)[0], default: 0] += 1 }
  return counts
}

/// Proportional prioritized replay (Schaul et al. 2016): the sum tree, which slots may be drawn, importance
/// weights, and a prioritized learner that still learns and resumes exactly.
@Suite struct PrioritizedReplayTests {
  @Test func sumTreeFindsSlotsInProportionToTheirPriorities() {
    var tree = SumTree(capacity: 3)
    for (slot, priority) in [1.0, 0, 3].enumerated() { tree.update(slot, priority) }
    #expect(tree.total == 4)
    #expect(tree.find(0) == 0 && tree.find(0.999) == 0 && tree.find(1) == 2 && tree.find(3.999) == 2)
    #expect(tree.find(4) == 2 && tree.find(5) == 2, "a sum at or past the total still lands on a positive slot")
    var rng = SplitMix64(seed: 3)
    var counts = [0, 0, 0]
    for _ in 0..<40_000 { counts[tree.find(rng.nextUnit() * tree.total)] += 1 }
    #expect(counts[1] == 0, "a zero priority is never found")
    let ratio = Double(counts[2]) / Double(counts[0])
    #expect(ratio > 2.8 && ratio < 3.2, "slot 2 comes up about three times as often as slot 0: \(counts)")

    tree.update(2, 0.5)
    #expect(tree.total == 1.5 && tree[2] == 0.5)
    var odd = SumTree(capacity: 5)
    for (slot, priority) in [0.1, 0.2, 0.3, 0.4, 0.5].enumerated() { odd.update(slot, priority) }
    #expect(odd == SumTree(leaves: [0.1, 0.2, 0.3, 0.4, 0.5]), "built at once or slot by slot, the sums agree bit for bit")
    #expect(odd.find(0.35) == 2 && odd.find(1.45) == 4 && Array(odd.leaves) == [0.1, 0.2, 0.3, 0.4, 0.5])
  }

  @Test func episodeStartsAndStaleFramesAreNeverSampled() {
    var buffer = ReplayBuffer(capacity: 12, frameBytes: 1, stack: 3, stackStride: 2, prioritized: true)
    var rng = SplitMix64(seed: 1)
    var sampled = 0
    for episode in 0..<40 {
      [UInt8(0)].withUnsafeBytes { buffer.beginEpisode($0) }
      for step in 0..<(1 + rng.nextInt(below: 6)) {
        [UInt8(step)].withUnsafeBytes { buffer.append($0, action: 0, reward: 0, terminated: false) }
        // Every frame still in the buffer holds a positive priority exactly when it may be sampled.
        for index in max(0, buffer.written - buffer.capacity)..<buffer.written {
          #expect((buffer.priority(of: index) > 0) == buffer.isSampleable(index), "frame \(index) of \(buffer.written), episode \(episode)")
        }
        guard buffer.priorities!.total > 0 else { continue }
        for index in buffer.samplePrioritized(4, using: &rng) {
          #expect(buffer.isSampleable(index))
          buffer.setPriority(0.1 + rng.nextUnit() * 5, of: index)  // uneven priorities, and a rising maximum
          sampled += 1
        }
      }
    }
    #expect(sampled > 200 && buffer.written > 3 * buffer.capacity)
  }

  @Test func aTransitionWithALargeTDErrorIsSampledMoreOftenAfterAnUpdate() {
    var c = prioritized()
    c.batchSize = 8
    c.learningStarts = 1_000_000
    let dqn = DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 4)
    func frame(_ v: Int) -> [UInt8] { [UInt8](repeating: UInt8(v), count: 8) }
    frame(0).withUnsafeBytes { _ = dqn.beginEpisode(frame: $0) }
    for step in 1...8 {  // transitions into frames 1…8; the one into frame 5 pays far more than the network expects
      frame(step % 6).withUnsafeBytes { _ = dqn.observe(action: 1, reward: step == 5 ? 50 : 0, outcome: .ongoing, frame: $0) }
    }
    let before = frequencies(dqn.replay, draws: 8_000, seed: 2)
    #expect(before[5, default: 0] < 1_300, "equal priorities: about 1 in 8 (\(before))")
    // Eight equal strata over eight equal priorities: one learning step samples, and re-prioritizes, each once.
    dqn.learn()
    #expect((1...8).allSatisfy { $0 == 5 || dqn.replay.priority(of: $0) < dqn.replay.priority(of: 5) })
    let after = frequencies(dqn.replay, draws: 8_000, seed: 2)
    #expect(after[5, default: 0] > 3 * before[5, default: 0], "before \(before), after \(after)")
    #expect(dqn.replay.maxPriority == dqn.replay.priority(of: 5))
  }

  @Test func importanceWeightsAreAtMostOneAndLowestForTheLikeliest() {
    var c = prioritized()
    c.trainingSteps = 1_000
    #expect(c.importanceSamplingExponent(atStep: 0) == 0.4)
    #expect(abs(c.importanceSamplingExponent(atStep: 500) - 0.7) < 1e-12 && c.importanceSamplingExponent(atStep: 5_000) == 1)
    let dqn = DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 4)
    var env = Corridor()
    dqn.train(&env, steps: 400, seed: 1)
    var rng = SplitMix64(seed: 8)
    let indices = dqn.replay.samplePrioritized(32, using: &rng)
    let weights = dqn.importanceWeights(of: indices)
    #expect(weights.allSatisfy { $0 > 0 && $0 <= 1 } && weights.max() == 1)
    let likeliest = indices.indices.max { dqn.replay.priority(of: indices[$0]) < dqn.replay.priority(of: indices[$1]) }!
    #expect(weights[likeliest] == weights.min(), "the most likely draw is scaled down the most")
    #expect(Set(weights).count > 1, "after learning, the priorities differ")
  }

  /// wᵢ = (N·P(i))^(−β) over the batch's largest: (p_min/pᵢ)^β, so the most likely transition gets the smallest
  /// weight; and each element's loss gradient is multiplied by its weight.
  @Test func importanceWeightsScaleTheGradient() throws {
    var c = prioritized()
    c.batchSize = 8
    c.learningStarts = 1_000_000
    c.importanceSamplingExponent = 0.6
    let dqn = DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 4)
    [UInt8](repeating: 0, count: 8).withUnsafeBytes { _ = dqn.beginEpisode(frame: $0) }
    for step in 1...8 {
      [UInt8](repeating: UInt8(step % 6), count: 8).withUnsafeBytes {
        _ = dqn.observe(action: step % 2, reward: Double(step * step), outcome: .ongoing, frame: $0)
      }
    }
    dqn.learn()
    dqn.learn()
    let indices = Array(2...8)
    let priorities = indices.map { dqn.replay.priority(of: $0) }
    try #require(Set(priorities).count >= 3, "the TD errors gave the transitions different priorities: \(priorities)")
    let beta = c.importanceSamplingExponent(atStep: dqn.steps)
    let weights = dqn.importanceWeights(of: indices)
    let lowest = priorities.min()!
    for (weight, priority) in zip(weights, priorities) {
      #expect(abs(Double(weight) - pow(lowest / priority, beta)) < 1e-6, "weight \(weight) for priority \(priority)")
    }
    #expect(weights.count == indices.count && weights.max() == 1)
    #expect(weights[priorities.firstIndex(of: priorities.max()!)!] == weights.min(), "the most likely transition gets the smallest weight")

    // Two elements, Q-values 1 and 3 against targets 0.5 and 0: Huber slopes 0.5 and 1 (clipped), averaged over 2.
    let q = Tensor(shape: [2, 2], scalars: [9, 1, 3, 9])
    let (taken, gradient) = DQN.lossGradient(q: q, actions: [1, 0], targets: [0.5, 0], weights: [1, 0.25], huberDelta: 1)
    #expect(taken.scalars == [1, 3])
    #expect(gradient.scalars == [0, 0.25, 0.125, 0], "slope/n × weight at the action taken, zero elsewhere")
  }

  @Test func exponentsOutsideTheUnitIntervalAreProblems() {
    var c = prioritized()
    #expect(c.problems().isEmpty)
    c.priorityExponent = 1.5
    c.importanceSamplingExponent = -0.1
    #expect(c.problems().map(\.key) == ["priorityExponent", "importanceSamplingExponent"])
  }

  @Test func resumingAPrioritizedRunContinuesExactlyLikeAnUninterruptedOne() throws {
    var c = prioritized()
    c.bufferSize = 500  // the ring wraps before the checkpoint, so stale frames and reused slots are in it
    c.trainingSteps = 2_000
    var checkpoint: [UInt8]? = nil
    let a = DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 5)
    var env = Corridor()
    var seeds = SplitMix64(seed: 9)
    a.train(&env, until: 2_000, seeds: &seeds) { episode in
      if checkpoint == nil && episode.step >= 800 { checkpoint = a.checkpoint(includeReplay: true, extra: [episode.seedState]) }
    }
    let saved = try #require(checkpoint)
    let b = DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 99)
    let extra = try b.restore(saved)
    #expect(Set(b.replay.priorities!.leaves).count > 2, "learned priorities come back, not a fresh start at 1")
    var resumedSeeds = SplitMix64(seed: extra[0])
    var env2 = Corridor()
    b.train(&env2, until: 2_000, seeds: &resumedSeeds) { _ in }
    #expect(b.steps == a.steps && b.updates == a.updates)
    #expect(b.replay.priorities == a.replay.priorities && b.replay.maxPriority == a.replay.maxPriority)
    for position in 0..<6 {
      #expect(a.onlineNetwork.forward(Tensor1.oneHot(position, of: 6)) == b.onlineNetwork.forward(Tensor1.oneHot(position, of: 6)))
      #expect(a.targetNetwork.forward(Tensor1.oneHot(position, of: 6)) == b.targetNetwork.forward(Tensor1.oneHot(position, of: 6)))
    }
  }

  @Test func checkpointsCrossBetweenUniformAndPrioritizedLearners() throws {
    let uniform = DQN(configuration: smallConfiguration(), decoder: OneHot(length: 6), actionCount: 2, seed: 5)
    var env = Corridor()
    uniform.train(&env, steps: 300, seed: 1)
    // A checkpoint without priorities (as every one before them): each sampleable frame starts at priority 1.
    let per = DQN(configuration: prioritized(), decoder: OneHot(length: 6), actionCount: 2, seed: 6)
    try per.restore(uniform.checkpoint(includeReplay: true))
    #expect(per.replay.written == uniform.replay.written)
    #expect((0..<per.replay.written).allSatisfy { per.replay.priority(of: $0) == (per.replay.isSampleable($0) ? 1 : 0) })
    per.train(&env, steps: 100, seed: 2)
    // A prioritized checkpoint restores into a uniform learner too, which ignores the priorities.
    let back = DQN(configuration: smallConfiguration(), decoder: OneHot(length: 6), actionCount: 2, seed: 7)
    try back.restore(per.checkpoint(includeReplay: true))
    #expect(back.replay.priorities == nil && back.replay.written == per.replay.written && back.updates == per.updates)
  }
}
