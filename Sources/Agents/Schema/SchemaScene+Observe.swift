import EnvironmentCore

extension SchemaScene {
  /// Updates the scene to `entities`, the next observation of the same episode: objects that moved move (their
  /// velocity is the displacement), objects that vanished leave. Returns the boxes that changed. A new object,
  /// a changed shape or screen falls back to grounding from scratch.
  ///
  /// - Complexity: one pass over the entities, plus work only for the objects that changed.
  mutating func observe(_ entities: [Entity], slot: (UInt8) -> Int?) -> [CellBox]? {
    // First find every object and check that it is the one this scene knows; only then change anything, so
    // a fallback grounds against this scene as it was.
    var found: [(index: Int, x: Int, y: Int)] = []
    var seen = [Bool](repeating: false, count: objects.count)
    var extent = (x: 0, y: 0)
    var k = 0
    while k < entities.count {
      let first = entities[k]
      var (x0, y0, x1, y1, count) = (Int(first.partX), Int(first.partY), 0, 0, 0)
      var end = k
      while end < entities.count && entities[end].id == first.id {
        let e = entities[end]
        x0 = min(x0, Int(e.partX))
        y0 = min(y0, Int(e.partY))
        x1 = max(x1, Int(e.partX) + Int(e.width))
        y1 = max(y1, Int(e.partY) + Int(e.height))
        count += Int(e.width) * Int(e.height)
        extent = (max(extent.x, Int(e.x) + Int(e.width)), max(extent.y, Int(e.y) + Int(e.height)))
        end += 1
      }
      k = end
      guard let i = index[first.id], !seen[i], objects[i].isPresent, objects[i].kindCode == first.kind.rawValue,
            objects[i].partX == x0, objects[i].partY == y0, objects[i].width == x1 - x0, objects[i].height == y1 - y0,
            objects[i].pixelCount == count else { return reground(entities, slot: slot) }
      seen[i] = true
      found.append((i, Int(first.x) - Int(first.partX), Int(first.y) - Int(first.partY)))
    }
    guard extent == (width, height) else { return reground(entities, slot: slot) }
    var changes: [CellBox] = []
    for (i, x, y) in found {
      let (dx, dy) = (x - objects[i].x, y - objects[i].y)
      let jumped = abs(dx) > layout.maxSpeed || abs(dy) > layout.maxSpeed
      let velocity = jumped || (dx == 0 && dy == 0) ? nil : Velocity(dx: dx, dy: dy)
      guard dx != 0 || dy != 0 || velocity != objects[i].velocity else { continue }
      let before = objects[i].box
      unplace(i)
      (objects[i].x, objects[i].y, objects[i].velocity) = (x, y, velocity)
      place(i)
      changes += [before, objects[i].box]
    }
    for i in objects.indices where objects[i].isPresent && !seen[i] {
      changes.append(objects[i].box)
      remove(i)
    }
    return changes
  }

  /// Grounds `entities` from scratch (velocities from this scene); returns the changes since this scene.
  private mutating func reground(_ entities: [Entity], slot: (UInt8) -> Int?) -> [CellBox]? {
    let previous = self
    self = SchemaScene(entities: entities, previous: previous, layout: layout, slot: slot)
    return changes(since: previous)
  }
}
