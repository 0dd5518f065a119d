import EnvironmentCore

/// The reference's colours.
enum BreakoutColors {
  static let wall = RGB(142, 142, 142)
  static let obstacle = RGB(128, 128, 128)
  static let ball = RGB(200, 72, 73)
  static let paddle = RGB(200, 72, 73)
  /// Brick rows, bottom to top: blue, green, yellow, orange-brown, orange, red.
  static let bricks = [RGB(66, 72, 200), RGB(72, 160, 72), RGB(163, 162, 42),
                       RGB(180, 122, 48), RGB(198, 108, 58), RGB(200, 72, 73)]

  /// The reference's `brick_colors_classic`: with fewer than six rows it drops the fifth colour.
  static func rows(_ count: Int) -> [RGB] {
    count < bricks.count ? Array(bricks.dropLast(2)) + [bricks[bricks.count - 1]] : bricks
  }
}

extension Breakout {
  /// Bottom rows of the brick rows, lowest first (the reference's `brick_wall_coordinates`).
  var brickRowBottoms: [Int] {
    let top = level.height - 2 - level.wallThickness
    let bottom = top - level.brickRows * level.brickHeight
    return Array(stride(from: bottom, to: top, by: level.brickHeight))
  }

  /// Builds the episode's objects: walls, punishment rows, middle wall, obstacles, bricks, paddle.
  mutating func layOut() {
    let (w, h, t) = (level.width, level.height, level.wallThickness)
    blocks.removeAll(keepingCapacity: true)
    for i in occupancy.indices { occupancy[i] = 0 }
    for i in occupied.indices { occupied[i] = 0 }
    func add(_ block: Block) {
      blocks.append(block)
      if block.role != .punishment { setOwner(of: block.rect, to: UInt16(blocks.count)) }
    }
    add(Block(rect: Rect(x: 0, y: 0, width: t, height: h), role: .wall, kind: .wall, color: BreakoutColors.wall))
    add(Block(rect: Rect(x: w - t, y: 0, width: t, height: h), role: .wall, kind: .wall, color: BreakoutColors.wall))
    add(Block(rect: Rect(x: 0, y: h - t, width: w, height: t), role: .wall, kind: .wall, color: BreakoutColors.wall))
    if level.bottomWallOfPunishment {
      add(Block(rect: Rect(x: 0, y: 0, width: w, height: t), role: .punishment, kind: .punishment, color: .black))
    }

    let rows = brickRowBottoms
    var side = level.middleWall
    if side == .random { side = [.left, .middle, .right][rng.nextInt(below: 3)] }
    if side != .none, let lowest = rows.first {
      let xs: StrideTo<Int> = switch side {
      case .left: stride(from: t, to: w / 2, by: level.brickWidth)
      case .right: stride(from: w / 2, to: w - t, by: level.brickWidth)
      default: stride(from: w / 4, to: w - w / 4, by: level.brickWidth)
      }
      for x in xs {
        add(Block(rect: Rect(x: x, y: lowest - t, width: level.brickWidth, height: t), role: .wall, kind: .wall, color: BreakoutColors.wall))
      }
    }
    let firstObstacle = blocks.count
    for (speed, y) in zip(level.obstacleSpeeds, level.obstacleHeights) {
      add(Block(rect: Rect(x: w / 2 - level.brickWidth / 2, y: y, width: level.brickWidth, height: level.brickHeight),
                role: .obstacle, kind: .obstacle, color: BreakoutColors.obstacle, velocity: speed * radius))
    }
    obstacles = firstObstacle..<blocks.count

    positiveBricksLeft = 0
    switch level.bricks {
    case .rows:
      var rewards = (level.brickReward, level.brickReward)
      var colors = BreakoutColors.rows(rows.count)
      var halves: (RGB, RGB)? = nil
      if level.halfNegative {
        let first = rng.nextInt(below: BreakoutColors.bricks.count)
        var second = rng.nextInt(below: BreakoutColors.bricks.count - 1)
        if second >= first { second += 1 }
        halves = (BreakoutColors.bricks[first], BreakoutColors.bricks[second])
        rewards = rng.nextInt(below: 2) == 0 ? (-1, 1) : (1, -1)
        colors = []
      }
      for x in stride(from: t, to: w - t, by: level.brickWidth) {
        for (k, y) in rows.enumerated() {
          let left = x < w / 2
          let reward = left ? rewards.0 : rewards.1
          let color = halves.map { left ? $0.0 : $0.1 } ?? colors[min(k, colors.count - 1)]
          let role: Block.Role = level.acceleratorBricks && k == level.brickRows - 4 ? .accelerator : .brick
          add(Block(rect: Rect(x: x, y: y, width: level.brickWidth, height: level.brickHeight), role: role,
                    kind: reward < 0 ? .negativeBrick : .brick, color: color, reward: reward))
          if reward > 0 { positiveBricksLeft += 1 }
        }
      }
    case .target:
      target.first = blocks.count
      for _ in 0..<(level.targetColumns * level.targetRows) {
        // Zero-sized until placed, so placing it clears nothing.
        add(Block(rect: Rect(x: 0, y: 0, width: 0, height: 0), role: .resetter,
                  kind: .brick, color: BreakoutColors.wall, reward: level.brickReward))
        positiveBricksLeft += 1
      }
      placeTarget(x: t + rng.nextInt(below: targetColumnRange), rowIndex: rng.nextInt(below: targetRowChoices))
    case .none:
      break
    }
    layoutVersion &+= 1

    let bottom = level.paddleBottomMin + rng.nextInt(below: level.paddleBottomMax - level.paddleBottomMin + 1)
    let x = level.paddleStartX ?? (t + rng.nextInt(below: w - 2 * t - level.paddleWidth + 1))
    paddle = Rect(x: x, y: bottom, width: level.paddleWidth, height: level.paddleHeight)
  }

