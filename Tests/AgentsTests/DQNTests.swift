import Agents
import EnvironmentCore
import Testing

/// A corridor of `length` cells: RIGHT moves toward the goal (+1, terminal), LEFT back; −0.01 per step.
struct Corridor: Environment {
  struct Cell: FrameBytes {
    var position: UInt8
    func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
      try Swift.withUnsafeBytes(of: UInt64(position)) { try body($0) }
    }
  }
  var length = 6
  var position = 0
  var actionNames: [String] { ["LEFT", "RIGHT"] }
  mutating func reset(seed: UInt64?) -> Cell { position = Int((seed ?? 0) % 3); return Cell(position: UInt8(position)) }
  mutating func step(_ action: Int) -> Step<Cell> {
    position = max(0, min(length - 1, position + (action == 1 ? 1 : -1)))
    let done = position == length - 1
    return Step(observation: Cell(position: UInt8(position)), reward: done ? 1 : -0.01, outcome: done ? .terminated : .ongoing)
  }
}

/// One-hot position.
struct OneHot: FrameDecoder {
  let length: Int
  var frameBytes: Int { 8 }
  var frameShape: [Int] { [length, 1, 1] }
  func decode(_ frame: UnsafeRawBufferPointer, into inputs: UnsafeMutablePointer<Float>) {
    inputs.update(repeating: 0, count: length)
    inputs[Int(frame[0])] = 1
  }
}

func smallConfiguration() -> DQNConfiguration {
  var c = DQNConfiguration()
  c.learningRate = 1e-3
  c.bufferSize = 5_000
  c.learningStarts = 200
  c.trainFrequency = 1
  c.targetNetworkFrequency = 100
  c.explorationSteps = 1_500
  c.finalEpsilon = 0.05
  c.frameStack = 1
  c.hiddenUnits = [32]
  c.gamma = 0.9
  return c
}

@Suite struct DQNTests {
  @Test func adamEpsilonReachesTheOptimizerAndMustBePositive() {
    var c = smallConfiguration()
    #expect(DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 1).optimizer.epsilon == 1e-8)
    c.adamEpsilon = 3.125e-4
    #expect(DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 1).optimizer.epsilon == 3.125e-4)
    #expect(c.problems().isEmpty)
    c.adamEpsilon = 0
    #expect(c.problems().map(\.key) == ["adamEpsilon"])
  }

  @Test func replayStacksFramesWithinEpisodesOnly() {
    var buffer = ReplayBuffer(capacity: 16, frameBytes: 1, stack: 3)
    func frame(_ v: UInt8) -> [UInt8] { [v] }
    frame(10).withUnsafeBytes { buffer.beginEpisode($0) }
    frame(11).withUnsafeBytes { buffer.append($0, action: 1, reward: 0.5, terminated: false) }
    frame(12).withUnsafeBytes { buffer.append($0, action: 0, reward: 1, terminated: true) }
    frame(20).withUnsafeBytes { buffer.beginEpisode($0) }
    frame(21).withUnsafeBytes { buffer.append($0, action: 1, reward: 0, terminated: false) }
    var state = [UInt8](repeating: 0, count: 3)
    state.withUnsafeMutableBytes { buffer.writeState(endingAt: 4, into: $0) }
    #expect(state == [20, 20, 21], "the new episode's start repeats instead of reaching back")
    state.withUnsafeMutableBytes { buffer.writeState(endingAt: 2, into: $0) }
    #expect(state == [10, 11, 12])
    #expect(!buffer.isSampleable(3), "an episode start ends no transition")
    #expect(buffer.isSampleable(2) && buffer.transition(into: 2) == (action: 0, reward: 1, terminated: true))
  }

