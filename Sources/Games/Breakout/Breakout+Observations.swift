import EnvironmentCore

/// Pre-drawn static layers (walls, bricks, middle wall), redrawn only when `layoutVersion` changes.
struct RenderCaches: Sendable {
  var frame: [UInt8] = []
  var frameVersion = -1
  /// The last brick to go and the layout version its going made, so that a redraw one version behind
  /// repaints that brick's box rather than the whole frame.
  var goneBrick = FrameBox(x0: 0, y0: 0, x1: -1, y1: -1)
  var goneBrickVersion = -1
  var grid: [UInt64] = []
  var gridLayout: GridLayout? = nil
  var gridVersion = -1
}

extension Breakout {
  public var frameWidth: Int { level.width }
  public var frameHeight: Int { level.height }

  /// Screen row of the top edge of a world-coordinate box.
  @inline(__always)
  func topRow(_ r: Rect) -> Int { level.height - r.y - r.height }

  /// The pixels a world-coordinate box covers on screen.
  func screenBox(_ r: Rect) -> FrameBox {
    let top = topRow(r)
    return FrameBox(x0: r.x, y0: top, x1: r.x + r.width - 1, y1: top + r.height - 1)
  }

  func isStatic(_ block: Block) -> Bool { block.role != .obstacle && block.role != .punishment && block.isPresent }

  public mutating func render(into pixels: UnsafeMutableBufferPointer<UInt8>) {
    updateStaticLayer()
    copyStaticLayer(into: pixels)
    drawMovingObjects(FrameCanvas(pixels, width: level.width, height: level.height)) { _ in }
  }

  /// Repaints the static layer only where the paddle, balls and obstacles stood, and where a brick went if
  /// one did since `drawing`; if the layout changed otherwise (a new episode, the Random Target moving,
  /// two bricks at once), everything.
  public mutating func redraw(into pixels: UnsafeMutableBufferPointer<UInt8>, drawing: inout FrameDrawing) {
    let brickWent = drawing.version >= 0 && drawing.version == layoutVersion &- 1 && caches.goneBrickVersion == layoutVersion
    updateStaticLayer()
    let canvas = FrameCanvas(pixels, width: level.width, height: level.height)
    if drawing.version == layoutVersion || brickWent {
      let brick = caches.goneBrick
      caches.frame.withUnsafeBufferPointer { layer in
        for box in drawing.objects { canvas.copy(box, from: layer) }
        if brickWent { canvas.copy(brick, from: layer) }
      }
      drawing.beginRedraw(version: layoutVersion, repainted: brickWent ? brick : nil)
    } else {
      copyStaticLayer(into: pixels)
      drawing.drewEverything(version: layoutVersion)
    }
    drawMovingObjects(canvas) { drawing.drew($0) }
  }

  private mutating func updateStaticLayer() {
    guard caches.frameVersion != layoutVersion else { return }
    let count = level.width * level.height * 3
    if caches.frame.count != count { caches.frame = [UInt8](repeating: 0, count: count) }
    let blocks = self.blocks
    let level = self.level
    caches.frame.withUnsafeMutableBufferPointer { buffer in
      buffer.update(repeating: 0)
      let canvas = FrameCanvas(buffer, width: level.width, height: level.height)
      for b in blocks where b.role != .obstacle && b.role != .punishment && b.isPresent {
        let top = level.height - b.rect.y - b.rect.height
        canvas.fill(x0: b.rect.x, y0: top, x1: b.rect.x + b.rect.width - 1, y1: top + b.rect.height - 1, color: b.color)
      }
    }
    caches.frameVersion = layoutVersion
  }

  private func copyStaticLayer(into pixels: UnsafeMutableBufferPointer<UInt8>) {
    caches.frame.withUnsafeBufferPointer { source in
      _ = UnsafeMutableBufferPointer(rebasing: pixels[0..<source.count]).update(fromContentsOf: source)
    }
  }

  /// Draws the obstacles, the paddle and the balls in play, telling `drew` each box.
  private func drawMovingObjects(_ canvas: FrameCanvas, drew: (FrameBox) -> Void) {
    func draw(_ r: Rect, _ color: RGB) {
      let box = screenBox(r)
      canvas.fill(x0: box.x0, y0: box.y0, x1: box.x1, y1: box.y1, color: color)
      drew(box)
    }
    for b in blocks[obstacles] { draw(b.rect, b.color) }
    draw(paddle, BreakoutColors.paddle)
    for ball in balls where ball.isInPlay { draw(Rect(x: ball.x, y: ball.y, width: 1, height: 1), BreakoutColors.ball) }
  }

