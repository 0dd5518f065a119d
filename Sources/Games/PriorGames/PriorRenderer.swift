import EnvironmentCore

/// What a static layer was drawn for.
struct PriorFrameKey: Equatable, Sendable {
  var level: String
  var theme: PriorOptions.Theme
  /// Tile rectangles' offset (the rounding rule).
  var offset: Int
  var enemyAlive: UInt64
  var view: PriorOptions.View
}

/// The renderer's own cache: the frame without the player, and which of its pixels lie above the player.
struct PriorFrameCache: Sendable {
  /// Background, distractors, ladders, fire, live enemies, walls and princess, drawn back to front.
  var staticLayer: [UInt8] = []
  /// One byte per pixel: 1 where a layer drawn after the player (fire, enemies, walls, princess) painted it.
  var occlusion: [UInt8] = []
  var key: PriorFrameKey? = nil
}

/// Draws a ``PriorScene`` as a 230 × 230 RGB frame in a theme. Back to front: background, distractors,
/// ladders, player, fire, live enemies, walls, princess (the reference's order). The map is 240 px, so the
/// right boundary column and the bottom row are cropped.
///
/// Per frame only the player changes, so everything else is drawn once per (level, theme, rounding, live
/// enemies) into ``PriorFrameCache/staticLayer``, together with a mask of the pixels the layers above the
/// player cover. A frame is then a copy of that layer plus the player's pixels outside the mask, which is
/// exactly what drawing every layer in order gives (``renderDirect(_:theme:into:width:height:)``).
///
/// With `view: .rotated` the same frame comes out turned 90° clockwise (world (x, y) lands at
/// (229 − y, x)): the cached layer is stored turned and the player painted turned, so it costs the same.
enum PriorRenderer {
  static func render(_ scene: PriorScene, theme: PriorOptions.Theme, view: PriorOptions.View = .normal, cache: inout PriorFrameCache,
                     into pixels: UnsafeMutableBufferPointer<UInt8>) {
    let side = PriorPlatformer.frameSide, count = side * side * 3
    precondition(pixels.count >= count, "frame buffer too small")
    let rotated = view == .rotated
    let key = PriorFrameKey(level: scene.level.name, theme: theme, offset: scene.geometry.offset, enemyAlive: scene.enemyAlive, view: view)
    if cache.key != key || cache.staticLayer.count != count {
      cache.key = nil
      if cache.staticLayer.count != count { cache.staticLayer = [UInt8](repeating: 0, count: count) }
      if cache.occlusion.count != side * side { cache.occlusion = [UInt8](repeating: 0, count: side * side) }
      cache.staticLayer.withUnsafeMutableBufferPointer { layer in
        cache.occlusion.withUnsafeMutableBufferPointer { mask in
          mask.update(repeating: 0)
          var painter = PriorPainter(layer.baseAddress!, width: side, height: side, rotated: rotated)
          paintBackground(scene, theme, painter)
          paintLadders(scene, theme, painter)
          painter.marks = mask.baseAddress
          paintForeground(scene, theme, painter)
        }
      }
      cache.key = key
    }
    // Row by row on purpose: one 159-kB memcpy takes glibc's `rep movsb` path, which on AMD Zen runs ~15×
    // slower when the destination sits a few bytes past the source modulo 64 (measured 55 µs against 3.5 µs);
    // 690-byte copies take the vector path at full speed whatever the alignment.
    cache.staticLayer.withUnsafeBufferPointer { layer in
      let row = side * 3
      for y in 0..<side { (pixels.baseAddress! + y * row).update(from: layer.baseAddress! + y * row, count: row) }
    }
    cache.occlusion.withUnsafeBufferPointer { mask in
      paintPlayer(scene, theme, PriorPainter(pixels.baseAddress!, width: side, height: side, rotated: rotated, skipping: mask.baseAddress))
    }
  }

  /// Every layer painted in order with no cache, into a `width × height` frame (larger than 230 to see
  /// what the crop drops). The reference for the cached path.
  static func renderDirect(_ scene: PriorScene, theme: PriorOptions.Theme, into pixels: UnsafeMutableBufferPointer<UInt8>,
                           width: Int = PriorPlatformer.frameSide, height: Int = PriorPlatformer.frameSide) {
    precondition(pixels.count >= width * height * 3, "frame buffer too small")
    let painter = PriorPainter(pixels.baseAddress!, width: width, height: height)
    paintBackground(scene, theme, painter)
    paintLadders(scene, theme, painter)
    paintPlayer(scene, theme, painter)
    paintForeground(scene, theme, painter)
  }

