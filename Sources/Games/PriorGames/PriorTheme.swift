import EnvironmentCore

/// What each theme shows, as data both the renderer and the symbolic grid read, so the grid exposes exactly
/// the classes the pixels let one tell apart (spec §4.2).
enum PriorScenery {
  /// The five textures of the patchwork themes.
  enum Texture: Int, CaseIterable, Sendable {
    case blueStone, pinkStone, grass, sand, wood
  }

  /// Rows (of `map_3`) whose empty cells hold distractor squares.
  static let distractorRows: Set<Int> = [3, 4, 7, 8, 11, 12]

  /// The patchwork's texture at a cell: 2 × 2-tile patches, a fixed hash so every run looks the same.
  static func backgroundTexture(row: Int, column: Int) -> Texture {
    Texture(rawValue: Int(SplitMix64.mix(UInt64((row / 2) * 97 + column / 2 + 1)) % 5))!
  }

  /// The distractor colour index (0..<6) at a cell, or `nil` where the theme draws none.
  static func distractor(at tile: Int, in level: PriorLevel, theme: PriorOptions.Theme) -> Int? {
    guard theme == .maskedObjectIdentity || theme == .allMasked else { return nil }
    let (r, c) = (tile / level.columns, tile % level.columns)
    guard distractorRows.contains(r), level.tiles[tile] == .empty else { return nil }
    if (r, c) == (level.princessY2 / 30, level.princessX2 / 30) || (r, c) == (level.startY2 / 30, level.startX2 / 30) { return nil }
    return (7 * r + 3 * c) % 6
  }

  /// The texture a platform or ladder tile is drawn with in a patchwork theme, `nil` for other themes.
  /// maskedAffordances: all platforms blue stone, all ladders pink stone. maskedSimilarity: by the level's
  /// codes (platform 1, 4, 5, 6, 7; ladder 2, 3). allMasked: platforms cycle the five textures by segment,
  /// the two ladders take two different ones.
  static func structureTexture(at tile: Int, in level: PriorLevel, theme: PriorOptions.Theme, segments: [Int]) -> Int? {
    let kind = level.tiles[tile]
    guard kind == .platform || kind == .ladder else { return nil }
    switch theme {
    case .maskedAffordances:
      return kind == .platform ? Texture.blueStone.rawValue : Texture.pinkStone.rawValue
    case .maskedSimilarity:
      let code = level.codes[tile]
      return kind == .platform ? [1, 4, 5, 6, 7].firstIndex(of: code) ?? 0 : (code == 3 ? 1 : 0)
    case .allMasked:
      return kind == .platform ? segments[tile] % 5 : (segments[tile] % 2 == 0 ? Texture.pinkStone.rawValue : Texture.grass.rawValue)
    default:
      return nil
    }
  }

  /// For each tile, the index of its platform segment (a horizontal run) or ladder (a connected group),
  /// numbered in scan order; −1 elsewhere.
  static func segments(of level: PriorLevel) -> [Int] {
    var result = [Int](repeating: -1, count: level.tiles.count)
    var platformCount = 0, ladderCount = 0
    for t in level.tiles.indices where result[t] < 0 {
      switch level.tiles[t] {
      case .platform:
        var c = t
        while c < level.tiles.count && c / level.columns == t / level.columns && level.tiles[c] == .platform { result[c] = platformCount; c += 1 }
        platformCount += 1
      case .ladder:
        var stack = [t]
        result[t] = ladderCount
        while let cell = stack.popLast() {
          let (r, c) = (cell / level.columns, cell % level.columns)
          for (dr, dc) in [(0, 1), (1, 0), (0, -1), (-1, 0)] {
            let (nr, nc) = (r + dr, c + dc)
            guard nr >= 0, nr < level.rows, nc >= 0, nc < level.columns else { continue }
            let n = nr * level.columns + nc
            if level.tiles[n] == .ladder && result[n] < 0 { result[n] = ladderCount; stack.append(n) }
          }
        }
        ladderCount += 1
      default:
        continue
      }
    }
    return result
  }

  /// The symbolic classes of a theme, in canonical order (spec §4.2).
  static func classes(for theme: PriorOptions.Theme) -> [GridChannel] {
    let characters = [GridChannel(.player), GridChannel(.princess), GridChannel(.enemy), GridChannel(.fire)]
    let distractors = (0..<6).map { GridChannel(.distractor, $0) }
    let textures = (0..<5).map { GridChannel(.texture, $0) }
    switch theme {
    case .original, .maskedSemantics, .reversedSemantics:
      return characters + [GridChannel(.platform), GridChannel(.boundary), GridChannel(.ladder)]
    case .maskedObjectIdentity:
      return characters + [GridChannel(.platform), GridChannel(.boundary), GridChannel(.ladder)] + distractors
    case .maskedAffordances:
      return characters + [GridChannel(.boundary)] + textures
    case .maskedSimilarity:
      return characters + [GridChannel(.boundary)] + (0..<5).map { GridChannel(.platform, $0) } + (0..<2).map { GridChannel(.ladder, $0) }
    case .allMasked:
      return characters + [GridChannel(.boundary)] + distractors + textures
    }
  }
}
