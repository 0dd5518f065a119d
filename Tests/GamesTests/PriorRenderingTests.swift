import EnvironmentCore
import Foundation
import Testing
@testable import Games

/// The platformer's pixels: the asset rules of spec §5, draw order, crop, the cached path, the rotated view.
@Suite struct PriorRenderingTests {
  static let levelsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("envs/priors/levels")

  static func level(_ name: String) throws -> PriorLevel {
    try PriorLevel(name: name, text: String(contentsOf: levelsDirectory.appendingPathComponent("\(name).txt"), encoding: .utf8))
  }

  /// The paper's level of each theme.
  static func defaultLevel(_ theme: PriorOptions.Theme) -> String {
    switch theme {
    case .original, .maskedSemantics, .reversedSemantics: "map"
    case .maskedObjectIdentity, .maskedAffordances, .allMasked: "map_3"
    case .maskedSimilarity: "map_similarity"
    }
  }

  static func game(_ theme: PriorOptions.Theme, level: String? = nil, view: PriorOptions.View = .normal,
                   rounding: PriorOptions.Rounding = .halfAwayFromZero) throws -> PriorPlatformer {
    var options = PriorOptions()
    options.theme = theme
    options.view = view
    options.rectRounding = rounding
    options.levels = [level ?? defaultLevel(theme)]
    return PriorPlatformer(options: options, levels: try options.levels.map(Self.level))
  }

  static let side = PriorPlatformer.frameSide

  /// The frame through the game's cached path.
  static func frame(_ g: inout PriorPlatformer) -> Frame {
    var bytes = [UInt8](repeating: 0, count: side * side * 3)
    bytes.withUnsafeMutableBufferPointer { g.render(into: $0) }
    return Frame(width: side, height: side, pixels: bytes)
  }

  /// Every layer painted in order, no cache; `player` replaces the player's rectangle.
  static func direct(_ g: PriorPlatformer, width: Int = side, height: Int = side, player: PixelRect? = nil) -> Frame {
    let s = g.scene
    let scene = PriorScene(level: s.level, geometry: s.geometry, enemyAlive: s.enemyAlive, player: player ?? s.player,
                           facingLeft: s.facingLeft, walkFrame: s.walkFrame, segments: s.segments)
    var bytes = [UInt8](repeating: 0, count: width * height * 3)
    bytes.withUnsafeMutableBufferPointer { PriorRenderer.renderDirect(scene, theme: g.options.theme, into: $0, width: width, height: height) }
    return Frame(width: width, height: height, pixels: bytes)
  }

  static let offscreen = PixelRect(left: -100, top: -100, right: -85, bottom: -85)

  /// The pixels of `r` (clipped to the frame), row by row.
  static func block(_ f: Frame, _ r: PixelRect) -> [RGB] {
    var out: [RGB] = []
    for y in max(r.top, 0)..<min(r.bottom, f.height) { for x in max(r.left, 0)..<min(r.right, f.width) { out.append(f[x, y]) } }
    return out
  }

  /// RGB triples as colours.
  static func colors(_ bytes: [UInt8]) -> [RGB] { stride(from: 0, to: bytes.count, by: 3).map { RGB(bytes[$0], bytes[$0 + 1], bytes[$0 + 2]) } }

  static func uniform(_ pixels: [RGB]) -> RGB? { pixels.allSatisfy { $0 == pixels[0] } ? pixels[0] : nil }

