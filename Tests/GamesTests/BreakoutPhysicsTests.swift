import EnvironmentCore
import Testing
@testable import Games

@Suite struct BreakoutPhysicsTests {
  @Test func ballReflectsOffSideWall() {
    var g = emptyBox(ballAt: 89, 50, velocity: 1, 1)
    _ = g.advance(Action.noop)
    #expect((g.balls[0].x, g.balls[0].y) == (90, 51))
    _ = g.advance(Action.noop)  // (91, 52) is wall: vx flips
    #expect((g.balls[0].vx, g.balls[0].vy) == (-1, 1))
    #expect((g.balls[0].x, g.balls[0].y) == (89, 52))
  }

  @Test func ballReflectsOffTopWall() {
    var g = emptyBox(ballAt: 40, 112, velocity: 1, 1)
    _ = g.advance(Action.noop)
    _ = g.advance(Action.noop)  // (42, 114) is the top wall
    #expect((g.balls[0].vx, g.balls[0].vy) == (1, -1))
    #expect((g.balls[0].x, g.balls[0].y) == (42, 112))
  }

  @Test func ballReflectsOffCornerBothWays() {
    var g = emptyBox(ballAt: 89, 112, velocity: 1, 1)
    _ = g.advance(Action.noop)
    _ = g.advance(Action.noop)
    #expect((g.balls[0].vx, g.balls[0].vy) == (-1, -1))
    #expect((g.balls[0].x, g.balls[0].y) == (89, 112))
  }

  @Test func paddleResponseMatchesReferenceTable() {
    #expect(paddleResponse(width: 23, radius: 1) == Array(repeating: -1, count: 11) + [0] + Array(repeating: 1, count: 11))
    let r2 = Array(repeating: -2, count: 6) + Array(repeating: -1, count: 5) + [0] + Array(repeating: 1, count: 5) + Array(repeating: 2, count: 6)
    #expect(paddleResponse(width: 23, radius: 2) == r2)
    #expect(paddleResponse(width: 13, radius: 2) == [-2, -2, -2, -1, -1, -1, 0, 1, 1, 1, 2, 2, 2])
    #expect(paddleResponse(width: 12, radius: 1).filter { $0 == 0 }.count == 2)
  }

  @Test(arguments: [1, 2])
  func everyPaddleColumnSetsOutgoingVelocity(radius: Int) {
    let table = paddleResponse(width: 23, radius: radius)
    for column in 0..<23 {
      var g = emptyBox(ballAt: 30 + column, 7 + radius, velocity: 0, -radius, radius: radius)
      g.paddle.x = 30
      _ = g.advance(Action.noop)  // falls to y = 7
      _ = g.advance(Action.noop)  // hits the paddle top (y = 6)
      #expect(g.balls[0].vx == table[column], "column \(column)")
      #expect(g.balls[0].vy == radius, "column \(column)")
    }
  }

  @Test func brickHitScoresRemovesThatBrickAndFlipsVerticalSpeed() throws {
    var g = try game("standard")
    g.paddle.x = 3
    g.balls = [Ball(x: 20, y: 86, vx: 1, vy: 1)]
    #expect(g.advance(Action.noop).reward == 0)
    let step = g.advance(Action.noop)  // (22, 88): brick in column 2 (x 19...26), bottom row
    #expect(step.reward == 1)
    #expect(g.presentBricks.count == 65)
    #expect(!g.presentBricks.contains { $0.rect.x == 19 && $0.rect.y == 88 })
    #expect((g.balls[0].vx, g.balls[0].vy) == (1, -1))
    #expect(g.bricksDestroyed == 1)
  }

  @Test func lostBallCostsALifeOnlyWhenItWasTheLast() {
    var level = BreakoutLevel()
    level.bricks = .none
    level.balls = 2
    var g = Breakout(level: level)
    g.reset(seed: 5)
    g.paddle.x = 68
    g.balls = [Ball(x: 10, y: 1, vx: 0, vy: -1), Ball(x: 20, y: 60, vx: 0, vy: 1)]
    let first = g.advance(Action.noop)
    #expect(first.reward == -1)
    #expect(g.lives == 3)
    #expect(g.balls.filter(\.isInPlay).count == 1)
    g.balls[1] = Ball(x: 20, y: 2, vx: 0, vy: -1)
    _ = g.advance(Action.noop)
    let second = g.advance(Action.noop)
    #expect(second.reward == -1)
    #expect(g.lives == 2)
    #expect(g.balls.filter(\.isInPlay).count == 2, "all balls respawn after a life is lost")
    #expect(g.balls.allSatisfy { $0.vy < 0 && (55...56).contains($0.y) })
  }

