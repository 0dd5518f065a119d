import EnvironmentCore
import NeuralNetworks

/// Deep Q-learning (Mnih et al. 2015): an ε-greedy agent whose Q-network learns from a replay buffer against a
/// periodically synced target network, with n-step returns and the TD target its configuration picks
/// (``TDTarget``: the maximum, Double DQN, or Munchausen).
///
/// States are stacks of frames (``ReplayBuffer``); a frame is the observation's bytes, turned into network
/// inputs by a ``FrameDecoder``. The TD target bootstraps unless the transition *terminated*: a truncated
/// episode (time limit) still bootstraps from its last state. ``train(_:until:seeds:episodeEnded:)`` is the
/// algorithm, top to bottom: act, store, learn, sync.
public final class DQN {
  public let configuration: DQNConfiguration
  public let decoder: any FrameDecoder
  public let actionCount: Int
  public let onlineNetwork: Sequential
  public let targetNetwork: Sequential
  /// How TD targets bootstrap, fixed by the configuration.
  public let tdTarget: TDTarget
  public internal(set) var optimizer: Adam
  public internal(set) var replay: ReplayBuffer
  /// Environment steps taken in training.
  public internal(set) var steps = 0
  /// Gradient updates applied.
  public internal(set) var updates = 0
  /// The learner's own random choices: exploration and replay sampling.
  var rng: SplitMix64
  private var stateScratch: [UInt8]

  /// The network's input for one state (``stateShape(configuration:frameShape:)``).
  public let stateShape: [Int]

  /// A learner on frames that `decoder` turns into inputs; matrix products use `threads` threads (the results
  /// are identical for any count).
  public init(configuration: DQNConfiguration, decoder: any FrameDecoder, actionCount: Int, seed: UInt64, threads: Int = 1) {
    self.configuration = configuration
    self.decoder = decoder
    self.actionCount = actionCount
    tdTarget = configuration.tdTarget
    rng = SplitMix64(seed: seed)
    stateShape = Self.stateShape(configuration: configuration, frameShape: decoder.frameShape)
    onlineNetwork = DQN.makeNetwork(configuration: configuration, frameShape: decoder.frameShape, outputs: actionCount,
                                    seed: SplitMix64.derive(seed, 1))
    targetNetwork = DQN.makeNetwork(configuration: configuration, frameShape: decoder.frameShape, outputs: actionCount,
                                    seed: SplitMix64.derive(seed, 1))
    onlineNetwork.threads = threads
    targetNetwork.threads = threads
    optimizer = Adam(learningRate: configuration.learningRate, epsilon: configuration.adamEpsilon)
    replay = ReplayBuffer(capacity: configuration.bufferSize, frameBytes: decoder.frameBytes, stack: configuration.frameStack,
                          stackStride: configuration.stackStride, prioritized: configuration.prioritizedReplay)
    stateScratch = [UInt8](repeating: 0, count: decoder.frameBytes * configuration.frameStack)
  }

  // MARK: - The algorithm

