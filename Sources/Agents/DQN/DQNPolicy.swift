import EnvironmentCore
import NeuralNetworks

/// A trained Q-network playing ε-greedily (ε small, for evaluation) on stacked observations (grids or
/// pixels, whatever `decoder` reads), stacked as the replay buffer stacks them in training.
public struct DQNPolicy<Observation: FrameBytes>: Agent {
  public let network: Sequential
  public let decoder: any FrameDecoder
  public let configuration: DQNConfiguration
  private let actionCount: Int
  private let stateShape: [Int]
  /// The last `stackSpan` decoded frames, a ring; `newest` is the slot of the latest.
  private var history: [Float]
  private var newest = -1
  private var rng = SplitMix64(seed: 0)
  /// Observations seen this episode; a decision is made on every `actionRepeat`-th, as in training.
  private var seen = 0
  private var held = 0
  /// The Q-values behind the last greedy action (empty before one, or when ε chose at random).
  public private(set) var lastQValues: [Float] = []

  /// Plays `network`, which reads stacks of frames decoded by `decoder` as `configuration` stacks them.
  public init(network: Sequential, decoder: any FrameDecoder, configuration: DQNConfiguration, actionCount: Int) {
    self.network = network
    self.decoder = decoder
    self.configuration = configuration
    self.actionCount = actionCount
    stateShape = DQN.stateShape(configuration: configuration, frameShape: decoder.frameShape)
    history = [Float](repeating: 0, count: configuration.stackSpan * decoder.inputCount)
  }

  public mutating func beginEpisode(seed: UInt64) {
    newest = -1
    seen = 0
    rng = SplitMix64(seed: seed)
  }

  public mutating func action(for observation: Observation) -> Int {
    // Between decisions the action holds and the frame is skipped: training never stored it.
    defer { seen += 1 }
    if seen % configuration.actionRepeat != 0 { return held }
    held = decide(observation)
    return held
  }

  private mutating func decide(_ observation: Observation) -> Int {
    let span = configuration.stackSpan, frameSize = decoder.inputCount, decoder = decoder
    let first = newest < 0
    newest = (newest + 1) % span
    // Locals, so the closure does not read `self` while `history` is borrowed mutably.
    let latest = newest
    history.withUnsafeMutableBufferPointer { ring in
      observation.withFrameBytes { decoder.decode($0, into: ring.baseAddress! + latest * frameSize) }
      // The first frame of an episode fills the whole history, as the replay buffer repeats an episode's start.
      if first {
        for slot in 0..<span where slot != latest {
          ring.baseAddress!.advanced(by: slot * frameSize).update(from: ring.baseAddress! + latest * frameSize, count: frameSize)
        }
      }
    }
    lastQValues = []
    if rng.nextBool(probability: configuration.evaluationEpsilon) { return rng.nextInt(below: actionCount) }
    let stack = configuration.frameStack, stride = configuration.stackStride
    let input = Tensor(shape: [1] + stateShape) { out in
      history.withUnsafeBufferPointer { ring in
        for k in 0..<stack {
          let slot = ((newest - (stack - 1 - k) * stride) % span + span) % span
          (out + k * frameSize).update(from: ring.baseAddress! + slot * frameSize, count: frameSize)
        }
      }
    }
    lastQValues = Array(network.forward(input).scalars)
    return DQN.argmax(lastQValues)
  }
}