  @Test func tdTargetsBootstrapUnlessTerminated() {
    var c = smallConfiguration()
    c.doubleDQN = false
    let dqn = DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 1)
    [UInt8](repeating: 0, count: 8).withUnsafeBytes { _ = dqn.beginEpisode(frame: $0) }
    // Into frame 1: ongoing (as after a truncation, the episode is not terminal); into frame 2: terminated.
    [UInt8](repeating: 1, count: 8).withUnsafeBytes { _ = dqn.observe(action: 1, reward: 0.25, outcome: .truncated, frame: $0) }
    [UInt8](repeating: 2, count: 8).withUnsafeBytes { _ = dqn.observe(action: 1, reward: 1, outcome: .terminated, frame: $0) }
    let q1 = dqn.targetNetwork.forward(Tensor1.oneHot(1, of: 6))
    let targets = dqn.tdTargets(for: [1, 2])
    #expect(abs(targets[0] - (0.25 + 0.9 * max(q1[0], q1[1]))) < 1e-5, "truncated bootstraps from s'")
    #expect(targets[1] == 1, "terminated does not bootstrap")
  }

  /// With uniform and with prioritized replay, and with Munchausen targets.
  @Test(arguments: ["uniform", "prioritized", "munchausen"])
  func learnsTheOptimalCorridorPolicyInAFewThousandSteps(variant: String) {
    var configuration = smallConfiguration()
    configuration.prioritizedReplay = variant == "prioritized"
    configuration.munchausenScale = variant == "munchausen" ? 0.9 : 0
    let dqn = DQN(configuration: configuration, decoder: OneHot(length: 6), actionCount: 2, seed: 7)
    var env = Corridor()
    var lengths: [Int] = []
    dqn.train(&env, steps: 4_000, seed: 3) { _, length in lengths.append(length) }
    for position in 0..<5 {
      let q = dqn.onlineNetwork.forward(Tensor1.oneHot(position, of: 6))
      #expect(q[1] > q[0], "RIGHT is best at \(position): \(q[0]) vs \(q[1])")
    }
    #expect(dqn.updates > 3_000)
    #expect(lengths.suffix(20).allSatisfy { $0 <= 8 }, "late episodes are near-optimal: \(lengths.suffix(20))")
  }

  @Test func trainingIsDeterministicForASeed() {
    func run() -> [Float] {
      let dqn = DQN(configuration: smallConfiguration(), decoder: OneHot(length: 6), actionCount: 2, seed: 11)
      var env = Corridor()
      dqn.train(&env, steps: 600, seed: 2)
      return Array(dqn.onlineNetwork.forward(Tensor1.oneHot(2, of: 6)).scalars)
    }
    #expect(run() == run())
  }
}

import NeuralNetworks

enum Tensor1 {
  static func oneHot(_ i: Int, of n: Int) -> Tensor {
    var t = Tensor(shape: [1, n])
    t[i] = 1
    return t
  }
}

@Suite struct DQNCheckpointTests {
  @Test func resumingFromACheckpointContinuesExactlyLikeAnUninterruptedRun() throws {
    var checkpoint: [UInt8]? = nil
    let a = DQN(configuration: smallConfiguration(), decoder: OneHot(length: 6), actionCount: 2, seed: 5)
    var env = Corridor()
    var seeds = SplitMix64(seed: 9)
    a.train(&env, until: 2_000, seeds: &seeds) { episode in
      if checkpoint == nil && episode.step >= 800 { checkpoint = a.checkpoint(includeReplay: true, extra: [episode.seedState]) }
    }
    let saved = try #require(checkpoint)
    let b = DQN(configuration: smallConfiguration(), decoder: OneHot(length: 6), actionCount: 2, seed: 99)
    let extra = try b.restore(saved)
    var resumedSeeds = SplitMix64(seed: extra[0])
    var env2 = Corridor()
    b.train(&env2, until: 2_000, seeds: &resumedSeeds) { _ in }
    #expect(b.steps == a.steps && b.updates == a.updates)
    for position in 0..<6 {
      #expect(a.onlineNetwork.forward(Tensor1.oneHot(position, of: 6)) == b.onlineNetwork.forward(Tensor1.oneHot(position, of: 6)))
      #expect(a.targetNetwork.forward(Tensor1.oneHot(position, of: 6)) == b.targetNetwork.forward(Tensor1.oneHot(position, of: 6)))
    }
  }

  @Test func corruptOrMismatchedCheckpointsAreRefused() throws {
    let a = DQN(configuration: smallConfiguration(), decoder: OneHot(length: 6), actionCount: 2, seed: 5)
    var bytes = a.checkpoint(includeReplay: false)
    bytes[bytes.count / 2] ^= 0xFF
    #expect(throws: CheckpointError.self) { try a.restore(bytes) }
    var wider = smallConfiguration()
    wider.hiddenUnits = [16]
    let b = DQN(configuration: wider, decoder: OneHot(length: 6), actionCount: 2, seed: 5)
    #expect(throws: CheckpointError.self) { try b.restore(a.checkpoint(includeReplay: false)) }
  }
}