  /// Number of columns where the Random Target block's left edge may stand.
  var targetColumnRange: Int { level.width - 2 * level.wallThickness - level.targetColumns * level.brickWidth + 1 }
  /// Number of brick rows where the block's bottom may stand (so that it spans `targetRows` rows).
  var targetRowChoices: Int { level.brickRows - level.targetRows + 1 }

  /// Puts the Random Target block with its lower-left corner at column `x`, brick row `rowIndex`.
  mutating func placeTarget(x: Int, rowIndex: Int) {
    let y = brickRowBottoms[rowIndex]
    var k = target.first
    for i in 0..<level.targetColumns {
      for j in 0..<level.targetRows {
        setOwner(of: blocks[k].rect, to: 0)
        blocks[k].rect = Rect(x: x + i * level.brickWidth, y: y + j * level.brickHeight, width: level.brickWidth, height: level.brickHeight)
        blocks[k].color = BreakoutColors.bricks[min(rowIndex + j, BreakoutColors.bricks.count - 1)]
        k += 1
      }
    }
    for k in target.first..<(target.first + level.targetColumns * level.targetRows) {
      setOwner(of: blocks[k].rect, to: UInt16(k + 1))
    }
    target.x = x
    target.y = y
    layoutVersion &+= 1
  }

  /// Random Target: respawns the block elsewhere, not over the first ball.
  mutating func moveTarget() {
    lastStepChance.insert(.placement)
    let old = (target.x, target.y)
    let ball = balls[0]
    let blockWidth = level.targetColumns * level.brickWidth, blockHeight = level.targetRows * level.brickHeight
    while true {
      let x = level.wallThickness + rng.nextInt(below: targetColumnRange)
      let row = rng.nextInt(below: targetRowChoices)
      let y = brickRowBottoms[row]
      let overlaps = ball.x >= x && ball.x < x + blockWidth && ball.y >= y && ball.y < y + blockHeight
      if !overlaps && (x, y) != old {
        placeTarget(x: x, rowIndex: row)
        return
      }
    }
  }

  /// Launches every ball below the lowest brick at mid-screen, moving down (the reference's
  /// `randomize_ball_position_and_velocity`).
  mutating func respawnBalls() {
    lastStepChance.insert(.objectMotion)
    let down = VelocityRing.tables[radius].filter { $0.vy < 0 }
    for i in balls.indices {
      let v = down[rng.nextInt(below: down.count)]
      balls[i] = Ball(x: 0, y: 0, vx: v.vx, vy: v.vy, id: balls[i].id)
    }
    var ceiling = level.height - 1 - level.wallThickness
    for b in blocks where b.isBrick && b.isPresent { ceiling = min(ceiling, b.rect.y) }
    let spread = level.balls + 1
    for i in balls.indices {
      while true {
        let x = level.width / 2 + rng.nextInt(in: -spread...spread)
        let y = ceiling / 2 - rng.nextInt(below: BreakoutLevel.maxBallRadius)
        if !isOccupied(x, y) && !balls[..<i].contains(where: { $0.x == x && $0.y == y }) {
          balls[i].x = x
          balls[i].y = y
          break
        }
      }
    }
  }
}