  /// Trains until the learner has taken `targetSteps` environment steps, playing whole episodes reset with seeds
  /// from `seeds` (an episode cut by the target is abandoned). Calls `episodeEnded` after every finished episode
  /// — the moment to checkpoint, since nothing of the next episode exists yet.
  public func train<E: Environment>(_ environment: inout E, until targetSteps: Int, seeds: inout SplitMix64,
                                    episodeEnded: (TrainingEpisode) throws -> Void = { _ in }) rethrows where E.Observation: FrameBytes {
    while steps < targetSteps {
      var index = environment.reset(seed: seeds.next()).withFrameBytes { beginEpisode(frame: $0) }
      var total = 0.0, length = 0
      var lives = environment.lives
      while steps < targetSteps {
        // MARK: act — ε-greedy; the action holds for `actionRepeat` steps (rewards summed) or until the episode ends
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
        // MARK: store — with `episodicLife`, a lost life ends the TD target though the episode goes on
        var outcome = step.outcome
        if configuration.episodicLife, let before = lives, let after = environment.lives {
          if after < before && outcome == .ongoing { outcome = .terminated }
          lives = after
        }
        let before = steps
        index = step.observation.withFrameBytes { store(action: action, reward: reward, outcome: outcome, frame: $0, environmentSteps: taken) }
        // MARK: learn — every `trainFrequency` steps once `learningStarts` have passed
        learnIfDue(after: before)
        // MARK: sync — the target network takes the online network's weights every `targetNetworkFrequency` steps
        syncTargetIfDue(after: before)
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

  /// One gradient step: a batch from the replay, its TD targets, the Huber loss between Q(s, a) and them (each
  /// element weighted by its importance-sampling weight when prioritized), Adam on the clipped gradient.
  public func learn() {
    let batch = sampleBatch()
    let states = batchInput(batch.indices.map { $0 - 1 })
    let targets = tdTargets(for: batch.indices, states: states)
    let q = onlineNetwork.forward(states)
    let actions = batch.indices.map { replay.transition(into: $0).action }
    let (taken, gradient) = Self.lossGradient(q: q, actions: actions, targets: targets, weights: batch.weights,
                                              huberDelta: configuration.huberDelta)
    onlineNetwork.zeroGradients()
    _ = onlineNetwork.backward(gradient)
    _ = clipGradientNorm(onlineNetwork.parameters, maxNorm: configuration.maxGradientNorm)
    optimizer.step(onlineNetwork.parameters)
    reprioritize(batch.indices, tdErrors: targets.indices.map { targets[$0] - taken[$0] })
    updates += 1
  }

  /// Q(s, a) of the actions taken, and the gradient of the Huber loss between them and `targets` with respect to
  /// every Q-value: each element's gradient scaled by its weight, at its action; zero elsewhere.
  static func lossGradient(q: Tensor, actions: [Int], targets: [Float], weights: [Float], huberDelta: Float) -> (taken: Tensor, gradient: Tensor) {
    let actionCount = q.shape[1]
    var taken = Tensor(shape: [actions.count])
    for (b, action) in actions.enumerated() { taken[b] = q[b * actionCount + action] }
    let (_, gradient) = Loss.huber(taken, Tensor(shape: [actions.count], scalars: targets), delta: huberDelta)
    var full = Tensor(shape: q.shape)
    for (b, action) in actions.enumerated() { full[b * actionCount + action] = gradient[b] * weights[b] }
    return (taken, full)
  }

  // MARK: - Acting

  /// Q-values of the stacked state ending at replay frame `index`.
  public func qValues(ofStateEndingAt index: Int) -> [Float] {
    Array(onlineNetwork.forward(batchInput([index])).scalars)
  }

  /// ε-greedy action for the state ending at replay frame `index`.
  public func action(forStateEndingAt index: Int, epsilon: Double) -> Int {
    if rng.nextBool(probability: epsilon) { return rng.nextInt(below: actionCount) }
    return Self.argmax(qValues(ofStateEndingAt: index))
  }

  static func argmax(_ values: [Float]) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
  }

  // MARK: - The phases, for callers that drive the environment themselves

  /// Records the first observation of an episode; returns its replay index.
  @discardableResult
  public func beginEpisode(frame: UnsafeRawBufferPointer) -> Int {
    replay.beginEpisode(frame)
    return replay.written - 1
  }

  /// Stores a transition without counting a training step (to prefill the replay, e.g. for benchmarks).
  public func remember(action: Int, reward: Double, outcome: Outcome, frame: UnsafeRawBufferPointer) {
    replay.append(frame, action: action, reward: reward, terminated: outcome == .terminated)
  }

  /// Stores, learns and syncs as ``train(_:until:seeds:episodeEnded:)`` does after acting: records a transition
  /// that took `environmentSteps` steps (more than one when the action was repeated). Returns the new frame's index.
  @discardableResult
  public func observe(action: Int, reward: Double, outcome: Outcome, frame: UnsafeRawBufferPointer,
                      environmentSteps: Int = 1) -> Int {
    let before = steps
    let index = store(action: action, reward: reward, outcome: outcome, frame: frame, environmentSteps: environmentSteps)
    learnIfDue(after: before)
    syncTargetIfDue(after: before)
    return index
  }

  private func store(action: Int, reward: Double, outcome: Outcome, frame: UnsafeRawBufferPointer, environmentSteps: Int) -> Int {
    replay.append(frame, action: action, reward: reward, terminated: outcome == .terminated)
    steps += environmentSteps
    return replay.written - 1
  }

  private func learnIfDue(after before: Int) {
    guard steps > configuration.learningStarts && replay.count > configuration.batchSize + configuration.stackSpan else { return }
    for _ in 0..<Self.crossings(of: configuration.trainFrequency, from: before, to: steps) { learn() }
  }

  private func syncTargetIfDue(after before: Int) {
    if Self.crossings(of: configuration.targetNetworkFrequency, from: before, to: steps) > 0 {
      targetNetwork.copyParameters(from: onlineNetwork)
    }
  }

  /// Multiples of `period` in `(from, to]`.
  static func crossings(of period: Int, from: Int, to: Int) -> Int { to / period - from / period }

  /// Network input for the states ending at each replay index.
  func batchInput(_ indices: [Int]) -> Tensor {
    let width = decoder.inputCount * configuration.frameStack
    var input = Tensor(shape: [indices.count] + stateShape)
    input.withUnsafeMutablePointer { out in
      for (b, index) in indices.enumerated() {
        stateScratch.withUnsafeMutableBytes { replay.writeState(endingAt: index, into: $0) }
        stateScratch.withUnsafeBytes { bytes in
          for k in 0..<configuration.frameStack {
            decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[(k * decoder.frameBytes)..<((k + 1) * decoder.frameBytes)]),
                           into: out + b * width + k * decoder.inputCount)
          }
        }
      }
    }
    return input
  }
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
