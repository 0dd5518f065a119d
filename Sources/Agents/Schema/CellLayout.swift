/// Where each binary attribute of a cell lives in its 64-bit word, and where each feature of a grounded row
/// lives (Kansky et al. 2017 §2: entities carry binary attributes; a schema reads the attributes of an entity
/// and of its neighbours at fixed offsets).
///
/// A cell word holds, from bit 0: one bit per kind slot, `other` (a kind the model has no slot for), `void`
/// (no entity), `outside` (off the screen), `still` (an entity that did not move), the velocity as one-hot
/// values −S…S per axis (only on cells of moving entities), and the part thermometers: "the pixel is at least k columns from its object's left
/// edge", "… from its right edge", and the same for rows. A row is the window's cell words in row-major
/// order (dy outer, dx inner, y growing downward), then the *self* word (the grounding pixel's own kind, part
/// and velocity bits, so an object is not confused with another sharing its cell), then one word with the
/// action's bit.
public struct CellLayout: Codable, Sendable, Hashable {
  public var kindSlots: Int
  public var maxSpeed: Int
  public var partLevelsX: Int
  public var partLevelsY: Int
  /// Objects longer than this along an axis get no part bits along it.
  public var partMaxExtent: Int
  public var windowRadius: Int

  public init(kindSlots: Int, maxSpeed: Int, partLevelsX: Int, partLevelsY: Int, partMaxExtent: Int, windowRadius: Int) {
    self.kindSlots = kindSlots
    self.maxSpeed = maxSpeed
    self.partLevelsX = partLevelsX
    self.partLevelsY = partLevelsY
    self.partMaxExtent = partMaxExtent
    self.windowRadius = windowRadius
  }

  // MARK: Cell word

  var otherBit: Int { kindSlots }
  var voidBit: Int { kindSlots + 1 }
  var outsideBit: Int { kindSlots + 2 }
  /// Set on cells of objects that did not move (or just appeared): positive literals cannot say "no velocity".
  var stillBit: Int { kindSlots + 3 }
  var velocityValues: Int { 2 * maxSpeed + 1 }
  var velocityXBase: Int { kindSlots + 4 }
  var velocityYBase: Int { velocityXBase + velocityValues }
  var partXFromLeftBase: Int { velocityYBase + velocityValues }
  var partXFromRightBase: Int { partXFromLeftBase + partLevelsX }
  var partYFromTopBase: Int { partXFromRightBase + partLevelsX }
  var partYFromBottomBase: Int { partYFromTopBase + partLevelsY }
  /// Bits a cell word uses.
  var bitCount: Int { partYFromBottomBase + partLevelsY }

  var voidWord: UInt64 { 1 << UInt64(voidBit) }
  /// The kind slots' bits and `other`.
  var kindBits: UInt64 { (1 << UInt64(kindSlots + 1)) - 1 }
  var outsideWord: UInt64 { 1 << UInt64(outsideBit) }
  /// Every velocity bit of both axes.
  var velocityMask: UInt64 { ((1 << UInt64(2 * velocityValues)) - 1) << UInt64(velocityXBase) }

  /// The bit of kind slot `slot` (the `other` bit for `nil`).
  func kindWord(slot: Int?) -> UInt64 { 1 << UInt64(slot ?? otherBit) }

  /// The one-hot bits of a velocity; `nil` (not moving) sets the `still` bit instead.
  func velocityWord(_ velocity: Velocity?) -> UInt64 {
    guard let v = velocity else { return 1 << UInt64(stillBit) }
    return 1 << UInt64(velocityXBase + v.dx + maxSpeed) | 1 << UInt64(velocityYBase + v.dy + maxSpeed)
  }

  /// The thermometer bits of a pixel at (`partX`, `partY`) inside a `width` × `height` object.
  func partWord(partX: Int, partY: Int, width: Int, height: Int) -> UInt64 {
    func thermometer(_ count: Int, levels: Int, base: Int) -> UInt64 {
      let n = min(max(count, 0), levels)
      return n == 0 ? 0 : ((1 << UInt64(n)) - 1) << UInt64(base)
    }
    // A coordinate inside a screen-wide object (the bottom strip, the top wall) is a screen position, which a
    // schema could learn in place of a cause and which transfers to nothing: such objects get no part bits.
    let x = width > partMaxExtent ? 0 : thermometer(partX, levels: partLevelsX, base: partXFromLeftBase)
      | thermometer(width - 1 - partX, levels: partLevelsX, base: partXFromRightBase)
    let y = height > partMaxExtent ? 0 : thermometer(partY, levels: partLevelsY, base: partYFromTopBase)
      | thermometer(height - 1 - partY, levels: partLevelsY, base: partYFromBottomBase)
    return x | y
  }

  /// The velocity a cell word (or an object's) carries, if exactly one value per axis is set.
  func velocity(in word: UInt64) -> Velocity? {
    let x = (word >> UInt64(velocityXBase)) & ((1 << UInt64(velocityValues)) - 1)
    let y = (word >> UInt64(velocityYBase)) & ((1 << UInt64(velocityValues)) - 1)
    guard x.nonzeroBitCount == 1, y.nonzeroBitCount == 1 else { return nil }
    return Velocity(dx: x.trailingZeroBitCount - maxSpeed, dy: y.trailingZeroBitCount - maxSpeed)
  }

  // MARK: Rows and features

