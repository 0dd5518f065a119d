/// A box of pixels: columns `x0...x1`, rows `y0...y1`, row 0 at the top. May reach past the frame.
public struct FrameBox: Sendable, Hashable {
  public var x0: Int
  public var y0: Int
  public var x1: Int
  public var y1: Int

  public init(x0: Int, y0: Int, x1: Int, y1: Int) {
    self.x0 = x0
    self.y0 = y0
    self.x1 = x1
    self.y1 = y1
  }
}

/// A caller's note of what a game last drew into the caller's frame buffer, so that the next drawing
/// (``Game/redraw(into:drawing:)``) can repaint only what moved instead of the whole frame.
///
/// Keep one per buffer, and give it only to the game value (or its later self) that drew that buffer; a
/// fresh `FrameDrawing()` means "the buffer holds anything", which makes the next redraw a full one.
public struct FrameDrawing: Sendable {
  /// Where the last redraw may have changed pixels; `nil` when it may have changed any.
  public var damage: [FrameBox]? { partial ? boxes : nil }

  private var partial = false
  /// The boxes of the objects drawn last, after those of the drawing before them when `partial`: the
  /// damage of a partial redraw is both.
  private var boxes: [FrameBox] = []
  private var previousCount = 0
  /// Game-defined: which drawing the buffer shows (Breakout: its layout version); -1 means unknown.
  package var version = -1

  public init() {}

  /// The boxes of the objects drawn last (game-defined: Breakout's moving objects).
  package var objects: ArraySlice<FrameBox> { boxes[previousCount...] }

  /// Forgets the buffer's contents: the next redraw draws everything.
  package mutating func forget() { drewEverything(version: -1) }

  /// Records a full drawing of `version`; the game then notes its objects with ``drew(_:)``.
  package mutating func drewEverything(version: Int) {
    self.version = version
    boxes.removeAll(keepingCapacity: true)
    previousCount = 0
    partial = false
  }

  /// Starts a partial redraw of `version`: the damage so far is where the previous objects stood, and
  /// `repainted` if the game repainted some of its static layer too.
  package mutating func beginRedraw(version: Int, repainted: FrameBox? = nil) {
    self.version = version
    boxes.removeFirst(previousCount)
    if let repainted { boxes.append(repainted) }
    previousCount = boxes.count
    partial = true
  }

  /// Notes an object drawn in this redraw; its box is damage too.
  package mutating func drew(_ box: FrameBox) { boxes.append(box) }
}
