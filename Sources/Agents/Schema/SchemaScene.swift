import EnvironmentCore

/// An observation grounded for the schema model: objects (entity pixels sharing an id) with their velocities,
/// and the grid of cell words (``CellLayout``) the rows are read from.
///
/// It is also the state the model steps forward when it predicts or plans: ``move(_:by:)``, ``setVelocity``
/// and ``remove(_:)`` keep the cell words in step with the objects.
struct SchemaScene {
  /// One object: a rigid set of pixels sharing an entity id.
  struct Object {
    var id: Int32
    var kindCode: UInt8
    /// The kind's bit in a cell word.
    var kind: UInt64
    /// Screen position of the object's part (0, 0).
    var x: Int
    var y: Int
    /// Part coordinates of the box's top-left pixel, and its size.
    var partX: Int
    var partY: Int
    var width: Int
    var height: Int
    /// Where the box's pixel words (kind and part bits; 0 where the object has no pixel) start in `shapes`.
    var shapeStart: Int
    /// Pixels the object has.
    var pixelCount = 0
    /// The displacement from the previous step; `nil` when it did not move or is new.
    var velocity: Velocity?
    var isPresent = true

    var minX: Int { x + partX }
    var minY: Int { y + partY }
    var maxX: Int { x + partX + width - 1 }
    var maxY: Int { y + partY + height - 1 }
  }

  let layout: CellLayout
  var width = 0
  var height = 0
  /// One attribute word per cell, row-major.
  var cells: [UInt64] = []
  /// Up to two objects covering each cell (−1: none), so a cell can be recomputed when one leaves.
  var owners: [SIMD2<Int32>] = []
  var objects: [Object] = []
  var shapes: [UInt64] = []
  /// Object index by entity id.
  var index: [Int32: Int] = [:]

  init(layout: CellLayout) { self.layout = layout }

  /// Grounds `entities`; velocities come from the same ids in `previous` (a jump beyond ``CellLayout/maxSpeed``
  /// makes a new object). `slot` maps a kind code to a kind slot (`nil`: the `other` bit).
  init(entities: [Entity], previous: SchemaScene?, layout: CellLayout, slot: (UInt8) -> Int?) {
    self.layout = layout
    // Pass 1: objects and their part boxes.
    var lastID: Int32 = -1, last = -1
    for e in entities {
      if e.id != lastID {
        lastID = e.id
        if let i = index[e.id] { last = i } else {
          last = objects.count
          index[e.id] = last
          objects.append(Object(id: e.id, kindCode: e.kind.rawValue, kind: layout.kindWord(slot: slot(e.kind.rawValue)),
                                x: Int(e.x) - Int(e.partX), y: Int(e.y) - Int(e.partY),
                                partX: Int(e.partX), partY: Int(e.partY), width: 1, height: 1, shapeStart: 0))
        }
      }
      let o = objects[last]
      objects[last].pixelCount += Int(e.width) * Int(e.height)
      let (x0, y0) = (min(o.partX, Int(e.partX)), min(o.partY, Int(e.partY)))
      let x1 = max(o.partX + o.width, Int(e.partX) + Int(e.width)), y1 = max(o.partY + o.height, Int(e.partY) + Int(e.height))
      objects[last].partX = x0
      objects[last].partY = y0
      objects[last].width = x1 - x0
      objects[last].height = y1 - y0
      width = max(width, Int(e.x) + Int(e.width))
      height = max(height, Int(e.y) + Int(e.height))
    }
    var start = 0
    for i in objects.indices {
      objects[i].shapeStart = start
      start += objects[i].width * objects[i].height
      if let p = previous, let j = p.index[objects[i].id], p.objects[j].isPresent {
        let (dx, dy) = (objects[i].x - p.objects[j].x, objects[i].y - p.objects[j].y)
        if abs(dx) <= layout.maxSpeed && abs(dy) <= layout.maxSpeed && (dx != 0 || dy != 0) {
          objects[i].velocity = Velocity(dx: dx, dy: dy)
        }
      }
    }
    // Pass 2: pixel words (kind and parts; the part thermometers count from the object's own edges).
    shapes = [UInt64](repeating: 0, count: start)
    lastID = -1
    for e in entities {
      if e.id != lastID { lastID = e.id; last = index[e.id]! }
      let o = objects[last]
      let kind = o.kind
      for row in 0..<Int(e.height) {
        for column in 0..<Int(e.width) {
          let (px, py) = (Int(e.partX) + column, Int(e.partY) + row)
          shapes[o.shapeStart + (py - o.partY) * o.width + (px - o.partX)] =
            kind | layout.partWord(partX: px, partY: py, width: o.partX + o.width, height: o.partY + o.height)
        }
      }
    }
    cells = [UInt64](repeating: layout.voidWord, count: width * height)
    owners = [SIMD2<Int32>](repeating: SIMD2(-1, -1), count: width * height)
    for i in objects.indices { place(i) }
  }

