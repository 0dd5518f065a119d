import Agents
import EnvironmentCore
import NeuralNetworks
import Testing

/// Counts steps: the observation is the step number, every step earns 1, a life is lost every `lifeEvery`
/// steps and the episode terminates with the last life.
private struct Countdown: Environment {
  struct Count: FrameBytes {
    var value: UInt8
    func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
      try Swift.withUnsafeBytes(of: UInt64(value)) { try body($0) }
    }
  }
  var lifeEvery = 5
  var startLives = 3
  var count = 0
  var livesLeft = 3
  var actionNames: [String] { ["A", "B"] }
  var lives: Int? { livesLeft }
  mutating func reset(seed: UInt64?) -> Count {
    count = 0
    livesLeft = startLives
    return Count(value: 0)
  }
  mutating func step(_ action: Int) -> Step<Count> {
    count += 1
    if count % lifeEvery == 0 { livesLeft -= 1 }
    return Step(observation: Count(value: UInt8(count)), reward: 1, outcome: livesLeft == 0 ? .terminated : .ongoing)
  }
}

/// The raw byte as the only input.
private struct ByteValue: FrameDecoder {
  var frameBytes: Int { 8 }
  var frameShape: [Int] { [1, 1, 1] }
  func decode(_ frame: UnsafeRawBufferPointer, into inputs: UnsafeMutablePointer<Float>) { inputs[0] = Float(frame[0]) }
}

private func noLearning() -> DQNConfiguration {
  var c = smallConfiguration()
  c.learningStarts = 1_000_000
  return c
}

/// The stored frames (their byte), in order, with each transition's (reward, terminated, starts episode).
private func stored(_ dqn: DQN) -> [(frame: UInt8, reward: Float, terminated: Bool, start: Bool)] {
  (0..<dqn.replay.written).map { index in
    var state = [UInt8](repeating: 0, count: 8)
    state.withUnsafeMutableBytes { dqn.replay.writeState(endingAt: index, into: $0) }
    let t = dqn.replay.transition(into: index)
    return (state[0], t.reward, t.terminated, dqn.replay.startsEpisode(index))
  }
}

@Suite struct DQNRepeatAndLivesTests {
  @Test func episodicLifeEndsTheTargetAtALostLifeButNotTheEpisode() {
    var c = noLearning()
    c.episodicLife = true
    let dqn = DQN(configuration: c, decoder: ByteValue(), actionCount: 2, seed: 1)
    var env = Countdown()
    var lengths: [Int] = []
    dqn.train(&env, steps: 15, seed: 0) { _, length in lengths.append(length) }
    let frames = stored(dqn)
    #expect(lengths == [15], "one episode of three lives")
    #expect(frames.filter(\.start).map(\.frame) == [0], "a lost life starts no episode")
    #expect(frames.filter(\.terminated).map(\.frame) == [5, 10, 15], "each lost life, and the end, stop the bootstrap")

    let plain = DQN(configuration: noLearning(), decoder: ByteValue(), actionCount: 2, seed: 1)
    var env2 = Countdown()
    plain.train(&env2, steps: 15, seed: 0)
    #expect(stored(plain).filter(\.terminated).map(\.frame) == [15], "without the switch only the real end is terminal")
  }

  @Test func repeatedActionsStoreEveryKthFrameWithSummedRewards() {
    var c = noLearning()
    c.actionRepeat = 3
    c.episodicLife = true
    let dqn = DQN(configuration: c, decoder: ByteValue(), actionCount: 2, seed: 1)
    var env = Countdown(lifeEvery: 4, startLives: 2)
    var lengths: [Int] = []
    dqn.train(&env, steps: 8, seed: 0) { _, length in lengths.append(length) }
    let frames = stored(dqn)
    // Decisions at 0, 3, 6; the episode ends after 8 steps, inside the third repeat.
    #expect(frames.map(\.frame) == [0, 3, 6, 8])
    #expect(frames.dropFirst().map(\.reward) == [3, 3, 2], "rewards of the repeated steps are summed")
    #expect(frames.filter(\.terminated).map(\.frame) == [6, 8], "the life lost at step 4 marks the repeat it fell in")
    #expect(dqn.steps == 8 && lengths == [8], "steps count environment steps, not decisions")
  }

  @Test func learningAndTargetSyncFollowEnvironmentStepsUnderRepeat() {
    var c = smallConfiguration()
    c.actionRepeat = 3
    c.trainFrequency = 4
    c.learningStarts = 0
    c.batchSize = 1
    c.bufferSize = 100
    let dqn = DQN(configuration: c, decoder: ByteValue(), actionCount: 2, seed: 1)
    var env = Countdown(lifeEvery: 1_000)
    dqn.train(&env, steps: 24, seed: 0)
    // Decisions end at steps 3, 6, …, 24; an update is due at each multiple of 4 passed once the replay holds
    // more than batch + span = 2 frames (from the second decision on): 4, 8, …, 24. Counting decisions that
    // land on a multiple would give only 12 and 24.
    #expect(dqn.steps == 24)
    #expect(dqn.updates == 6)
  }

  @Test func aPolicyHoldsItsActionBetweenDecisions() {
    // Q = the one-hot input itself, so the greedy action is the observed position (0 or 1).
    var rng = SplitMix64(seed: 0)
    let layer = Linear(inputs: 2, outputs: 2, using: &rng)
    layer.weight.value = Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
    layer.bias.value = Tensor(shape: [2])
    let network = Sequential([layer])
    func actions(repeat k: Int) -> [Int] {
      var c = DQNConfiguration()
      c.frameStack = 1
      c.actionRepeat = k
      c.evaluationEpsilon = 0
      var policy = DQNPolicy<Corridor.Cell>(network: network, decoder: OneHot(length: 2), configuration: c, actionCount: 2)
      policy.beginEpisode(seed: 0)
      return (0..<7).map { policy.action(for: Corridor.Cell(position: UInt8([0, 1, 1, 0, 1, 0, 0][$0]))) }
    }
    #expect(actions(repeat: 1) == [0, 1, 1, 0, 1, 0, 0])
    #expect(actions(repeat: 2) == [0, 0, 1, 1, 1, 1, 0], "decides on observations 0, 2, 4, 6 and holds between")
    #expect(actions(repeat: 3) == [0, 0, 0, 0, 0, 0, 0])
  }

  @Test func settingsOutOfRangeAreNamed() {
    var c = DQNConfiguration()
    c.actionRepeat = 0
    #expect(c.problems().map(\.key) == ["actionRepeat"])
  }
}
