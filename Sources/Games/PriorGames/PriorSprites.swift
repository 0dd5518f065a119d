import EnvironmentCore

/// A small picture for the platformer's renderer: `width × height` pixels, row-major; 0 is transparent,
/// anything else is `0xFF_RR_GG_BB`. Every sprite here is our own drawing (pixel art in code).
struct PriorSprite: Sendable {
  let width: Int, height: Int
  let pixels: [UInt32]

  init(width: Int, height: Int, pixels: [UInt32]) {
    precondition(pixels.count == width * height, "sprite pixels do not match \(width)x\(height)")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// Pixel art: one string per row, one character per pixel; `.` is transparent, other characters
  /// are looked up in `palette`.
  init(_ rows: [String], _ palette: [Character: RGB]) {
    let width = rows[0].count
    var pixels: [UInt32] = []
    pixels.reserveCapacity(width * rows.count)
    for row in rows {
      precondition(row.count == width, "sprite row '\(row)' is not \(width) wide")
      for char in row {
        if char == "." { pixels.append(0); continue }
        guard let color = palette[char] else { preconditionFailure("sprite colour '\(char)' is not in the palette") }
        pixels.append(Self.opaque(color))
      }
    }
    self.init(width: width, height: rows.count, pixels: pixels)
  }

  /// Pixel art given as left halves: each row is mirrored onto the right. With `sharedCentre` the last
  /// character is the middle column (odd widths), otherwise the row is doubled in full (even widths).
  init(halves rows: [String], sharedCentre: Bool, _ palette: [Character: RGB]) {
    self.init(rows.map { $0 + String((sharedCentre ? $0.dropLast() : Substring($0)).reversed()) }, palette)
  }

  /// A sprite computed pixel by pixel (`nil` is transparent).
  init(width: Int, height: Int, _ color: (Int, Int) -> RGB?) {
    var pixels = [UInt32](repeating: 0, count: width * height)
    for y in 0..<height {
      for x in 0..<width { if let c = color(x, y) { pixels[y * width + x] = Self.opaque(c) } }
    }
    self.init(width: width, height: height, pixels: pixels)
  }

  /// The sprite flipped left to right.
  var mirrored: PriorSprite {
    var flipped = pixels
    for y in 0..<height {
      for x in 0..<width { flipped[y * width + x] = pixels[y * width + width - 1 - x] }
    }
    return PriorSprite(width: width, height: height, pixels: flipped)
  }

  @inline(__always)
  static func opaque(_ c: RGB) -> UInt32 { 0xFF00_0000 | UInt32(c.red) << 16 | UInt32(c.green) << 8 | UInt32(c.blue) }
}

/// The characters and structures of the `original` look (and the ones `reversedSemantics` swaps).
enum PriorSprites {
  // MARK: Robot (the player)

  private static let robotPalette: [Character: RGB] = [
    "k": RGB(24, 28, 44), "m": RGB(188, 198, 214), "M": RGB(120, 130, 152), "l": RGB(240, 246, 255),
    "c": RGB(40, 230, 255), "r": RGB(250, 64, 64), "b": RGB(66, 120, 214), "B": RGB(42, 80, 156),
    "y": RGB(255, 214, 60), "g": RGB(150, 156, 172),
  ]

  private static let robotTop = [
    ".......r.......",
    ".......k.......",
    "...kkkkkkkkk...",
    "...klmmmmmmk...",
    "...kmmmmcmck...",
    "...kmmmmcmck...",
    "...kmmmmMMMk...",
    "...kkkkkkkkk...",
    "..kbbbbbbbbbk..",
  ]

  private static let robotArmsStill = [
    ".gkblbbyybbBkg.",
    ".gkbbbbbbbbBkg.",
    "..kkkkkkkkkkk..",
  ]

  private static let robotArmsSwing = [
    "..kblbbyybbBkg.",
    ".gkbbbbbbbbBk..",
    ".gkkkkkkkkkkk..",
  ]

  /// Still, stride, passing; facing right.
  private static let robotLegs = [
    ["....kgk.kgk....",
     "....kgk.kgk....",
     "...kkkk.kkkk..."],
    ["....kgk..kgk...",
     "...kgk....kgk..",
     "..kkkk....kkkk."],
    [".....kgkgk.....",
     ".....kgkkgk....",
     "....kkkk.kkk..."],
  ]

  /// `robot[facingLeft ? 1 : 0][walkFrame]`: still and two walking frames per direction.
  static let robot: [[PriorSprite]] = {
    let right = (0..<3).map { frame in
      PriorSprite(robotTop + (frame == 1 ? robotArmsSwing : robotArmsStill) + robotLegs[frame], robotPalette)
    }
    return [right, right.map(\.mirrored)]
  }()

  // MARK: Princess (18 × 25)

  static let princess = PriorSprite(halves: [
    ".........",
    "......y.y",
    "......yyy",
    ".....hyry",
    "....hhhhh",
    "...hhhhhh",
    "...hhssss",
    "...hhsess",
    "...hhssss",
    "...hhsssm",
    "...hhhsss",
    "...hhh..s",
    "...hhwppp",
    "..hspppwp",
    "..sspPppw",
    "..s.pPppw",
    "..s.pPppp",
    ".....Pwww",
    "....pPppp",
    "....Ppppp",
    "...pPpppp",
    "...Pppwpp",
    "..pPppppp",
    "..Pwwwwww",
    "..PPPPPPP",
  ], sharedCentre: false, princessPalette)