  /// CIE relative luminance of an sRGB colour, 0...1.
  static func luminance(_ c: RGB) -> Double {
    func linear(_ v: UInt8) -> Double {
      let s = Double(v) / 255
      return s <= 0.04045 ? s / 12.92 : Foundation.pow((s + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
  }

  static func tiles(_ g: PriorPlatformer, _ kind: PriorLevel.Tile) -> [Int] { g.level.tiles.indices.filter { g.level.tiles[$0] == kind } }

  /// Tiles whose rectangle neither the player nor the princess overlaps.
  static func clear(_ g: PriorPlatformer, _ tile: Int) -> Bool {
    let r = g.geometry.tileRect(tile)
    return !r.overlaps(g.playerRect()) && !r.overlaps(g.geometry.princess)
  }

  // MARK: Frame size and crop

  @Test(arguments: PriorOptions.Theme.allCases)
  func frameIs230SquareAndCropsTheMapsRightColumnAndBottomRow(theme: PriorOptions.Theme) throws {
    var env = GameEnvironment(game: try Self.game(theme), form: Pixels())
    let frame = env.reset(seed: 0)
    #expect((frame.width, frame.height) == (230, 230))
    let g = env.game
    let full = Self.direct(g, width: 241, height: 241)
    #expect(Self.block(full, PixelRect(left: 0, top: 0, right: 230, bottom: 230)) == Self.colors(frame.pixels),
            "the frame is the map's top-left 230 × 230")
    // The right boundary column spans x 226..<241: only 4 of its 15 columns remain.
    #expect(Self.uniform(Self.block(frame, PixelRect(left: 226, top: 16, right: 230, bottom: 200))) == .black)
    #expect(Self.uniform(Self.block(full, PixelRect(left: 226, top: 16, right: 241, bottom: 200))) == .black)
  }

  // MARK: Asset rules (spec §5.1)

  @Test func maskedSemanticsDrawsUniformSquaresAndFireNearTheBackground() throws {
    var g = try Self.game(.maskedSemantics)
    let frame = Self.frame(&g)
    #expect(Self.uniform(Self.block(frame, g.playerRect())) == PriorPalette.player)
    #expect(Self.uniform(Self.block(frame, g.geometry.princess)) == PriorPalette.princess)
    #expect(Self.block(frame, g.geometry.princess).count == 18 * 25)
    for tile in g.geometry.enemies { #expect(Self.uniform(Self.block(frame, g.geometry.tileRect(tile))) == PriorPalette.enemy) }
    let fires = Self.tiles(g, .fire)
    #expect(fires.count == 3)
    for tile in fires { #expect(Self.uniform(Self.block(frame, g.geometry.tileRect(tile))) == PriorPalette.fire) }
    let background = frame[100, 30]
    #expect(background == RGB(40, 20, 0))
    #expect(abs(Self.luminance(PriorPalette.fire) - Self.luminance(background)) < 0.1, "fire is nearly the background")
    // The sprite themes are not squares.
    var original = try Self.game(.original)
    let sprites = Self.frame(&original)
    #expect(Self.uniform(Self.block(sprites, original.playerRect())) == nil)
    #expect(Self.uniform(Self.block(sprites, original.geometry.princess)) == nil)
  }

  @Test(arguments: [PriorOptions.Theme.maskedObjectIdentity, .allMasked])
  func distractorsAreObjectSizedSquaresInTheObjectPaletteWhereTheGridSays(theme: PriorOptions.Theme) throws {
    var env = GameEnvironment(game: try Self.game(theme), form: Grid())
    let grid = env.reset(seed: 0)
    var g = env.game
    let frame = Self.frame(&g)
    #expect(PriorPalette.distractors.count == 6 && Set(PriorPalette.distractors).count == 6)
    for real in [PriorPalette.player, PriorPalette.princess, PriorPalette.enemy, PriorPalette.fire, PriorPalette.ladder] {
      #expect(PriorPalette.objects.contains(real))
    }
    #expect(PriorPalette.distractors.contains(PriorPalette.player) && PriorPalette.distractors.contains(PriorPalette.enemy))
    var count = 0
    for tile in g.level.tiles.indices {
      let (x, y) = (tile % g.level.columns, tile / g.level.columns)
      let d = PriorScenery.distractor(at: tile, in: g.level, theme: theme)
      for k in 0..<6 {
        let channel = try #require(grid.layout.index(of: GridChannel(.distractor, k)))
        #expect(grid[channel, x, y] == (d == k), "grid and pixels agree at (\(x), \(y))")
      }
      guard let d else { continue }
      count += 1
      let rect = g.geometry.tileRect(tile)
      guard Self.clear(g, tile) else { continue } // partly under the princess or the player
      #expect((rect.right - rect.left, rect.bottom - rect.top) == (15, 15))
      #expect(Self.uniform(Self.block(frame, rect)) == PriorPalette.distractors[d])
      #expect(PriorPalette.objects.contains(PriorPalette.distractors[d]))
    }
    #expect(count > 40)
    #expect(Self.uniform(Self.block(frame, g.playerRect())) == PriorPalette.player)
    #expect(Self.uniform(Self.block(frame, g.geometry.princess)) == PriorPalette.princess)
    if theme == .maskedObjectIdentity {
      for tile in Self.tiles(g, .ladder) { #expect(Self.uniform(Self.block(frame, g.geometry.tileRect(tile))) == PriorPalette.ladder) }
      for tile in Self.tiles(g, .empty) where Self.clear(g, tile) && PriorScenery.distractor(at: tile, in: g.level, theme: theme) == nil {
        #expect(Self.uniform(Self.block(frame, g.geometry.tileRect(tile))) == .black)
      }
    }
  }

  @Test func maskedAffordancesDrawsPlatformsAndLaddersInBackgroundTextures() throws {
    var g = try Self.game(.maskedAffordances)
    let frame = Self.frame(&g)
    var background: [PriorScenery.Texture: [RGB]] = [:]
    for tile in Self.tiles(g, .empty) where Self.clear(g, tile) {
      let texture = PriorScenery.backgroundTexture(row: tile / g.level.columns, column: tile % g.level.columns)
      let pixels = Self.block(frame, g.geometry.tileRect(tile))
      #expect(background[texture, default: pixels] == pixels, "one pattern per texture")
      background[texture] = pixels
    }
    #expect(background.count == 5, "the patchwork shows all five textures")
    #expect(Set(background.values.map { $0.map { [$0.red, $0.green, $0.blue] } }).count == 5, "five different patterns")
    for (kind, texture) in [(PriorLevel.Tile.platform, PriorScenery.Texture.blueStone), (.ladder, .pinkStone)] {
      for tile in Self.tiles(g, kind) where Self.clear(g, tile) {
        #expect(Self.block(frame, g.geometry.tileRect(tile)) == background[texture], "\(kind) tile \(tile)")
      }
    }
    // Characters keep their sprites.
    #expect(Self.uniform(Self.block(frame, g.playerRect())) == nil)
  }

  @Test func maskedSimilarityGivesEachPlatformCodeAndEachLadderItsOwnTexture() throws {
    var g = try Self.game(.maskedSimilarity)
    let frame = Self.frame(&g)
    let patterns = PriorTextures.patterns.map { $0.pixels }
    func texture(_ tile: Int) -> Int? {
      let pixels = Self.block(frame, g.geometry.tileRect(tile)).map { PriorSprite.opaque($0) }
      return patterns.firstIndex(of: pixels)
    }
    var platformTextures: [UInt8: Set<Int?>] = [:], ladderTextures: [UInt8: Set<Int?>] = [:]
    for tile in Self.tiles(g, .platform) where Self.clear(g, tile) { platformTextures[g.level.codes[tile], default: []].insert(texture(tile)) }
    for tile in Self.tiles(g, .ladder) where Self.clear(g, tile) { ladderTextures[g.level.codes[tile], default: []].insert(texture(tile)) }
    #expect(platformTextures.keys.sorted() == [1, 4, 5, 6, 7])
    #expect(platformTextures.values.allSatisfy { $0.count == 1 && $0.first! != nil }, "one texture of the set per code")
    #expect(Set(platformTextures.values.map { $0.first! }).count == 5, "no two platform codes share a texture")
    #expect(ladderTextures.keys.sorted() == [2, 3])
    #expect(ladderTextures[2] == [PriorScenery.Texture.pinkStone.rawValue] && ladderTextures[3] == [PriorScenery.Texture.grass.rawValue])
  }

  @Test func allMaskedDrawsSquaresOverPatchworkWithPerSegmentTextures() throws {
    var g = try Self.game(.allMasked)
    let frame = Self.frame(&g)
    let segments = PriorScenery.segments(of: g.level)
    for tile in Self.tiles(g, .platform) + Self.tiles(g, .ladder) where Self.clear(g, tile) {
      let index = try #require(PriorScenery.structureTexture(at: tile, in: g.level, theme: .allMasked, segments: segments))
      #expect(Self.block(frame, g.geometry.tileRect(tile)).map { PriorSprite.opaque($0) } == PriorTextures.patterns[index].pixels)
    }
    let ladderLooks = Set(Self.tiles(g, .ladder).map { PriorScenery.structureTexture(at: $0, in: g.level, theme: .allMasked, segments: segments) })
    #expect(ladderLooks.count == 2, "the two ladders differ")
    for tile in g.geometry.enemies { #expect(Self.uniform(Self.block(frame, g.geometry.tileRect(tile))) == PriorPalette.enemy) }
    for tile in Self.tiles(g, .fire) { #expect(Self.uniform(Self.block(frame, g.geometry.tileRect(tile))) == PriorPalette.fire) }
  }

  @Test func reversedSemanticsSwapsPrincessEnemyAndFireLooks() throws {
    var g = try Self.game(.reversedSemantics)
    var original = try Self.game(.original)
    let frame = Self.frame(&g), reference = Self.frame(&original)
    let enemyPink = RGB(255, 98, 182), dress = RGB(240, 96, 176)
    let princess = Self.block(frame, g.geometry.princess), enemy = Self.block(frame, g.geometry.tileRect(g.geometry.enemies[0]))
    #expect(princess.contains(enemyPink) && !princess.contains(dress))
    #expect(enemy.contains(dress) && !enemy.contains(enemyPink))
    #expect(Self.block(reference, original.geometry.princess).contains(dress))
    for tile in Self.tiles(g, .fire) {
      #expect(Self.block(frame, g.geometry.tileRect(tile)).contains(RGB(255, 214, 52)), "a gold coin")
      #expect(!Self.block(frame, g.geometry.tileRect(tile)).contains(RGB(255, 140, 0)), "no flame")
    }
    #expect(Self.block(frame, g.playerRect()) == Self.block(reference, original.playerRect()), "the player is unchanged")
  }

  @Test func texturesAreDistinctTilesAndOnlyTheOriginalWalks() throws {
    #expect(PriorTextures.patterns.count == 5)
    #expect(PriorTextures.patterns.allSatisfy { $0.width == 15 && $0.height == 15 && !$0.pixels.contains(0) })
    #expect(Set(PriorTextures.patterns.map(\.pixels)).count == 5)
    #expect(Set(PriorSprites.robot.joined().map(\.pixels)).count == 6, "still and two walking frames per direction")
    #expect((PriorSprites.princess.width, PriorSprites.princess.height) == (18, 25))
    // Which robot pictures (index 3 · facingLeft + frame) the frame shows at the player's rectangle.
    func robots(_ g: inout PriorPlatformer) -> [Int] {
      let frame = Self.frame(&g), r = g.playerRect()
      return (0..<6).filter { i in
        let sprite = PriorSprites.robot[i / 3][i % 3]
        return (0..<225).allSatisfy { p in sprite.pixels[p] == 0 || PriorSprite.opaque(frame[r.left + p % 15, r.top + p / 15]) == sprite.pixels[p] }
      }
    }
    for theme in [PriorOptions.Theme.original, .maskedAffordances, .reversedSemantics] {
      var g = try Self.game(theme)
      for _ in 0..<10 { _ = g.advance(PriorPlatformer.Action.noop.rawValue) } // fall to the floor (mid-fall it dips into it)
      var seen: [Int] = []
      for action in [PriorPlatformer.Action.noop, .left, .left, .left, .left, .left, .right, .right, .right] {
        _ = g.advance(action.rawValue)
        seen += [robots(&g).first ?? -1]
      }
      #expect(seen == (theme == .original ? [0, 4, 4, 5, 5, 4, 1, 1, 2] : Array(repeating: 0, count: 9)), "\(theme)")
    }
  }

  // MARK: Draw order

  @Test(arguments: [PriorOptions.Theme.maskedSemantics, .original])
  func playerIsDrawnAboveLaddersAndBelowFireEnemiesWallsAndPrincess(theme: PriorOptions.Theme) throws {
    var g = try Self.game(theme)
    // Centre (127.5, 60): the rectangle's lower half overlaps the platform row at y 61..<76. (150, 210): the
    // fire at y 211..<226. (22.5, 45): the princess. (195, 90): only a ladder. (45, 58): princess and platform.
    for (x2, y2, behind) in [(255, 120, true), (300, 420, true), (45, 90, true), (390, 180, false), (90, 116, true)] {
      g.x2 = x2
      g.y2 = y2
      let frame = Self.frame(&g), player = g.playerRect()
      let without = Self.direct(g, player: Self.offscreen)
      let alone = Self.direct(g) // every layer in order
      #expect(frame == alone, "cached path at (\(x2), \(y2))")
      var hidden = 0, shown = 0
      var foreground = Set<Int>()
      for tile in g.level.tiles.indices where [PriorLevel.Tile.fire, .platform, .boundary, .enemy].contains(g.level.tiles[tile]) {
        let r = g.geometry.tileRect(tile)
        for y in r.top..<r.bottom { for x in r.left..<r.right { foreground.insert(y * 1000 + x) } }
      }
      let q = g.geometry.princess
      for y in q.top..<q.bottom { for x in q.left..<q.right { foreground.insert(y * 1000 + x) } }
      for y in player.top..<player.bottom {
        for x in player.left..<player.right {
          if foreground.contains(y * 1000 + x) && without[x, y] != PriorPalette.background {
            #expect(frame[x, y] == without[x, y], "(\(x), \(y)) is behind a layer drawn after the player")
            hidden += 1
          } else if theme == .maskedSemantics {
            #expect(frame[x, y] == PriorPalette.player, "(\(x), \(y)) shows the player")
            shown += 1
          }
        }
      }
      #expect((hidden > 0) == behind && (theme != .maskedSemantics || shown > 0), "at (\(x2), \(y2))")
      if !behind { #expect(frame != without, "the player shows over the ladder") }
    }
  }

  // MARK: The cache

  @Test(arguments: PriorOptions.Theme.allCases)
  func cachedFramesEqualFromScratchFramesAlongRandomPlay(theme: PriorOptions.Theme) throws {
    for (level, rounding) in [(Self.defaultLevel(theme), PriorOptions.Rounding.halfAwayFromZero), ("map0", .truncate)] {
      var g = try Self.game(theme, level: level, rounding: rounding)
      var rng = SplitMix64(seed: UInt64(PriorOptions.Theme.allCases.firstIndex(of: theme)!))
      for step in 0..<50 {
        if g.isDone { g.reset(seed: rng.next()) }
        _ = g.advance(rng.nextInt(below: 6))
        if step == 25 { g.enemyAlive = 0 } // as after a stomp
        if step % 5 != 0 && step != 26 { continue }
        let warm = Self.frame(&g)
        var cold = g
        cold.caches = PriorRenderCache()
        #expect(warm == Self.frame(&cold), "\(theme) \(level) step \(step): warm vs empty cache")
        #expect(warm == Self.direct(g), "\(theme) \(level) step \(step): cached vs every layer in order")
      }
    }
  }

  @Test func aStompedEnemyDisappearsFromTheCachedFrame() throws {
    var g = try Self.game(.original)
    let enemy = g.geometry.tileRect(g.geometry.enemies[0])
    let before = Self.block(Self.frame(&g), enemy)
    g.enemyAlive = 0
    let after = Self.block(Self.frame(&g), enemy)
    #expect(before != after)
    #expect(Self.uniform(after) == PriorPalette.background)
  }

  // MARK: Rotated view

  @Test(arguments: [PriorOptions.Theme.original, .allMasked])
  func rotatedViewIsTheNormalFrameTurnedClockwise(theme: PriorOptions.Theme) throws {
    var normal = try Self.game(theme), rotated = try Self.game(theme, view: .rotated)
    var rng = SplitMix64(seed: 7)
    for step in 0..<30 {
      let action = rng.nextInt(below: 6)
      _ = normal.advance(action)
      _ = rotated.advance(action)
      guard step % 6 == 0 else { continue }
      let a = Self.frame(&normal), b = Self.frame(&rotated)
      var turned = a
      for y in 0..<Self.side { for x in 0..<Self.side { turned[Self.side - 1 - y, x] = a[x, y] } }
      #expect(b == turned, "step \(step)")
      // The renderer's own turned path (cached turned layer, player painted turned).
      var cache = PriorFrameCache(), bytes = [UInt8](repeating: 0, count: Self.side * Self.side * 3)
      for _ in 0..<2 {
        bytes.withUnsafeMutableBufferPointer { PriorRenderer.render(normal.scene, theme: theme, view: .rotated, cache: &cache, into: $0) }
      }
      #expect(bytes == turned.pixels, "step \(step), renderer view .rotated")
    }
  }
}