  // MARK: Reading

  /// The cell word at (x, y); off the screen it reads `outside`.
  @inline(__always)
  func cell(_ x: Int, _ y: Int) -> UInt64 {
    x >= 0 && y >= 0 && x < width && y < height ? cells[y * width + x] : layout.outsideWord
  }

  /// Writes the row grounded at the pixel (x, y) whose own word is `own`, under `action`, into `row`
  /// (``CellLayout/rowWords`` words).
  @inline(__always)
  func row(atX x: Int, y: Int, own: UInt64, action: Int, into row: UnsafeMutablePointer<UInt64>) {
    let r = layout.windowRadius
    var k = 0
    if x >= r && y >= r && x + r < width && y + r < height {
      cells.withUnsafeBufferPointer { c in
        for dy in -r...r {
          var p = (y + dy) * width + x - r
          for _ in 0..<layout.side { row[k] = c[p]; k += 1; p += 1 }
        }
      }
    } else {
      for dy in -r...r { for dx in -r...r { row[k] = cell(x + dx, y + dy); k += 1 } }
    }
    row[k] = own
    row[k + 1] = 1 << UInt64(action)
  }

  /// Calls `body` with the screen position and own word (kind, parts, velocity) of every pixel of object `i`.
  @inline(__always)
  func forEachPixel(of i: Int, _ body: (Int, Int, UInt64) -> Void) {
    let o = objects[i]
    let velocity = layout.velocityWord(o.velocity)
    for py in 0..<o.height {
      for px in 0..<o.width {
        let word = shapes[o.shapeStart + py * o.width + px]
        if word != 0 { body(o.minX + px, o.minY + py, word | velocity) }
      }
    }
  }

  // MARK: Changing

  /// Marks object `i`'s pixels in the cells it covers.
  mutating func place(_ i: Int) {
    let o = objects[i]
    let velocity = layout.velocityWord(o.velocity)
    for py in 0..<o.height {
      let y = o.minY + py
      guard y >= 0 && y < height else { continue }
      for px in 0..<o.width {
        let word = shapes[o.shapeStart + py * o.width + px]
        let x = o.minX + px
        guard word != 0, x >= 0, x < width else { continue }
        let c = y * width + x
        if owners[c].x < 0 {
          owners[c].x = Int32(i)
          cells[c] = word | velocity
        } else {
          if owners[c].y < 0 { owners[c].y = Int32(i) }
          cells[c] |= word | velocity
        }
      }
    }
  }

  /// Clears object `i` from the cells it covers, recomputing those it shared.
  mutating func unplace(_ i: Int) {
    let o = objects[i]
    for py in 0..<o.height {
      let y = o.minY + py
      guard y >= 0 && y < height else { continue }
      for px in 0..<o.width where shapes[o.shapeStart + py * o.width + px] != 0 {
        let x = o.minX + px
        guard x >= 0 && x < width else { continue }
        let c = y * width + x
        var pair = owners[c]
        if pair.x == Int32(i) { pair = SIMD2(pair.y, -1) } else if pair.y == Int32(i) { pair.y = -1 }
        owners[c] = pair
        cells[c] = pair.x < 0 ? layout.voidWord : word(of: Int(pair.x), atX: x, y: y) | (pair.y < 0 ? 0 : word(of: Int(pair.y), atX: x, y: y))
      }
    }
  }

  /// Whether object `i` has a pixel at screen cell (x, y).
  @inline(__always)
  func covers(_ i: Int, x: Int, y: Int) -> Bool {
    let o = objects[i]
    let (px, py) = (x - o.minX, y - o.minY)
    return px >= 0 && py >= 0 && px < o.width && py < o.height && shapes[o.shapeStart + py * o.width + px] != 0
  }

  /// Object `i`'s word at screen cell (x, y), velocity included (0 where it has no pixel).
  func word(of i: Int, atX x: Int, y: Int) -> UInt64 {
    let o = objects[i]
    let (px, py) = (x - o.minX, y - o.minY)
    guard px >= 0, py >= 0, px < o.width, py < o.height else { return 0 }
    let w = shapes[o.shapeStart + py * o.width + px]
    return w == 0 ? 0 : w | layout.velocityWord(o.velocity)
  }

  /// Gives object `i` a new velocity and moves it by that velocity.
  mutating func advance(_ i: Int, velocity: Velocity?) {
    unplace(i)
    objects[i].velocity = velocity
    if let v = velocity {
      objects[i].x += v.dx
      objects[i].y += v.dy
    }
    place(i)
  }

  /// Puts object `i` back as `object` was (for rolling back a rollout).
  mutating func restore(_ i: Int, to object: Object) {
    if objects[i].isPresent { unplace(i) }
    objects[i] = object
    if object.isPresent { place(i) }
  }

  /// Takes object `i` out of the scene.
  mutating func remove(_ i: Int) {
    guard objects[i].isPresent else { return }
    unplace(i)
    objects[i].isPresent = false
  }
}