  /// Cells on a side of the window.
  var side: Int { 2 * windowRadius + 1 }
  /// Cells in the window.
  var windowCells: Int { side * side }
  /// Words in a row: the window's cells, the self word, then the action word.
  public var rowWords: Int { windowCells + 2 }
  var selfWord: Int { windowCells }
  var actionWord: Int { windowCells + 1 }

  /// The index of the window cell at offset (dx, dy).
  func cell(dx: Int, dy: Int) -> Int { (dy + windowRadius) * side + dx + windowRadius }

  /// The offset of window cell `cell`.
  func offset(ofCell cell: Int) -> (dx: Int, dy: Int) { (cell % side - windowRadius, cell / side - windowRadius) }

  /// The feature index of attribute `bit` at offset (dx, dy): word × 64 + bit.
  public func feature(dx: Int, dy: Int, bit: Int) -> Int { cell(dx: dx, dy: dy) * 64 + bit }

  /// The feature index of action `action`.
  public func actionFeature(_ action: Int) -> Int { actionWord * 64 + action }

  /// The feature index of the grounding pixel's own attribute `bit`.
  public func selfFeature(bit: Int) -> Int { selfWord * 64 + bit }

  /// Chebyshev distance from the centre of the cell a feature reads (0 for the self word and the action).
  func distance(ofFeature feature: Int) -> Int {
    let word = feature >> 6
    guard word < windowCells else { return 0 }
    let (dx, dy) = offset(ofCell: word)
    return max(abs(dx), abs(dy))
  }

  /// What an attribute bit means.
  func attribute(ofBit bit: Int) -> CellAttribute {
    switch bit {
    case ..<kindSlots: .kind(bit)
    case otherBit: .otherKind
    case voidBit: .void
    case outsideBit: .outside
    case stillBit: .still
    case velocityXBase..<velocityYBase: .velocity(.x, bit - velocityXBase - maxSpeed)
    case velocityYBase..<partXFromLeftBase: .velocity(.y, bit - velocityYBase - maxSpeed)
    case partXFromLeftBase..<partXFromRightBase: .part(.x, fromStart: true, atLeast: bit - partXFromLeftBase + 1)
    case partXFromRightBase..<partYFromTopBase: .part(.x, fromStart: false, atLeast: bit - partXFromRightBase + 1)
    case partYFromTopBase..<partYFromBottomBase: .part(.y, fromStart: true, atLeast: bit - partYFromTopBase + 1)
    default: .part(.y, fromStart: false, atLeast: bit - partYFromBottomBase + 1)
    }
  }

  /// Whether `feature` is the grounding pixel's own kind, velocity or stillness: what the object is and how it
  /// moves, which every schema about it keeps.
  func isOwnIdentity(_ feature: Int) -> Bool {
    guard feature >> 6 == selfWord else { return false }
    switch attribute(ofBit: feature & 63) {
    case .velocity, .still, .kind, .otherKind: return true
    default: return false
    }
  }

  /// `literals` without part literals in words that keep no kind literal (parts qualify a kind).
  func normalized(_ literals: [Int]) -> [Int] {
    let kindBits: UInt64 = (1 << UInt64(kindSlots + 1)) - 1
    var hasKind = Set<Int>()
    for f in literals where (1 << UInt64(f & 63)) & kindBits != 0 { hasKind.insert(f >> 6) }
    return literals.filter { f in
      guard f >> 6 != actionWord, case .part = attribute(ofBit: f & 63) else { return true }
      return hasKind.contains(f >> 6)
    }
  }

  /// The order in which the generaliser tries to drop literals (smaller first): far cells before near ones,
  /// then parts before velocities before kinds, the action last — so schemas keep local, general causes.
  func dropRank(ofFeature feature: Int) -> Int {
    let word = feature >> 6
    guard word <= selfWord else { return 0 }
    let category = switch attribute(ofBit: feature & 63) {
    case .part: 3
    case .velocity, .still: 2
    case .kind, .otherKind, .void, .outside: 1
    }
    // Within a ring of the window, diagonal cells go before the cells in line with the centre (farther in
    // city-block distance): a bounce off a wall beside the ball should rest on the cell beside it.
    let (dx, dy) = word < windowCells ? offset(ofCell: word) : (0, 0)
    let cityBlock = abs(dx) + abs(dy)
    return ((windowRadius - distance(ofFeature: feature)) * (2 * windowRadius + 1) + 2 * windowRadius - cityBlock) * 4 + (3 - category)
  }
}

/// One of the two screen axes (x rightward, y downward).
public enum Axis: String, Codable, Sendable, Hashable, CaseIterable {
  case x, y
}

/// A per-step displacement in pixels (screen coordinates: y grows downward).
public struct Velocity: Codable, Sendable, Hashable {
  public var dx: Int
  public var dy: Int

  public init(dx: Int, dy: Int) {
    self.dx = dx
    self.dy = dy
  }

  /// The component along `axis`.
  public subscript(axis: Axis) -> Int { axis == .x ? dx : dy }
}

/// The meaning of one bit of a cell word.
enum CellAttribute: Hashable {
  case kind(Int)
  case otherKind
  case void
  case outside
  case still
  case velocity(Axis, Int)
  /// "At least `atLeast` pixels from the object's left (top) edge", or from its right (bottom) edge.
  case part(Axis, fromStart: Bool, atLeast: Int)
}
