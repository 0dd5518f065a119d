import EnvironmentCore

/// Flat colours of the masked looks.
enum PriorPalette {
  /// The original background (the reference's fill colour).
  static let background = RGB(40, 20, 0)
  static let player = RGB(127, 255, 255)
  static let princess = RGB(255, 255, 255)
  static let enemy = RGB(255, 0, 220)
  /// Fire in the square themes: nearly the background colour (relative luminance 0.069 against 0.010).
  static let fire = RGB(127, 51, 0)
  /// Ladders of maskedObjectIdentity.
  static let ladder = RGB(128, 128, 128)
  static let boundary = RGB.black

  /// The six distractor colours, index = ``PriorScenery/distractor(at:in:theme:)``: pink, blue, yellow,
  /// light blue, green, red. Pink is the enemy's magenta and light blue the player's cyan, so the moving
  /// and the deadly square look exactly like background squares.
  static let distractors = [enemy, RGB(40, 96, 255), RGB(255, 226, 40), player, RGB(52, 204, 72), RGB(236, 40, 40)]

  /// The one palette the square themes draw from: the real objects' colours and the distractors'.
  static let objects: [RGB] = [player, princess, enemy, fire, ladder] + distractors.filter { $0 != player && $0 != enemy }
}

/// The five 15 × 15 textures of the patchwork themes, generated procedurally (fixed hash noise, so every
/// run and machine draws the same pixels).
enum PriorTextures {
  static let patterns: [PriorSprite] = PriorScenery.Texture.allCases.map { texture in
    PriorSprite(width: 15, height: 15) { x, y in color(texture, x, y) }
  }

  static func pattern(_ texture: PriorScenery.Texture) -> PriorSprite { patterns[texture.rawValue] }

  /// A colour with `delta` added to every channel (clamped).
  static func shade(_ c: RGB, _ delta: Int) -> RGB {
    func clamp(_ v: UInt8) -> UInt8 { UInt8(max(0, min(255, Int(v) + delta))) }
    return RGB(clamp(c.red), clamp(c.green), clamp(c.blue))
  }

  /// Hash noise in 0..<256.
  private static func noise(_ x: Int, _ y: Int, _ salt: UInt64) -> Int {
    Int(SplitMix64.mix(salt << 32 | UInt64(y * 15 + x)) & 0xFF)
  }

  private static func color(_ texture: PriorScenery.Texture, _ x: Int, _ y: Int) -> RGB {
    let n = noise(x, y, UInt64(texture.rawValue + 1))
    switch texture {
    case .blueStone:
      // Cut blue-grey stone blocks: three courses with mortar and bevelled edges.
      let course = y / 5, row = y % 5
      let joints = [[6], [1, 11], [8]][course]
      if row == 4 || joints.contains(x) { return RGB(58, 64, 88) }
      let base = shade(RGB(116, 128, 164), n % 19 - 9)
      if row == 0 || joints.contains(x - 1) || (course == 1 && x == 0 && !joints.contains(14)) { return shade(base, 26) }
      if row == 3 || joints.contains(x + 1) { return shade(base, -20) }
      return base
    case .pinkStone:
      // Polished pink granite: speckles, bevelled tile edge.
      var c = shade(RGB(214, 138, 160), n % 15 - 7)
      if n < 26 { c = RGB(166, 92, 118) } else if n > 236 { c = RGB(248, 204, 216) }
      if x == 0 || y == 0 { return shade(c, 20) }
      if x == 14 || y == 14 { return shade(c, -30) }
      return c
    case .grass:
      // Blades: dark streaks of varying phase per column, bright tips.
      let phase = noise(x, 0, 40) % 5
      if (y + phase) % 5 == 0 { return RGB(50, 122, 40) }
      if (y + phase) % 5 == 1 && n > 120 { return RGB(136, 212, 88) }
      return shade(RGB(86, 166, 60), n % 21 - 10)
    case .sand:
      // Fine grains and soft diagonal ripples.
      if n < 20 { return RGB(186, 160, 108) }
      if n > 244 { return RGB(250, 238, 196) }
      let ripple = (x + 2 * y) % 7 == 0 ? -12 : 0
      return shade(RGB(228, 206, 148), n % 11 - 5 + ripple)
    case .wood:
      // Light oak boards: three boards per tile, seams, staggered butt joints, long grain.
      let board = y / 5, row = y % 5
      if row == 4 { return RGB(110, 76, 40) }
      if x == [3, 10, 6][board] { return RGB(124, 86, 46) }
      let grain = noise(x / 4, y, 77) % 4 == 0 ? -16 : 0
      return shade(RGB(192, 150, 94), n % 9 - 4 + grain + (row == 0 ? 12 : 0))
    }
  }
}