  private static let princessPalette: [Character: RGB] = [
    "y": RGB(255, 212, 40), "r": RGB(230, 30, 90), "h": RGB(246, 188, 62), "s": RGB(255, 214, 180),
    "e": RGB(46, 40, 96), "m": RGB(214, 64, 90), "p": RGB(240, 96, 176), "P": RGB(186, 52, 134),
    "w": RGB(255, 240, 250),
  ]

  /// The princess's look at tile size (reversedSemantics' enemy): crown, face, hair, dress.
  static let princessSmall = PriorSprite(halves: [
    ".....y.y",
    ".....yry",
    "....hhhh",
    "...hhsss",
    "...hsess",
    "...hssss",
    "...hhssm",
    "...hh.ss",
    "....wppw",
    "...sPppp",
    "...sPppw",
    "....Pppp",
    "...pPppp",
    "..pPwwww",
    "..PPPPPP",
  ], sharedCentre: true, princessPalette)

  // MARK: Enemy (angry pink face)

  static let enemy = PriorSprite(halves: [
    "....kkkk",
    "..kkpppp",
    ".kplpppp",
    ".kplpppp",
    "kppbbppp",
    "kpppbbpp",
    "kppwwwbp",
    "kppwwepp",
    "kpppwepp",
    "kppppppp",
    "kppkkkkk",
    "kppktktk",
    ".kppkkkk",
    "..kkpppp",
    "....kkkk",
  ], sharedCentre: true, [
    "k": RGB(112, 0, 62), "p": RGB(255, 98, 182), "l": RGB(255, 170, 220), "b": RGB(40, 0, 22),
    "w": RGB(255, 255, 255), "e": RGB(0, 0, 0), "t": RGB(255, 255, 255),
  ])

  // MARK: Fire (a flame in the floor)

  static let flame = PriorSprite([
    ".......r.......",
    "......rr.....r.",
    "..r...ror...rr.",
    "..rr..rorr..rr.",
    ".rrr.rroorr.ror",
    ".ror.rooyor.ror",
    "rroorroyyoorroo",
    "roooooyyyyoooor",
    "rooyyoyywyyooor",
    "rooyyyywwyyyoor",
    "roooyywwwwyyoor",
    "rooyyywwwwyyyor",
    "rrooyyyywyyyoor",
    "krrooooooooorrk",
    "kkrrrrrrrrrrrkk",
  ], ["r": RGB(226, 44, 20), "o": RGB(255, 140, 0), "y": RGB(255, 222, 64), "w": RGB(255, 252, 196), "k": RGB(130, 18, 8)])

  // MARK: Coin (reversedSemantics' fire: an inviting collectible)

  static let coin = PriorSprite(width: 15, height: 15) { x, y in
    let dx = Double(x) - 7, dy = Double(y) - 7.5
    let d = (dx * dx + dy * dy).squareRoot()
    if d > 6.9 { return (x == 1 && y == 2) || (x == 13 && y == 12) ? RGB(255, 250, 200) : nil } // sparkles
    if d > 5.9 { return RGB(176, 118, 10) }                                       // rim
    if (Double(x) - 5) * (Double(x) - 5) + (Double(y) - 4.5) * (Double(y) - 4.5) < 2.3 { return RGB(255, 252, 214) } // shine
    if x == 7 && (4...11).contains(y) { return RGB(206, 146, 16) }                // engraved slot
    if d > 4.6 { return RGB(236, 178, 24) }                                       // inner ring
    return RGB(255, 214, 52)
  }

  // MARK: Wood platform

  /// Two planks with seams, staggered joints, grain and nails.
  static let woodPlatform = PriorSprite(width: 15, height: 15) { x, y in
    let seam = RGB(82, 46, 16)
    if y == 7 || y == 14 { return seam }
    let lower = y > 7
    if x == (lower ? 4 : 10) { return seam }
    if y == 0 || y == 8 { return lower ? RGB(196, 130, 66) : RGB(214, 150, 80) }   // top highlight
    if y == 6 || y == 13 { return lower ? RGB(128, 76, 32) : RGB(140, 86, 38) }    // bottom shade
    let nails = lower ? [(2, 10), (6, 10)] : [(8, 3), (12, 3)]
    if nails.contains(where: { $0 == (x, y) }) { return RGB(64, 46, 40) }
    let grain = SplitMix64.mix(UInt64(y * 31 + x / 3 + (lower ? 500 : 0))) % 5 == 0
    let base = lower ? RGB(160, 100, 46) : RGB(176, 112, 52)
    return grain ? PriorTextures.shade(base, -20) : PriorTextures.shade(base, Int(SplitMix64.mix(UInt64(y * 15 + x)) % 9) - 4)
  }

  // MARK: Ladder

  /// `ladder[(leftRail ? 1 : 0) + (rightRail ? 2 : 0)]`: a ladder tile with rails where it has no ladder
  /// neighbour (so a two-tile-wide ladder is one wide ladder) and three rungs at a 5-px period.
  static let ladder: [PriorSprite] = (0..<4).map { bits in
    let (left, right) = (bits & 1 != 0, bits & 2 != 0)
    return PriorSprite(width: 15, height: 15) { x, y in
      let rail = [RGB(226, 172, 98), RGB(176, 120, 58), RGB(108, 68, 28)]
      if left && (1...3).contains(x) { return rail[x - 1] }
      if right && (11...13).contains(x) { return rail[x - 11] }
      let inside = x >= (left ? 4 : 0) && x <= (right ? 10 : 14)
      if inside && y % 5 == 2 { return RGB(232, 184, 110) }
      if inside && y % 5 == 3 { return RGB(132, 86, 38) }
      return nil
    }
  }
}
