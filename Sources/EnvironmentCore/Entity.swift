/// What an object in a game is, as far as an agent may know: the vocabulary games and agents share.
///
/// The raw values are stable: they are the grid's channel identities and appear in reports.
///
/// Kept a closed enum on purpose, rather than kinds each game declares: a grid channel packs its kind into five
/// bits (``GridChannels`` is inline storage, so layouts never allocate in hot loops); presets name kinds without
/// any game at hand (`inputPlanes: [ball, paddle]`); and reports switch over them exhaustively. A new game reuses
/// the kinds that fit and adds a case only for a genuinely new kind. Agents that must not know what a thing is
/// (the masked-prior study's explorers) treat kinds as opaque indices.
public enum EntityKind: UInt8, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
  case ball, paddle, wall, brick, negativeBrick, obstacle, punishment, void
  case player, princess, enemy, fire, platform, boundary, ladder, distractor, texture

  public var description: String {
    switch self {
    case .ball: "ball"
    case .paddle: "paddle"
    case .wall: "wall"
    case .brick: "brick"
    case .negativeBrick: "negative-brick"
    case .obstacle: "obstacle"
    case .punishment: "punishment"
    case .void: "void"
    case .player: "player"
    case .princess: "princess"
    case .enemy: "enemy"
    case .fire: "fire"
    case .platform: "platform"
    case .boundary: "boundary"
    case .ladder: "ladder"
    case .distractor: "distractor"
    case .texture: "texture"
    }
  }
}

/// An RGB colour, one byte per channel.
public struct RGB: Sendable, Hashable, Codable {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8

  public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  public static let black = RGB(0, 0, 0)
}

/// One object of the scene (or, in the per-pixel expansion, one pixel of an object), in screen coordinates.
///
/// Coordinates are columns (`x`, rightward) and rows (`y`, downward, row 0 at the top), the same as the
/// frame and the grid. `id` is stable within an episode and restarts at every reset; the pixels of one
/// object share its `id` and differ by `part`, their offset inside the object's box (the reference's
/// `shape` attribute).
public struct Entity: Sendable, Hashable {
  public var id: Int32
  public var kind: EntityKind
  public var color: RGB
  /// Left column of the bounding box.
  public var x: Int16
  /// Top row of the bounding box.
  public var y: Int16
  public var width: Int16
  public var height: Int16
  /// Column of this pixel inside its object (0 for whole objects).
  public var partX: Int16
  /// Row of this pixel inside its object (0 for whole objects).
  public var partY: Int16

  public init(id: Int32, kind: EntityKind, color: RGB, x: Int, y: Int, width: Int, height: Int, partX: Int = 0, partY: Int = 0) {
    self.id = id
    self.kind = kind
    self.color = color
    self.x = Int16(x)
    self.y = Int16(y)
    self.width = Int16(width)
    self.height = Int16(height)
    self.partX = Int16(partX)
    self.partY = Int16(partY)
  }

  /// The column of the box's centre pixel (rounded down).
  public var centerX: Int { Int(x) + Int(width) / 2 }
  /// The row of the box's centre pixel (rounded down).
  public var centerY: Int { Int(y) + Int(height) / 2 }
}
