/// The result of advancing a ``Game`` by one step, before any observation is made.
public struct Transition: Sendable, Hashable {
  /// Reward earned by the step.
  public var reward: Double
  /// Whether the game reached a terminal state (won, or out of lives).
  public var isTerminal: Bool

  public init(reward: Double, isTerminal: Bool) {
    self.reward = reward
    self.isTerminal = isTerminal
  }
}

/// A game's dynamics together with the three ways it can be observed (pixels, grid, entities).
///
/// Games are value types: copying one snapshots its whole state, which planners use to look ahead.
/// Observations are written into caller-owned buffers so that hot loops allocate nothing; the
/// ``ObservationForm`` types turn them into values. Observation methods are `mutating` only because a
/// game may keep caches (a pre-drawn static layer) between calls; they never change the game's state.
public protocol Game: Sendable {
  /// Names of the actions, in index order.
  var actionNames: [String] { get }
  /// Starts a new episode; the same seed gives the same episode.
  mutating func reset(seed: UInt64)
  /// Advances one step. `action` must be in `0..<actionNames.count`.
  mutating func advance(_ action: Int) -> Transition
  /// Lives left in the episode (for status lines and reports).
  var lives: Int { get }

  /// Width of the rendered frame in pixels.
  var frameWidth: Int { get }
  /// Height of the rendered frame in pixels.
  var frameHeight: Int { get }
  /// Draws the current state as RGB24, row 0 at the top, into `pixels` (`frameWidth * frameHeight * 3` bytes).
  mutating func render(into pixels: UnsafeMutableBufferPointer<UInt8>)
  /// Draws like ``render(into:)`` into `pixels`, which hold the drawing `drawing` describes, and records in
  /// `drawing` what it drew and where pixels may have changed. A game that knows what moves repaints only
  /// that; the default draws everything.
  mutating func redraw(into pixels: UnsafeMutableBufferPointer<UInt8>, drawing: inout FrameDrawing)

  /// The channels of the grid observation, in order (``EntityKind/void`` excluded: ``GridLayout`` appends it).
  var gridChannels: GridChannels { get }
  /// Columns of the grid's native lattice (Breakout: pixels; the platformer: tiles).
  var gridWidth: Int { get }
  /// Rows of the grid's native lattice.
  var gridHeight: Int { get }
  /// Writes every plane of `layout` into `words` (which hold stale bits), the void plane included: set
  /// exactly where no other plane is. `GridCanvas` has the drawing helpers; a game without a cached layer
  /// zeroes the words, draws its objects and calls `fillVoid()`.
  mutating func drawGrid(into words: UnsafeMutableBufferPointer<UInt64>, layout: GridLayout)

  /// The most entities ``writeEntities(into:expandPixels:)`` can write in this game's episodes.
  func entityCapacity(expandPixels: Bool) -> Int
  /// Writes the visible objects (or, with `expandPixels`, one entity per object pixel) and returns their count.
  mutating func writeEntities(into entities: UnsafeMutableBufferPointer<Entity>, expandPixels: Bool) -> Int
}

extension Game {
  public mutating func redraw(into pixels: UnsafeMutableBufferPointer<UInt8>, drawing: inout FrameDrawing) {
    render(into: pixels)
    drawing.forget()
  }

  /// By default the grid lies on the pixel lattice.
  public var gridWidth: Int { frameWidth }
  public var gridHeight: Int { frameHeight }
}
