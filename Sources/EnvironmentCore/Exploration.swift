/// Where an agent is, for exploration statistics like the human study's (Dubey et al. 2018): the coarse cell
/// it occupies and a key of its exact state.
public struct ExplorationKey: Sendable, Hashable {
  public var cell: Int32
  public var state: UInt64

  public init(cell: Int32, state: UInt64) {
    self.cell = cell
    self.state = state
  }
}

/// A game or environment that says where the agent is (the platformer does; Breakout has no single agent
/// position worth counting). An ability of its own rather than a requirement of ``Environment``, which stays
/// the bare reset/step contract.
public protocol ExplorationReporting {
  /// The agent's current cell and state.
  var exploration: ExplorationKey { get }
}

extension GameEnvironment: ExplorationReporting where G: ExplorationReporting {
  public var exploration: ExplorationKey { game.exploration }
}

extension TimeLimit: ExplorationReporting where Base: ExplorationReporting {
  public var exploration: ExplorationKey { base.exploration }
}

/// Reads ``ExplorationReporting/exploration`` from environments of a type only known generically, e.g. the `E`
/// an episode runner is handed, when that type turns out to report it; `nil` when it does not.
///
/// The check happens once, on the type; reading then neither boxes nor copies the environment, so counting
/// costs nothing per step beyond the read itself.
public struct ExplorationReader<E> {
  private let read: (UnsafeRawPointer) -> ExplorationKey

  public init?(_ type: E.Type = E.self) {
    guard let reporting = type as? any ExplorationReporting.Type else { return nil }
    func reader<T: ExplorationReporting>(_: T.Type) -> (UnsafeRawPointer) -> ExplorationKey {
      { $0.assumingMemoryBound(to: T.self).pointee.exploration }
    }
    // `reporting` is `E.self` seen as a conforming type, so the memory of an E is a T.
    read = reader(reporting)
  }

  /// The exploration key of `environment`.
  public func key(of environment: inout E) -> ExplorationKey {
    withUnsafePointer(to: &environment) { read(UnsafeRawPointer($0)) }
  }
}

/// The unique cells and states an agent visited in one episode (the human study's exploration measures).
public struct ExplorationTally: Sendable {
  public private(set) var cells = Set<Int32>()
  public private(set) var states = Set<UInt64>()

  public init() {}

  public mutating func visit(_ key: ExplorationKey) {
    cells.insert(key.cell)
    states.insert(key.state)
  }
}

/// What a game's last step left to chance. A learned model cannot be expected to foresee a coin flip, only to
/// count its outcomes among the possible ones; checks of a model's predictions use this to tell the two apart.
public struct StepChance: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// A moving object's velocity or position was drawn (a stochastic bounce, a launch after a lost ball).
  public static let objectMotion = StepChance(rawValue: 1)
  /// How far the agent's own object moved was drawn (Breakout's paddle moves 1 or 2 px a press).
  public static let agentMotion = StepChance(rawValue: 2)
  /// Something was placed at random (a target respawning elsewhere).
  public static let placement = StepChance(rawValue: 4)
}

/// A game that says what its last step left to chance (``StepChance``).
public protocol ChanceReporting {
  var lastStepChance: StepChance { get }
}
