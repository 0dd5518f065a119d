import EnvironmentCore

/// What an exploring agent may see of a game: the grid view's bit planes as anonymous channels.
///
/// It keeps the planes' sizes and bits and drops the layout's channel names, so nothing tells the agent what
/// a plane shows (masked variants shuffle the planes per seed anyway). Entity lists name every object and are
/// refused (``ExplorerInputError``).
public struct ExplorerObservation: Sendable, Hashable {
  /// Cells per row and rows.
  public let width: Int
  public let height: Int
  /// Number of planes (opaque indices, in no meaningful order).
  public let planes: Int
  /// 64-bit words per plane; plane `p` is `words[p * wordsPerPlane ..< (p + 1) * wordsPerPlane]`, bits row-major.
  public let wordsPerPlane: Int
  public var words: [UInt64]

  /// The planes of `grid`, without their names.
  public init(grid: GridObservation) {
    width = grid.layout.width
    height = grid.layout.height
    planes = grid.layout.channelCount
    wordsPerPlane = grid.layout.wordsPerPlane
    words = grid.words
  }

  /// Anonymous planes given directly (tests, other games).
  public init(width: Int, height: Int, planes: Int, words: [UInt64]) {
    precondition(width > 0 && height > 0 && planes > 0, "an observation needs cells and planes")
    self.width = width
    self.height = height
    self.planes = planes
    wordsPerPlane = (width * height + 63) / 64
    precondition(words.count == wordsPerPlane * planes, "word count does not match the planes")
    self.words = words
  }

  /// The observation an explorer may take from `observation`: a grid, without channel names; anything that
  /// says what a thing is (an entity list) is refused.
  public init(_ observation: some Sendable) throws(ExplorerInputError) {
    guard let grid = observation as? GridObservation else {
      throw ExplorerInputError(description: "an exploring agent sees only the grid's anonymous planes, not \(type(of: observation))")
    }
    self.init(grid: grid)
  }

  /// Whether plane `plane` is set at cell index `cell` (row-major).
  public func isSet(plane: Int, cell: Int) -> Bool {
    words[plane * wordsPerPlane + cell >> 6] >> UInt64(cell & 63) & 1 == 1
  }
}

/// An observation an exploring agent must not see (it names what things are).
public struct ExplorerInputError: Error, CustomStringConvertible, Sendable {
  public var description: String
}

/// An agent that explores a game with no prior knowledge of it, learning from every step across episodes and deaths.
///
/// It is built from the game's action names and a seed only; it sees ``ExplorerObservation``s, the rewards and
/// whether an episode ended, never the game, its level, or what a channel means.
public protocol ExploringAgent {
  /// Starts an episode: what was learned stays, only the memory of the last step is dropped.
  mutating func beginEpisode(_ observation: ExplorerObservation)
  /// The action to take now.
  mutating func act() -> Int
  /// What the last action led to: the reward, whether the episode ended and how, and the new observation.
  mutating func observe(reward: Double, outcome: Outcome, next observation: ExplorerObservation)
  /// Name for reports.
  var name: String { get }
}
