import EnvironmentCore
import NeuralNetworks

/// Deep Q-learning (Mnih et al. 2015) with Double DQN targets (van Hasselt et al. 2016): an ε-greedy agent
/// whose Q-network learns from a replay buffer against a periodically synced target network.
///
/// States are stacks of frames (``ReplayBuffer``); a frame is the observation's bytes, turned into network
/// inputs by a ``FrameDecoder``. The TD target bootstraps unless the transition *terminated*: a truncated
/// episode (time limit) still bootstraps from its last state.
public final class DQN {
  public let configuration: DQNConfiguration
  public let decoder: any FrameDecoder
  public let actionCount: Int
  public let onlineNetwork: Sequential
  public let targetNetwork: Sequential
  public var optimizer: Adam
  public internal(set) var replay: ReplayBuffer
  /// Environment steps taken in training.
  public internal(set) var steps = 0
  /// Gradient updates applied.
  public internal(set) var updates = 0
  public var rng: SplitMix64
  private var stateScratch: [UInt8]

  /// The network's input for one state: `[stacked channels, height, width]` for a convolutional network,
  /// `[stacked inputs]` for a perceptron.
  public let stateShape: [Int]

  /// A learner on frames that `decoder` turns into inputs; matrix products use `threads` threads (the results
  /// are identical for any count).
  public init(configuration: DQNConfiguration, decoder: any FrameDecoder, actionCount: Int, seed: UInt64, threads: Int = 1) {
    self.configuration = configuration
    self.decoder = decoder
    self.actionCount = actionCount
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

  /// The input shape of one stacked state for `configuration` on frames of `frameShape` (`[C, H, W]`).
  public static func stateShape(configuration: DQNConfiguration, frameShape: [Int]) -> [Int] {
    configuration.convolutions.isEmpty ? [configuration.frameStack * frameShape.reduce(1, *)]
      : [configuration.frameStack * frameShape[0]] + frameShape.dropFirst()
  }

  /// The Q-network of `configuration` for frames of `frameShape` (`[C, H, W]`) and `outputs` actions: the
  /// convolutions (each followed by ReLU), then the hidden layers, then a linear (or dueling) output.
  public static func makeNetwork(configuration: DQNConfiguration, frameShape: [Int], outputs: Int, seed: UInt64) -> Sequential {
    precondition(convolutionProblem(configuration: configuration, frameShape: frameShape) == nil, "convolutions do not fit the grid")
    var rng = SplitMix64(seed: seed)
    var layers: [any Layer] = []
    var shape = stateShape(configuration: configuration, frameShape: frameShape)
    for convolution in configuration.convolutions {
      let conv = Conv2D(inChannels: shape[0], outChannels: convolution[0], kernel: convolution[1], stride: convolution[2],
                        padding: convolution.count > 3 ? convolution[3] : 0, initialization: .he, using: &rng)
      let out = conv.outputSize(height: shape[1], width: shape[2])
      layers += [conv, ReLU()]
      shape = [convolution[0], out.height, out.width]
    }
    if shape.count > 1 { layers.append(Flatten()) }
    var width = shape.reduce(1, *)
    for units in configuration.hiddenUnits {
      layers.append(Linear(inputs: width, outputs: units, initialization: .he, using: &rng))
      layers.append(ReLU())
      width = units
    }
    layers.append(configuration.dueling ? DuelingHead(inputs: width, actions: outputs, using: &rng)
                    : Linear(inputs: width, outputs: outputs, initialization: .xavier, using: &rng))
    return Sequential(layers)
  }

  /// Why `configuration`'s convolutions cannot run on frames of `frameShape`, or `nil` when they fit.
  public static func convolutionProblem(configuration: DQNConfiguration, frameShape: [Int]) -> String? {
    var (height, width) = (frameShape[1], frameShape[2])
    for c in configuration.convolutions {
      let padding = c.count > 3 ? c[3] : 0
      guard c[1] <= height + 2 * padding && c[1] <= width + 2 * padding else {
        return "convolution \(c) needs at least \(c[1])×\(c[1]) cells but gets \(width)×\(height)"
      }
      (height, width) = ((height + 2 * padding - c[1]) / c[2] + 1, (width + 2 * padding - c[1]) / c[2] + 1)
    }
    return nil
  }

  /// The cells of the first convolution's input that no kernel window reaches (the stride skips the last
  /// columns or rows), described for a warning, or `nil` when every cell is seen.
  public static func unseenCells(configuration: DQNConfiguration, frameShape: [Int]) -> String? {
    guard let c = configuration.convolutions.first, convolutionProblem(configuration: configuration, frameShape: frameShape) == nil
    else { return nil }
    let padding = c.count > 3 ? c[3] : 0
    func unseen(_ size: Int) -> Int { max(0, size + padding - (((size + 2 * padding - c[1]) / c[2]) * c[2] + c[1])) }
    let (columns, rows) = (unseen(frameShape[2]), unseen(frameShape[1]))
    let parts = [(columns, "column"), (rows, "row")].filter { $0.0 > 0 }.map { "the last \($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
    guard !parts.isEmpty else { return nil }
    return "convolution \(c) on \(frameShape[2])×\(frameShape[1]) cells never sees \(parts.joined(separator: " and "))"
      + " (pad it: [filters, kernel, stride, padding])"
  }

  // MARK: Acting

  /// Q-values of the stacked state ending at the newest stored frame.
  public func qValues(ofStateEndingAt index: Int) -> [Float] {
    let input = batchInput([index])
    return Array(onlineNetwork.forward(input).scalars)
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

  // MARK: Training

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

  /// Records a transition that took `environmentSteps` steps (more than one when the action was repeated)
  /// and learns and syncs the target network whenever the step count passes their periods. Returns the new
  /// frame's index.
  @discardableResult
  public func observe(action: Int, reward: Double, outcome: Outcome, frame: UnsafeRawBufferPointer,
                      environmentSteps: Int = 1) -> Int {
    replay.append(frame, action: action, reward: reward, terminated: outcome == .terminated)
    let before = steps
    steps += environmentSteps
    // MARK: learn
    if steps > configuration.learningStarts && replay.count > configuration.batchSize + configuration.stackSpan {
      for _ in 0..<Self.crossings(of: configuration.trainFrequency, from: before, to: steps) { learn() }
    }
    // MARK: sync target
    if Self.crossings(of: configuration.targetNetworkFrequency, from: before, to: steps) > 0 {
      targetNetwork.copyParameters(from: onlineNetwork)
    }
    return replay.written - 1
  }

  /// Multiples of `period` in `(from, to]`.
  static func crossings(of period: Int, from: Int, to: Int) -> Int { to / period - from / period }

  /// One gradient step on a sampled batch: Huber loss between Q(s, a) and the TD target. With prioritized
  /// replay the batch is drawn by priority, each element's gradient is scaled by its importance-sampling
  /// weight, and the sampled transitions take their TD errors (from before the step) as new priorities.
  public func learn() {
    let prioritized = configuration.prioritizedReplay
    let indices = prioritized ? replay.samplePrioritized(configuration.batchSize, using: &rng)
      : (0..<configuration.batchSize).map { _ in replay.sampleIndex(using: &rng) }
    let states = batchInput(indices.map { $0 - 1 })
    let targets = tdTargets(for: indices, states: states)
    let q = onlineNetwork.forward(states)
    var taken = Tensor(shape: [indices.count])
    for (b, index) in indices.enumerated() { taken[b] = q[b * actionCount + replay.transition(into: index).action] }
    let (_, gradient) = Loss.huber(taken, Tensor(shape: [indices.count], scalars: targets), delta: configuration.huberDelta)
    let weights = prioritized ? importanceWeights(of: indices) : nil
    var full = Tensor(shape: q.shape)
    for (b, index) in indices.enumerated() {
      full[b * actionCount + replay.transition(into: index).action] = gradient[b] * (weights?[b] ?? 1)
    }
    onlineNetwork.zeroGradients()
    _ = onlineNetwork.backward(full)
    _ = clipGradientNorm(onlineNetwork.parameters, maxNorm: configuration.maxGradientNorm)
    optimizer.step(onlineNetwork.parameters)
    if prioritized { reprioritize(indices, tdErrors: indices.indices.map { targets[$0] - taken[$0] }) }
    updates += 1
  }

  /// The n-step TD target for transitions into `indices` (n = `configuration.nStep`): the discounted rewards
  /// of up to n steps of the same episode, plus γⁿ·Q_target(s′, a*) from the state after them, with a* from
  /// the online network when Double DQN is on (Munchausen's soft target instead when `munchausenScale` > 0).
  /// No bootstrap when a step terminated; an episode cut by the time limit (the next frame starts a new
  /// episode) bootstraps from its last state. `states`, the network input of the states the transitions
  /// leave, saves Munchausen decoding them again.
  public func tdTargets(for indices: [Int], states: Tensor? = nil) -> [Float] {
    var returns = [Float](repeating: 0, count: indices.count), discounts = returns
    var last = indices
    let gamma = Float(configuration.gamma)
    for (b, index) in indices.enumerated() {
      var discount: Float = 1
      for j in index..<min(index + configuration.nStep, replay.written) {
        if j > index && replay.startsEpisode(j) { break }
        let t = replay.transition(into: j)
        returns[b] += discount * t.reward
        discount *= gamma
        last[b] = j
        if t.terminated { discount = 0; break }
      }
      discounts[b] = discount
    }
    let next = batchInput(last)
    let targetQ = targetNetwork.forward(next)
    if configuration.munchausenScale > 0 {
      return munchausenTargets(for: indices, states: states ?? batchInput(indices.map { $0 - 1 }), returns: returns,
                               discounts: discounts, nextQ: targetQ)
    }
    let onlineQ = configuration.doubleDQN ? onlineNetwork.forward(next) : targetQ
    return indices.indices.map { b in
      guard discounts[b] > 0 else { return returns[b] }
      let row = (0..<actionCount).map { onlineQ[b * actionCount + $0] }
      return returns[b] + discounts[b] * targetQ[b * actionCount + Self.argmax(row)]
    }
  }

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
