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
  public var damage: [FrameBox]? { damageIsKnown ? damageBoxes : nil }

  private var damageIsKnown = false
  private var damageBoxes: [FrameBox] = []
  /// Game-defined: what the drawing in the buffer shows (Breakout: the layout version and the boxes of
  /// its moving objects). `version` -1 means unknown.
  package var version = -1
  package var objects: [FrameBox] = []

  public init() {}

  /// Forgets the buffer's contents: the next redraw draws everything.
  package mutating func forget() {
    version = -1
    objects.removeAll(keepingCapacity: true)
    damageIsKnown = false
  }

  /// Records a full drawing of `version` (the caller then lists its ``objects``).
  package mutating func drewEverything(version: Int) {
    self.version = version
    objects.removeAll(keepingCapacity: true)
    damageIsKnown = false
  }

  /// Starts a partial redraw: the damage so far is where the previous objects stood.
  package mutating func beginRedraw() {
    damageBoxes.removeAll(keepingCapacity: true)
    damageBoxes.append(contentsOf: objects)
    objects.removeAll(keepingCapacity: true)
    damageIsKnown = true
  }

  /// Notes an object drawn in this redraw; its box is damage too.
  package mutating func drew(_ box: FrameBox) {
    objects.append(box)
    if damageIsKnown { damageBoxes.append(box) }
  }
}
