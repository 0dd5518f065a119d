import EnvironmentCore
import NeuralNetworks

/// A trained Q-network playing ε-greedily (ε small, for evaluation) on stacked grid observations.
public struct DQNPolicy: Agent {
  public let network: Sequential
  public let decoder: GridBitsDecoder
  public let frameStack: Int
  public let epsilon: Double
  private let actionCount: Int
  private var frames: [[Float]] = []
  private var rng = SplitMix64(seed: 0)

  public init(network: Sequential, decoder: GridBitsDecoder, frameStack: Int, actionCount: Int, epsilon: Double) {
    self.network = network
    self.decoder = decoder
    self.frameStack = frameStack
    self.actionCount = actionCount
    self.epsilon = epsilon
  }

  public mutating func beginEpisode(seed: UInt64) {
    frames.removeAll()
    rng = SplitMix64(seed: seed)
  }

  public mutating func action(for observation: GridObservation) -> Int {
    var frame = [Float](repeating: 0, count: decoder.inputCount)
    observation.withFrameBytes { bytes in frame.withUnsafeMutableBufferPointer { decoder.decode(bytes, into: $0.baseAddress!) } }
    // The first frame of an episode fills the whole stack, as the replay buffer does.
    if frames.isEmpty { frames = Array(repeating: frame, count: frameStack) } else { frames.removeFirst(); frames.append(frame) }
    if rng.nextBool(probability: epsilon) { return rng.nextInt(below: actionCount) }
    let q = network.forward(Tensor(shape: [1, decoder.inputCount * frameStack], scalars: frames.flatMap { $0 }))
    return DQN.argmax(Array(q.scalars))
  }
}
