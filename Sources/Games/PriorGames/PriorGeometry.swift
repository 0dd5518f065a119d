import EnvironmentCore

/// An integer pixel rectangle `[left, right) × [top, bottom)`, y down.
public struct PixelRect: Sendable, Hashable {
  public var left: Int, top: Int, right: Int, bottom: Int

  /// Strict overlap: rectangles that only touch do not overlap.
  @inline(__always)
  public func overlaps(_ other: PixelRect) -> Bool {
    left < other.right && right > other.left && top < other.bottom && bottom > other.top
  }
}

/// Up to four tile indices in scan order (a 15-px box touches at most 2 × 2 tiles), stored inline.
struct TileList: Sequence, IteratorProtocol, Sendable {
  private var slots: SIMD4<Int32> = .zero
  private(set) var count = 0

  var isEmpty: Bool { count == 0 }
  var first: Int? { count > 0 ? Int(slots[0]) : nil }

  mutating func append(_ tile: Int) {
    if count < 4 { slots[count] = Int32(tile) }
    count += 1
  }

  private var position = 0

  /// Iterates a copy without allocating.
  mutating func next() -> Int? {
    guard position < Swift.min(count, 4) else { return nil }
    position += 1
    return Int(slots[position - 1])
  }
}

/// A level's collision geometry under one rounding rule: tile rectangles, queries in scan order.
struct PriorGeometry: Sendable {
  let columns: Int, rows: Int
  let tiles: [PriorLevel.Tile]
  /// Tile rectangles start at `15·c + offset` (1 when rounding half away from zero, 0 when truncating).
  let offset: Int
  let rounding: PriorOptions.Rounding
  /// Enemy tiles in scan order.
  let enemies: [Int]
  /// Enemy index of each tile, −1 where none.
  let enemyIndex: [Int8]
  let princess: PixelRect

  init(level: PriorLevel, rounding: PriorOptions.Rounding) {
    columns = level.columns
    rows = level.rows
    tiles = level.tiles
    self.rounding = rounding
    offset = rounding == .halfAwayFromZero ? 1 : 0
    enemies = level.tiles.indices.filter { level.tiles[$0] == .enemy }
    precondition(enemies.count <= 64, "at most 64 enemies")
    var index = [Int8](repeating: -1, count: level.tiles.count)
    for (i, t) in enemies.enumerated() { index[t] = Int8(i) }
    enemyIndex = index
    princess = Self.rect(centreX2: level.princessX2, centreY2: level.princessY2,
                         width: level.princessWidth, height: level.princessHeight, rounding: rounding)
  }

  /// A doubled coordinate rounded to whole pixels.
  @inline(__always)
  static func round(_ doubled: Int, _ rounding: PriorOptions.Rounding) -> Int {
    if doubled & 1 == 0 || rounding == .truncate { return doubled / 2 }
    return doubled > 0 ? (doubled + 1) / 2 : (doubled - 1) / 2
  }

  /// The rectangle of a `width × height` entity centred at doubled (x2, y2): the corner is the rounded
  /// centre minus half the size, rounded down.
  @inline(__always)
  static func rect(centreX2: Int, centreY2: Int, width: Int, height: Int, rounding: PriorOptions.Rounding) -> PixelRect {
    let left = round(centreX2, rounding) - width / 2, top = round(centreY2, rounding) - height / 2
    return PixelRect(left: left, top: top, right: left + width, bottom: top + height)
  }

  @inline(__always)
  func rect(centreX2: Int, centreY2: Int, width: Int, height: Int) -> PixelRect {
    Self.rect(centreX2: centreX2, centreY2: centreY2, width: width, height: height, rounding: rounding)
  }

  func tileRect(_ tile: Int) -> PixelRect {
    let (r, c) = (tile / columns, tile % columns)
    return PixelRect(left: 15 * c + offset, top: 15 * r + offset, right: 15 * c + offset + 15, bottom: 15 * r + offset + 15)
  }

  /// The doubled centre y of a tile.
  @inline(__always)
  func centreY2(ofTile tile: Int) -> Int { 30 * (tile / columns) + 15 }

  @inline(__always)
  static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

  /// Calls `body` with every tile index whose rectangle overlaps `rect`, in scan order.
  @inline(__always)
  func forEachTile(overlapping rect: PixelRect, _ body: (Int) -> Void) {
    let c0 = max(0, Self.floorDivide(rect.left - offset - 15, 15) + 1), c1 = min(columns - 1, Self.floorDivide(rect.right - offset - 1, 15))
    let r0 = max(0, Self.floorDivide(rect.top - offset - 15, 15) + 1), r1 = min(rows - 1, Self.floorDivide(rect.bottom - offset - 1, 15))
    guard c0 <= c1, r0 <= r1 else { return }
    for r in r0...r1 { for c in c0...c1 { body(r * columns + c) } }
  }

  func tiles(_ kind: PriorLevel.Tile, overlapping rect: PixelRect) -> TileList {
    var list = TileList()
    forEachTile(overlapping: rect) { if tiles[$0] == kind { list.append($0) } }
    return list
  }

  func ladders(overlapping rect: PixelRect) -> TileList { tiles(.ladder, overlapping: rect) }

  func isWall(_ tile: Int) -> Bool { tiles[tile] == .platform || tiles[tile] == .boundary }

  /// The first wall in scan order that `rect` overlaps.
  func firstWall(overlapping rect: PixelRect) -> Int? {
    var found: Int? = nil
    forEachTile(overlapping: rect) { if found == nil && isWall($0) { found = $0 } }
    return found
  }

  func hasWall(overlapping rect: PixelRect) -> Bool { firstWall(overlapping: rect) != nil }

  func hasFire(overlapping rect: PixelRect) -> Bool { !tiles(.fire, overlapping: rect).isEmpty }

  /// Indices (into `enemies`) of the live enemies `rect` overlaps, in scan order.
  func enemies(overlapping rect: PixelRect, alive: UInt64) -> TileList {
    var list = TileList()
    forEachTile(overlapping: rect) {
      let e = Int(enemyIndex[$0])
      if e >= 0 && alive & (1 << UInt64(e)) != 0 { list.append(e) }
    }
    return list
  }
}