  @Test func ballsLostTogetherAreCountedOnConsecutiveStepsAsInTheReference() {
    var level = BreakoutLevel()
    level.bricks = .none
    level.balls = 3
    var g = Breakout(level: level)
    g.reset(seed: 5)
    g.paddle.x = 68
    g.balls = [Ball(x: 10, y: 1, vx: 0, vy: -1, id: 0), Ball(x: 20, y: 1, vx: 0, vy: -1, id: 1), Ball(x: 30, y: 60, vx: 0, vy: 1, id: 2)]
    #expect(g.advance(Action.noop).reward == -1)
    #expect(g.balls.filter(\.isInPlay).count == 2, "the ball after a lost one is checked next step")
    #expect(g.advance(Action.noop).reward == -1)
    #expect(g.balls.filter(\.isInPlay).count == 1 && g.lives == 3)
  }

  @Test func threeLostLivesEndTheEpisode() throws {
    var g = try game("standard")
    var ends: [Bool] = []
    for _ in 0..<3 {
      g.paddle.x = 68
      g.balls = [Ball(x: 10, y: 1, vx: 0, vy: -1)]
      ends.append(g.advance(Action.noop).isTerminal)
    }
    #expect(ends == [false, false, true])
    #expect(g.lives == 0)
  }

  @Test func speedUpFiresAtFourthBrickAndKeepsDirection() throws {
    var g = try game("standard")
    g.bricksDestroyed = 3
    g.paddle.x = 3
    g.balls = [Ball(x: 20, y: 86, vx: 1, vy: 1)]
    _ = g.advance(Action.noop)
    #expect(g.radius == 1)
    _ = g.advance(Action.noop)  // fourth brick
    #expect(g.radius == 2)
    #expect((g.balls[0].vx, g.balls[0].vy) == (2, -2), "down-right stays down-right at speed 2")
  }

  @Test func legacySpeedUpReinterpretsTheVelocityIndex() throws {
    var level = try level("standard")
    level.legacyVelocityIndexOnSpeedUp = true
    var g = Breakout(level: level)
    g.reset(seed: 1)
    g.balls = [Ball(x: 47, y: 50, vx: -1, vy: 1)]  // index 1 at r = 1
    g.speedUp()
    #expect((g.balls[0].vx, g.balls[0].vy) == (-2, -1), "index 1 of the r = 2 ring, as in the reference")
  }

  @Test func acceleratorRowSpeedsUpOnFirstHitOnly() throws {
    var g = try game("standard")
    g.paddle.x = 3
    // Carve a path: remove the two rows under the accelerator row in column 2.
    for i in g.blocks.indices where g.blocks[i].isBrick && g.blocks[i].rect.x == 19 && g.blocks[i].rect.y < 96 {
      g.blocks[i].isPresent = false
      g.setOwner(of: g.blocks[i].rect, to: 0)
    }
    g.balls = [Ball(x: 20, y: 94, vx: 1, vy: 1)]
    _ = g.advance(Action.noop)
    #expect(g.advance(Action.noop).reward == 1)  // the accelerator brick at y 96
    #expect(g.radius == 2 && g.acceleratorFired)
    #expect(g.bricksDestroyed == 1)
  }

  @Test func paddleMovesTwoPixelsMostlyAndStopsAtWalls() throws {
    var g = try game("standard")
    var moves: [Int: Int] = [:]
    for _ in 0..<2000 {
      g.paddle.x = 40
      g.balls = [Ball(x: 47, y: 60, vx: 0, vy: 1)]
      _ = g.advance(Action.right)
      moves[g.paddle.x - 40, default: 0] += 1
    }
    #expect(Set(moves.keys) == [1, 2])
    #expect((1700...1900).contains(moves[2]!), "2 px with probability 0.9: \(moves)")
    g.paddle.x = 4
    _ = g.advance(Action.left)
    _ = g.advance(Action.left)
    #expect(g.paddle.x == 3)
    g.paddle.x = 68
    _ = g.advance(Action.right)
    #expect(g.paddle.x == 68)
    let before = g.paddle.x
    _ = g.advance(Action.noop)
    #expect(g.paddle.x == before)
  }

