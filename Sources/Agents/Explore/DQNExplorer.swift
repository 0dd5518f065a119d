import EnvironmentCore

/// Settings of ``DQNExplorer``: the DQN's (every ``DQNConfiguration`` key; `observation`, `gridPool`, `pixelSize` and
/// `inputPlanes` do not apply, the explorer is handed anonymous planes) and the exploration bonus.
public struct DQNExplorerConfiguration: Sendable {
  /// The learner: a Double DQN by default.
  public var network: DQNConfiguration
  /// The count-based bonus added to every reward: `bonusScale / √n`, n the visits to the next state's key.
  public var bonusScale = 1.0

  /// The DQN settings `dqn-explore` starts from (a preset lists only what differs).
  public static var defaultNetwork: DQNConfiguration {
    var c = DQNConfiguration()
    c.hiddenUnits = [256]
    c.learningStarts = 5_000
    c.explorationSteps = 100_000
    c.finalEpsilon = 0.05
    c.bufferSize = 100_000
    c.learningRate = 2.5e-4
    c.nStep = 3
    return c
  }

  public init(network: DQNConfiguration = Self.defaultNetwork, bonusScale: Double = 1.0) {
    self.network = network
    self.bonusScale = bonusScale
  }
}

/// `dqn-explore`: Double DQN on the grid's anonymous planes, with a count-based exploration bonus
/// (`bonusScale / √n`, over ``AnonymousGrid`` keys of the observations) added to the game's reward.
/// The network is built at the first observation, whose planes fix its input size.
public final class DQNExplorer: ExploringAgent {
  public let configuration: DQNExplorerConfiguration
  public let actionCount: Int
  public var name: String { "dqn-explore" }
  private let seed: UInt64
  private let threads: Int
  /// The learner, once the first observation has fixed its input.
  public private(set) var learner: DQN?
  private var counts: [UInt64: Int32] = [:]
  private var grid = AnonymousGrid()
  private var index = 0
  private var lastAction = 0

  public init(actionNames: [String], seed: UInt64, configuration: DQNExplorerConfiguration = DQNExplorerConfiguration(), threads: Int = 1) {
    self.configuration = configuration
    actionCount = actionNames.count
    self.seed = seed
    self.threads = threads
  }

  public func beginEpisode(_ observation: ExplorerObservation) {
    let dqn = learner ?? DQN(configuration: configuration.network, decoder: AnonymousPlanesDecoder(observation), actionCount: actionCount,
                             seed: SplitMix64.derive(seed, 0xD9), threads: threads)
    learner = dqn
    index = observation.words.withUnsafeBytes { dqn.beginEpisode(frame: $0) }
  }

  public func act() -> Int {
    guard let dqn = learner else { preconditionFailure("beginEpisode first") }
    lastAction = dqn.action(forStateEndingAt: index, epsilon: configuration.network.epsilon(atStep: dqn.steps))
    return lastAction
  }

  public func observe(reward: Double, outcome: Outcome, next observation: ExplorerObservation) {
    guard let dqn = learner else { preconditionFailure("beginEpisode first") }
    let key = grid.key(of: observation)
    let n = (counts[key] ?? 0) + 1
    counts[key] = n
    let bonus = configuration.bonusScale / Double(n).squareRoot()
    index = observation.words.withUnsafeBytes { dqn.observe(action: lastAction, reward: reward + bonus, outcome: outcome, frame: $0) }
  }
}

/// Every anonymous plane of an ``ExplorerObservation`` as a 0/1 input plane.
struct AnonymousPlanesDecoder: FrameDecoder {
  let width: Int, height: Int, wordsPerPlane: Int
  let planes: [Int]

  init(_ observation: ExplorerObservation) {
    (width, height, wordsPerPlane) = (observation.width, observation.height, observation.wordsPerPlane)
    planes = Array(0..<observation.planes)
  }

  var frameBytes: Int { planes.count * wordsPerPlane * 8 }
  var frameShape: [Int] { [planes.count, height, width] }

  func decode(_ frame: UnsafeRawBufferPointer, into inputs: UnsafeMutablePointer<Float>) {
    GridBitsDecoder.decode(frame, planes: planes, cells: width * height, wordsPerPlane: wordsPerPlane, into: inputs)
  }
}
