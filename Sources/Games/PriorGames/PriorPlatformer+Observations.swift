import EnvironmentCore

extension PriorPlatformer {
  /// Side of the square frame in pixels (the reference crops its 240-px map to 230).
  public static let frameSide = 230

  public var frameWidth: Int { Self.frameSide }
  public var frameHeight: Int { Self.frameSide }
  public var gridWidth: Int { options.view == .rotated ? level.rows : level.columns }
  public var gridHeight: Int { options.view == .rotated ? level.columns : level.rows }

  /// The variant's classes, shuffled for masked themes by the environment's seed (spec §4.2).
  public var gridChannels: GridChannels {
    GridChannels(channelOrder.isEmpty ? PriorScenery.classes(for: options.theme) : channelOrder)
  }

  /// A permutation of the theme's classes (identity for `original`).
  func drawChannelOrder() -> [GridChannel] {
    var classes = PriorScenery.classes(for: options.theme)
    guard options.theme.shufflesChannels else { return classes }
    var shuffler = SplitMix64(seed: SplitMix64.derive(rng.state, 0x5C)) // from the reset seed
    for i in stride(from: classes.count - 1, to: 0, by: -1) { classes.swapAt(i, shuffler.nextInt(below: i + 1)) }
    return classes
  }

  /// The scene as the renderer and the grid see it.
  var scene: PriorScene {
    PriorScene(level: level, geometry: geometry, enemyAlive: enemyAlive, player: playerRect(),
               facingLeft: facingLeft, walkFrame: options.theme == .original && walkPresses > 0 ? 1 + (walkPresses - 1) / 2 % 2 : 0,
               segments: caches.segments(for: level))
  }

  public mutating func render(into pixels: UnsafeMutableBufferPointer<UInt8>) {
    if caches.segmentsLevel != level.name { caches.segmentLayout = PriorScenery.segments(of: level); caches.segmentsLevel = level.name }
    // The rotated view caches its static layer already turned and paints the player turned.
    PriorRenderer.render(scene, theme: options.theme, view: options.view, cache: &caches.frame, into: pixels)
  }

  public mutating func drawGrid(into words: UnsafeMutableBufferPointer<UInt64>, layout: GridLayout) {
    // The static layer (tiles, live enemies, princess, void) changes only when an enemy dies.
    let key = PriorGridKey(level: level.name, enemyAlive: enemyAlive, layout: layout)
    if caches.gridKey != key {
      var layer = [UInt64](repeating: 0, count: layout.wordCount)
      layer.withUnsafeMutableBufferPointer { drawStaticGrid(GridCanvas($0, layout: layout)) }
      caches.grid = layer
      caches.gridKey = key
    }
    caches.grid.withUnsafeBufferPointer { _ = UnsafeMutableBufferPointer(rebasing: words[0..<layout.wordCount]).update(fromContentsOf: $0) }
    guard let player = layout.index(of: GridChannel(.player)) else { return }
    let canvas = GridCanvas(words, layout: layout)
    geometry.forEachTile(overlapping: playerRect()) { tile in
      let (x, y) = gridCell(of: tile)
      canvas.draw(channel: player, x0: x * layout.pool, y0: y * layout.pool, x1: x * layout.pool, y1: y * layout.pool)
    }
  }

  /// The grid cell of a tile in the current view.
  func gridCell(of tile: Int) -> (x: Int, y: Int) {
    let (x, y) = (tile % level.columns, tile / level.columns)
    return options.view == .rotated ? (level.rows - 1 - y, x) : (x, y)
  }