  /// The grid's channels for `level` (``gridChannels`` keeps them: every grid observation asks).
  static func gridChannels(for level: BreakoutLevel) -> GridChannels {
    var kinds: GridChannels = [.ball, .paddle, .wall, .brick]
    if level.halfNegative { kinds.append(GridChannel(.negativeBrick)) }
    if !level.obstacleSpeeds.isEmpty { kinds.append(GridChannel(.obstacle)) }
    return kinds
  }

  public mutating func drawGrid(into words: UnsafeMutableBufferPointer<UInt64>, layout: GridLayout) {
    if caches.gridVersion != layoutVersion || caches.gridLayout != layout {
      var staticLayer = [UInt64](repeating: 0, count: layout.wordCount)
      let blocks = self.blocks
      let level = self.level
      staticLayer.withUnsafeMutableBufferPointer { buffer in
        let canvas = GridCanvas(buffer, layout: layout)
        for b in blocks where b.role != .obstacle && b.role != .punishment && b.isPresent {
          guard let channel = layout.channel(of: b.kind) else { continue }
          let top = level.height - b.rect.y - b.rect.height
          canvas.fill(channel: channel, x0: b.rect.x, y0: top, x1: b.rect.x + b.rect.width - 1, y1: top + b.rect.height - 1)
        }
        canvas.fillVoid()
      }
      caches.grid = staticLayer
      caches.gridLayout = layout
      caches.gridVersion = layoutVersion
    }
    caches.grid.withUnsafeBufferPointer { source in
      _ = UnsafeMutableBufferPointer(rebasing: words[0..<layout.wordCount]).update(fromContentsOf: source)
    }
    let canvas = GridCanvas(words, layout: layout)
    func draw(_ r: Rect, _ kind: EntityKind) {
      guard let channel = layout.channel(of: kind) else { return }
      let top = topRow(r)
      canvas.draw(channel: channel, x0: r.x, y0: top, x1: r.x + r.width - 1, y1: top + r.height - 1)
    }
    for b in blocks[obstacles] { draw(b.rect, .obstacle) }
    draw(paddle, .paddle)
    for ball in balls where ball.isInPlay { draw(Rect(x: ball.x, y: ball.y, width: 1, height: 1), .ball) }
  }

  public func entityCapacity(expandPixels: Bool) -> Int {
    let ballCount = level.balls
    if !expandPixels { return blocks.count + 1 + ballCount }
    let area = blocks.reduce(0) { $0 + $1.rect.width * $1.rect.height }
    let target = level.bricks == .target ? level.targetColumns * level.targetRows * level.brickWidth * level.brickHeight : 0
    return area + target + level.paddleWidth * level.paddleHeight + ballCount
  }

  /// Balls first, then the paddle, obstacles and walls, then bricks (the reference's order). Ids: blocks by
  /// index, then the paddle, then balls.
  public mutating func writeEntities(into entities: UnsafeMutableBufferPointer<Entity>, expandPixels: Bool) -> Int {
    var n = 0
    func emit(_ id: Int, _ kind: EntityKind, _ color: RGB, _ r: Rect) {
      let top = topRow(r)
      if expandPixels {
        for row in 0..<r.height {
          for column in 0..<r.width {
            entities[n] = Entity(id: Int32(id), kind: kind, color: color, x: r.x + column, y: top + row,
                                 width: 1, height: 1, partX: column, partY: row)
            n += 1
          }
        }
      } else {
        entities[n] = Entity(id: Int32(id), kind: kind, color: color, x: r.x, y: top, width: r.width, height: r.height)
        n += 1
      }
    }
    for ball in balls where ball.isInPlay {
      emit(blocks.count + 1 + ball.id, .ball, BreakoutColors.ball, Rect(x: ball.x, y: ball.y, width: 1, height: 1))
    }
    emit(blocks.count, .paddle, BreakoutColors.paddle, paddle)
    for (i, b) in blocks.enumerated() where !b.isBrick && b.isPresent { emit(i, b.kind, b.color, b.rect) }
    for (i, b) in blocks.enumerated() where b.isBrick && b.isPresent { emit(i, b.kind, b.color, b.rect) }
    return n
  }
}