  // MARK: Looks per theme

  /// Player, princess, enemy and fire are flat squares.
  static func drawsSquares(_ theme: PriorOptions.Theme) -> Bool {
    theme == .maskedSemantics || theme == .maskedObjectIdentity || theme == .allMasked
  }

  /// The background is the texture patchwork.
  static func drawsPatchwork(_ theme: PriorOptions.Theme) -> Bool {
    theme == .maskedAffordances || theme == .maskedSimilarity || theme == .allMasked
  }

  static func backgroundColor(_ theme: PriorOptions.Theme) -> RGB {
    theme == .maskedObjectIdentity || drawsPatchwork(theme) ? .black : PriorPalette.background
  }

  /// The texture of a platform or ladder tile in a patchwork theme (`nil`: the theme's own look).
  static func structureTexture(at tile: Int, _ scene: PriorScene, _ theme: PriorOptions.Theme) -> PriorSprite? {
    guard let index = PriorScenery.structureTexture(at: tile, in: scene.level, theme: theme, segments: scene.segments) else { return nil }
    if theme == .maskedSimilarity && scene.level.tiles[tile] == .ladder {
      // The scenery's index here is the ladder class (code 2 → 0, code 3 → 1); the spec's looks are pink
      // stone and green.
      return PriorTextures.pattern(scene.level.codes[tile] == 3 ? .grass : .pinkStone)
    }
    return PriorTextures.patterns[index % PriorTextures.patterns.count]
  }

  // MARK: Layers

  static func paintBackground(_ scene: PriorScene, _ theme: PriorOptions.Theme, _ painter: PriorPainter) {
    painter.fill(PixelRect(left: 0, top: 0, right: painter.width, bottom: painter.height), backgroundColor(theme))
    let level = scene.level, geometry = scene.geometry
    if drawsPatchwork(theme) {
      // Under every cell, so a stomped enemy leaves patchwork behind, not a hole.
      for tile in level.tiles.indices {
        let texture = PriorScenery.backgroundTexture(row: tile / level.columns, column: tile % level.columns)
        painter.draw(PriorTextures.pattern(texture), in: geometry.tileRect(tile))
      }
    }
    for tile in level.tiles.indices {
      if let d = PriorScenery.distractor(at: tile, in: level, theme: theme) {
        painter.fill(geometry.tileRect(tile), PriorPalette.distractors[d])
      }
    }
  }

  static func paintLadders(_ scene: PriorScene, _ theme: PriorOptions.Theme, _ painter: PriorPainter) {
    let level = scene.level
    for tile in level.tiles.indices where level.tiles[tile] == .ladder {
      let rect = scene.geometry.tileRect(tile)
      if let texture = structureTexture(at: tile, scene, theme) {
        painter.draw(texture, in: rect)
      } else if theme == .maskedObjectIdentity {
        painter.fill(rect, PriorPalette.ladder)
      } else {
        let c = tile % level.columns
        let left = c == 0 || level.tiles[tile - 1] != .ladder, right = c == level.columns - 1 || level.tiles[tile + 1] != .ladder
        painter.draw(PriorSprites.ladder[(left ? 1 : 0) + (right ? 2 : 0)], in: rect)
      }
    }
  }

  static func paintPlayer(_ scene: PriorScene, _ theme: PriorOptions.Theme, _ painter: PriorPainter) {
    if drawsSquares(theme) {
      painter.fill(scene.player, PriorPalette.player)
    } else {
      // Only the original animates and turns; the other themes keep the still frame facing right.
      let animated = theme == .original
      let sprite = PriorSprites.robot[animated && scene.facingLeft ? 1 : 0][animated ? min(max(scene.walkFrame, 0), 2) : 0]
      painter.draw(sprite, in: scene.player)
    }
  }