  /// Everything but the player, with the void plane.
  func drawStaticGrid(_ canvas: GridCanvas) {
    let layout = canvas.layout
    func mark(_ channel: GridChannel, _ tile: Int) {
      guard let index = layout.index(of: channel) else { return }
      let (x, y) = gridCell(of: tile)
      canvas.fill(channel: index, x0: x * layout.pool, y0: y * layout.pool, x1: x * layout.pool, y1: y * layout.pool)
    }
    let theme = options.theme
    let segments = PriorScenery.segments(of: level)
    for tile in level.tiles.indices {
      switch level.tiles[tile] {
      case .boundary: mark(GridChannel(.boundary), tile)
      case .fire: mark(GridChannel(.fire), tile)
      case .enemy:
        if enemyAlive & (1 << UInt64(geometry.enemyIndex[tile])) != 0 { mark(GridChannel(.enemy), tile) }
      case .platform, .ladder:
        let kind: EntityKind = level.tiles[tile] == .platform ? .platform : .ladder
        if let texture = PriorScenery.structureTexture(at: tile, in: level, theme: theme, segments: segments) {
          mark(theme == .maskedSimilarity ? GridChannel(kind, texture) : GridChannel(.texture, texture), tile)
        } else {
          mark(GridChannel(kind), tile)
        }
      case .empty:
        if let d = PriorScenery.distractor(at: tile, in: level, theme: theme) { mark(GridChannel(.distractor, d), tile) }
        else if theme == .maskedAffordances || theme == .allMasked {
          mark(GridChannel(.texture, PriorScenery.backgroundTexture(row: tile / level.columns, column: tile % level.columns).rawValue), tile)
        }
      }
    }
    geometry.forEachTile(overlapping: geometry.princess) { mark(GridChannel(.princess), $0) }
    canvas.fillVoid()
  }

  /// The most over every level the variant may draw, so one buffer fits every episode.
  public func entityCapacity(expandPixels: Bool) -> Int {
    let count = levels.map { $0.tiles.filter { $0 != .empty }.count }.max()! + 2
    return expandPixels ? count * 15 * 25 : count
  }

  /// The un-anonymised object view (for analysis and scripted agents): player, princess, live enemies, then
  /// fire, platform, boundary and ladder tiles in scan order. Ids: tile index; player and princess after them.
  public mutating func writeEntities(into entities: UnsafeMutableBufferPointer<Entity>, expandPixels: Bool) -> Int {
    var n = 0
    let side = Self.frameSide, rotated = options.view == .rotated
    func emit(_ id: Int, _ kind: EntityKind, _ r: PixelRect) {
      var (x, y, w, h) = (r.left, r.top, r.right - r.left, r.bottom - r.top)
      if rotated { (x, y, w, h) = (side - y - h, x, h, w) }
      if expandPixels {
        for row in 0..<h { for column in 0..<w {
          entities[n] = Entity(id: Int32(id), kind: kind, color: .black, x: x + column, y: y + row, width: 1, height: 1, partX: column, partY: row)
          n += 1
        } }
      } else {
        entities[n] = Entity(id: Int32(id), kind: kind, color: .black, x: x, y: y, width: w, height: h)
        n += 1
      }
    }
    emit(level.tiles.count, .player, playerRect())
    emit(level.tiles.count + 1, .princess, geometry.princess)
    for (i, tile) in geometry.enemies.enumerated() where enemyAlive & (1 << UInt64(i)) != 0 { emit(tile, .enemy, geometry.tileRect(tile)) }
    for tile in level.tiles.indices {
      let kind: EntityKind? = switch level.tiles[tile] {
      case .fire: .fire
      case .platform: .platform
      case .boundary: .boundary
      case .ladder: .ladder
      default: nil
      }
      if let kind { emit(tile, kind, geometry.tileRect(tile)) }
    }
    return n
  }
}

/// Everything a frame shows, in world pixels (not rotated).
struct PriorScene {
  let level: PriorLevel
  let geometry: PriorGeometry
  /// Bit i: enemy i (scan order) is alive.
  let enemyAlive: UInt64
  let player: PixelRect
  /// The original theme's walking animation: facing, and frame 0 (still), 1 or 2.
  let facingLeft: Bool
  let walkFrame: Int
  /// Platform segment / ladder group of each tile (see ``PriorScenery/segments(of:)``).
  let segments: [Int]
}

/// What the cached static grid layer was drawn for.
struct PriorGridKey: Sendable, Hashable {
  var level: String
  var enemyAlive: UInt64
  var layout: GridLayout
}

/// Buffers kept between frames.
struct PriorRenderCache: Sendable {
  var grid: [UInt64] = []
  var gridKey: PriorGridKey? = nil
  var frame = PriorFrameCache()
  var segmentLayout: [Int] = []
  var segmentsLevel = ""

  func segments(for level: PriorLevel) -> [Int] { segmentsLevel == level.name ? segmentLayout : PriorScenery.segments(of: level) }
}