  @Test func stochasticDeflectionKeepsSignsAtSpeedTwo() {
    var seen: Set<[Int]> = []
    for seed in 0..<400 {
      var g = emptyBox(ballAt: 89, 50, velocity: 2, 2, radius: 2)
      g.rng = SplitMix64(seed: UInt64(seed))
      _ = g.advance(Action.noop)  // (91, 52) is wall
      seen.insert([g.balls[0].vx, g.balls[0].vy])
    }
    #expect(seen == [[-2, 2], [-1, 2], [-2, 1]], "the three up-left velocities of the r = 2 ring")
  }
}

/// What a step leaves to chance, for judging learned models: bounces that can pick among several velocities,
/// launches, and paddle presses that can move 1 or 2 px.
@Suite struct BreakoutChanceTests {
  /// Steps `g` with NOOP until its ball has bounced off the right wall; returns the chance of each step.
  func chancesUntilBounce(_ g: inout Breakout) -> [StepChance] {
    var chances: [StepChance] = []
    let vx = g.balls[0].vx
    while g.balls[0].vx == vx && chances.count < 20 {
      _ = g.advance(Action.noop)
      chances.append(g.lastStepChance)
    }
    return chances
  }

  @Test func aWallBounceIsChanceOnlyWhereSeveralVelocitiesShareItsSigns() {
    var slow = emptyBox(ballAt: 86, 60, velocity: 1, 1, radius: 1)
    #expect(chancesUntilBounce(&slow).allSatisfy { $0.isEmpty }, "radius 1: one velocity per quadrant, nothing to draw")
    var fast = emptyBox(ballAt: 85, 60, velocity: 2, 2, radius: 2)
    let chances = chancesUntilBounce(&fast)
    #expect(chances.last == .objectMotion && chances.dropLast().allSatisfy { $0.isEmpty }, "\(chances)")
  }

  @Test func pressesAreChanceAndNoopIsNot() {
    var g = emptyBox(ballAt: 40, 60, velocity: 1, 1)
    g.paddle.x = 40
    _ = g.advance(Action.left)
    #expect(g.lastStepChance == .agentMotion)
    _ = g.advance(Action.noop)
    #expect(g.lastStepChance.isEmpty)
    g.paddle.x = 3
    _ = g.advance(Action.left)
    #expect(g.lastStepChance.isEmpty, "pressed against the wall, the paddle cannot move")
  }

  @Test func aLostBallIsRelaunchedByChance() {
    var g = emptyBox(ballAt: 60, 4, velocity: 1, -1)
    var sawLaunch = false
    for _ in 0..<10 where !sawLaunch {
      let t = g.advance(Action.noop)
      if t.reward < 0 { sawLaunch = g.lastStepChance.contains(.objectMotion) }
    }
    #expect(sawLaunch)
  }
}

/// The free-flight test reads a bit per pixel; collisions read the owner map. The two must always agree.
@Suite struct BreakoutOccupancyTests {
  @Test(arguments: ["standard", "moving-obstacles", "middle-wall", "random-target"])
  func occupiedBitsMatchTheOwnerMap(variant: String) throws {
    var g = try game(variant, seed: 7)
    var rng = SplitMix64(seed: 11)
    var layoutChanges = 0
    for step in 0..<4_000 {
      let version = g.layoutVersion
      let t = g.advance(rng.nextInt(below: 3))
      if g.layoutVersion != version { layoutChanges += 1 }
      if t.isTerminal { g.reset(seed: UInt64(step)) }
      guard step % 50 == 0 else { continue }
      for y in 0..<g.level.height {
        for x in 0..<g.level.width {
          let bit = g.occupied[y * g.occupiedWordsPerRow + x / 64] >> UInt64(x % 64) & 1 == 1
          if bit != (g.occupancy[y * g.level.width + x] != 0) {
            Issue.record("\(variant) step \(step): pixel (\(x), \(y)) bit \(bit), owner \(g.occupancy[y * g.level.width + x])")
            return
          }
        }
      }
    }
    #expect(layoutChanges > 0, "bricks should go or move in the run, so that changes are checked too")
  }
}
