/// A box of screen cells, inclusive.
struct CellBox: Hashable, Sendable {
  var x0: Int, y0: Int, x1: Int, y1: Int

  /// Whether the box, grown by `margin` on every side, overlaps `other`.
  @inline(__always)
  func overlaps(_ other: CellBox, margin: Int) -> Bool {
    x0 - margin <= other.x1 && other.x0 <= x1 + margin && y0 - margin <= other.y1 && other.y0 <= y1 + margin
  }
}

extension SchemaScene.Object {
  /// The box the object's pixels span.
  var box: CellBox { CellBox(x0: minX, y0: minY, x1: maxX, y1: maxY) }
}

extension SchemaScene {
  /// Boxes of the cells whose words may differ from `previous` (the step before): objects that moved,
  /// stopped, appeared or vanished, at both positions. `nil` when there is no previous scene (all changed).
  func changes(since previous: SchemaScene?) -> [CellBox]? {
    guard let previous else { return nil }
    var boxes: [CellBox] = []
    for o in objects where o.isPresent {
      guard let j = previous.index[o.id], previous.objects[j].isPresent else { boxes.append(o.box); continue }
      let p = previous.objects[j]
      if o.x != p.x || o.y != p.y || o.velocity != p.velocity {
        boxes.append(o.box)
        boxes.append(p.box)
      }
    }
    for p in previous.objects where p.isPresent && index[p.id].map({ !objects[$0].isPresent }) ?? true {
      boxes.append(p.box)
    }
    return boxes
  }

  /// Whether object `i`'s rows can differ from the step `changes` describe (its pixels' windows reach a
  /// changed cell).
  func isTouched(_ i: Int, by changes: [CellBox]?) -> Bool {
    guard let changes else { return true }
    let box = objects[i].box
    for c in changes where box.overlaps(c, margin: layout.windowRadius) { return true }
    return false
  }

  /// What became of object `i` one step later in `next`: vanished (absent, or jumped further than
  /// ``CellLayout/maxSpeed``), or its displacement (`nil` when it stayed put).
  func outcome(of i: Int, in next: SchemaScene) -> ObjectOutcome {
    let o = objects[i]
    guard let j = next.index[o.id], next.objects[j].isPresent else { return .vanished }
    let (dx, dy) = (next.objects[j].x - o.x, next.objects[j].y - o.y)
    guard abs(dx) <= layout.maxSpeed && abs(dy) <= layout.maxSpeed else { return .vanished }
    return .stays(dx == 0 && dy == 0 ? nil : Velocity(dx: dx, dy: dy))
  }
}

/// An object's fate over one step.
enum ObjectOutcome: Hashable {
  case vanished
  /// Still there, with this velocity (`nil`: not moving).
  case stays(Velocity?)
}
