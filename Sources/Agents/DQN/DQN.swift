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

  public init(configuration: DQNConfiguration, decoder: any FrameDecoder, actionCount: Int, seed: UInt64) {
    self.configuration = configuration
    self.decoder = decoder
    self.actionCount = actionCount
    rng = SplitMix64(seed: seed)
    var init1 = SplitMix64(seed: SplitMix64.derive(seed, 1))
    onlineNetwork = DQN.makeNetwork(inputs: decoder.inputCount * configuration.frameStack, hidden: configuration.hiddenUnits,
                                    outputs: actionCount, rng: &init1)
    var init2 = SplitMix64(seed: SplitMix64.derive(seed, 1))
    targetNetwork = DQN.makeNetwork(inputs: decoder.inputCount * configuration.frameStack, hidden: configuration.hiddenUnits,
                                    outputs: actionCount, rng: &init2)
    optimizer = Adam(learningRate: configuration.learningRate)
    replay = ReplayBuffer(capacity: configuration.bufferSize, frameBytes: decoder.frameBytes, stack: configuration.frameStack)
    stateScratch = [UInt8](repeating: 0, count: decoder.frameBytes * configuration.frameStack)
  }

  /// The Q-network of `configuration` for `inputs` inputs (stacked frames) and `outputs` actions.
  public static func makeNetwork(configuration: DQNConfiguration, inputs: Int, outputs: Int, seed: UInt64) -> Sequential {
    var rng = SplitMix64(seed: seed)
    return makeNetwork(inputs: inputs, hidden: configuration.hiddenUnits, outputs: outputs, rng: &rng)
  }

  static func makeNetwork(inputs: Int, hidden: [Int], outputs: Int, rng: inout SplitMix64) -> Sequential {
    var layers: [any Layer] = []
    var width = inputs
    for units in hidden {
      layers.append(Linear(inputs: width, outputs: units, initialization: .he, using: &rng))
      layers.append(ReLU())
      width = units
    }
    layers.append(Linear(inputs: width, outputs: outputs, initialization: .xavier, using: &rng))
    return Sequential(layers)
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

  /// Records a step and, on schedule, learns and syncs the target network. Returns the new frame's index.
  @discardableResult
  public func observe(action: Int, reward: Double, outcome: Outcome, frame: UnsafeRawBufferPointer) -> Int {
    replay.append(frame, action: action, reward: reward, terminated: outcome == .terminated)
    steps += 1
    // MARK: learn
    if steps > configuration.learningStarts && steps % configuration.trainFrequency == 0 && replay.count > configuration.batchSize + configuration.frameStack {
      learn()
    }
    // MARK: sync target
    if steps % configuration.targetNetworkFrequency == 0 { targetNetwork.copyParameters(from: onlineNetwork) }
    return replay.written - 1
  }

  /// One gradient step on a sampled batch: Huber loss between Q(s, a) and the TD target.
  public func learn() {
    let indices = (0..<configuration.batchSize).map { _ in replay.sampleIndex(using: &rng) }
    let targets = tdTargets(for: indices)
    let q = onlineNetwork.forward(batchInput(indices.map { $0 - 1 }))
    var taken = Tensor(shape: [indices.count])
    for (b, index) in indices.enumerated() { taken[b] = q[b * actionCount + replay.transition(into: index).action] }
    let (_, gradient) = Loss.huber(taken, Tensor(shape: [indices.count], scalars: targets), delta: configuration.huberDelta)
    var full = Tensor(shape: q.shape)
    for (b, index) in indices.enumerated() { full[b * actionCount + replay.transition(into: index).action] = gradient[b] }
    onlineNetwork.zeroGradients()
    _ = onlineNetwork.backward(full)
    _ = clipGradientNorm(onlineNetwork.parameters, maxNorm: configuration.maxGradientNorm)
    optimizer.step(onlineNetwork.parameters)
    updates += 1
  }

  /// r + γ·Q_target(s', a*) for transitions into `indices`, with a* from the online network when Double DQN
  /// is on; no bootstrap when the transition terminated.
  public func tdTargets(for indices: [Int]) -> [Float] {
    let next = batchInput(indices)
    let targetQ = targetNetwork.forward(next)
    let onlineQ = configuration.doubleDQN ? onlineNetwork.forward(next) : targetQ
    return indices.enumerated().map { b, index in
      let t = replay.transition(into: index)
      if t.terminated { return t.reward }
      let row = (0..<actionCount).map { onlineQ[b * actionCount + $0] }
      let chosen = Self.argmax(row)
      return t.reward + Float(configuration.gamma) * targetQ[b * actionCount + chosen]
    }
  }

  /// Network input for the states ending at each replay index.
  func batchInput(_ indices: [Int]) -> Tensor {
    let width = decoder.inputCount * configuration.frameStack
    var input = Tensor(shape: [indices.count, width])
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

/// Turns one stored frame (the observation's bytes) into network inputs.
public protocol FrameDecoder: Sendable {
  /// Bytes of one frame in the replay buffer.
  var frameBytes: Int { get }
  /// Network inputs per frame.
  var inputCount: Int { get }
  func decode(_ frame: UnsafeRawBufferPointer, into inputs: UnsafeMutablePointer<Float>)
}

/// Grid observations stored as their bit planes (1 bit per cell and channel) and fed as 0/1 inputs.
public struct GridBitsDecoder: FrameDecoder {
  public let layout: GridLayout
  public init(layout: GridLayout) { self.layout = layout }
  public var frameBytes: Int { layout.wordCount * 8 }
  public var inputCount: Int { layout.channelCount * layout.width * layout.height }

  public func decode(_ frame: UnsafeRawBufferPointer, into inputs: UnsafeMutablePointer<Float>) {
    let words = frame.bindMemory(to: UInt64.self)
    let cells = layout.width * layout.height
    for c in 0..<layout.channelCount {
      for cell in 0..<cells {
        inputs[c * cells + cell] = Float(words[c * layout.wordsPerPlane + cell >> 6] >> UInt64(cell & 63) & 1)
      }
    }
  }
}