  /// Fire, live enemies, walls, princess.
  static func paintForeground(_ scene: PriorScene, _ theme: PriorOptions.Theme, _ painter: PriorPainter) {
    let level = scene.level, geometry = scene.geometry
    let squares = drawsSquares(theme), reversed = theme == .reversedSemantics
    for tile in level.tiles.indices where level.tiles[tile] == .fire {
      let rect = geometry.tileRect(tile)
      if squares { painter.fill(rect, PriorPalette.fire) } else { painter.draw(reversed ? PriorSprites.coin : PriorSprites.flame, in: rect) }
    }
    for (i, tile) in geometry.enemies.enumerated() where scene.enemyAlive & (1 << UInt64(i)) != 0 {
      let rect = geometry.tileRect(tile)
      if squares {
        painter.fill(rect, PriorPalette.enemy)
      } else {
        painter.draw(reversed ? PriorSprites.princessSmall : PriorSprites.enemy, in: rect)
      }
    }
    for tile in level.tiles.indices {
      switch level.tiles[tile] {
      case .platform:
        painter.draw(structureTexture(at: tile, scene, theme) ?? PriorSprites.woodPlatform, in: geometry.tileRect(tile))
      case .boundary:
        painter.fill(geometry.tileRect(tile), PriorPalette.boundary)
      default:
        continue
      }
    }
    if squares { painter.fill(geometry.princess, PriorPalette.princess) }
    else { painter.draw(reversed ? PriorSprites.enemy : PriorSprites.princess, in: geometry.princess) }
  }
}

/// Paints rectangles and sprites into an RGB24 buffer, clipped to it. With `marks`, every painted pixel is
/// also flagged there; with `skipping`, pixels flagged there are left alone. A `rotated` painter (square
/// buffers only) stores world pixel (x, y) at (width − 1 − y, x): the picture turned 90° clockwise.
struct PriorPainter {
  let base: UnsafeMutablePointer<UInt8>
  let width: Int, height: Int
  let rotated: Bool
  var marks: UnsafeMutablePointer<UInt8>? = nil
  var skipping: UnsafePointer<UInt8>? = nil

  init(_ base: UnsafeMutablePointer<UInt8>, width: Int, height: Int, rotated: Bool = false, skipping: UnsafePointer<UInt8>? = nil) {
    precondition(!rotated || width == height, "only a square frame can be turned in place")
    self.base = base
    self.width = width
    self.height = height
    self.rotated = rotated
    self.skipping = skipping
  }

  /// The buffer index of world pixel (x, y).
  @inline(__always)
  private func index(_ x: Int, _ y: Int) -> Int { rotated ? x * width + (width - 1 - y) : y * width + x }

  @inline(__always)
  private func put(_ i: Int, _ argb: UInt32) {
    if let skipping, skipping[i] != 0 { return }
    let p = base + 3 * i
    p[0] = UInt8(truncatingIfNeeded: argb >> 16)
    p[1] = UInt8(truncatingIfNeeded: argb >> 8)
    p[2] = UInt8(truncatingIfNeeded: argb)
    marks?[i] = 1
  }

  func fill(_ r: PixelRect, _ color: RGB) {
    let argb = PriorSprite.opaque(color)
    let x0 = max(r.left, 0), x1 = min(r.right, width), y0 = max(r.top, 0), y1 = min(r.bottom, height)
    guard x0 < x1, y0 < y1 else { return }
    for y in y0..<y1 { for x in x0..<x1 { put(index(x, y), argb) } }
  }

  /// Draws `sprite` stretched (nearest neighbour) to fill `r`; transparent pixels are skipped.
  func draw(_ sprite: PriorSprite, in r: PixelRect) {
    let w = r.right - r.left, h = r.bottom - r.top
    let x0 = max(r.left, 0), x1 = min(r.right, width), y0 = max(r.top, 0), y1 = min(r.bottom, height)
    guard w > 0, h > 0, x0 < x1, y0 < y1 else { return }
    sprite.pixels.withUnsafeBufferPointer { source in
      if w == sprite.width && h == sprite.height { // the usual case: no stretching
        for y in y0..<y1 {
          let row = (y - r.top) * w - r.left
          for x in x0..<x1 where source[row + x] != 0 { put(index(x, y), source[row + x]) }
        }
        return
      }
      for y in y0..<y1 {
        let row = (y - r.top) * sprite.height / h * sprite.width
        for x in x0..<x1 {
          let argb = source[row + (x - r.left) * sprite.width / w]
          if argb != 0 { put(index(x, y), argb) }
        }
      }
    }
  }
}
