import EnvironmentCore
import Testing
@testable import Games

@Suite struct BreakoutVariantTests {
  @Test func standardGeometryMatchesReference() throws {
    let g = try game("standard")
    #expect((g.frameWidth, g.frameHeight) == (94, 117))
    let bricks = g.presentBricks
    #expect(bricks.count == 66)
    #expect(Set(bricks.map(\.rect.x)) == Set(stride(from: 3, through: 83, by: 8)))
    #expect(Set(bricks.map(\.rect.y)) == [88, 92, 96, 100, 104, 108])
    #expect(bricks.allSatisfy { $0.rect.width == 8 && $0.rect.height == 4 && $0.reward == 1 })
    #expect(bricks.filter { $0.role == .accelerator }.allSatisfy { $0.rect.y == 96 })
    #expect(bricks.filter { $0.role == .accelerator }.count == 11)
    let colors = Dictionary(grouping: bricks, by: \.rect.y).mapValues { Set($0.map(\.color)) }
    #expect(colors[88] == [RGB(66, 72, 200)] && colors[108] == [RGB(200, 72, 73)])
    #expect((g.paddle.width, g.paddle.height, g.paddle.y) == (23, 4, 3))
    #expect(g.balls.count == 1 && g.radius == 1 && g.lives == 3)
  }

  @Test func startStatesFollowTheReferenceDistribution() throws {
    var xs: Set<Int> = [], ballXs: Set<Int> = [], ballYs: Set<Int> = [], velocities: Set<[Int]> = []
    for seed in 0..<600 {
      let g = try game("standard", seed: UInt64(seed))
      xs.insert(g.paddle.x)
      ballXs.insert(g.balls[0].x)
      ballYs.insert(g.balls[0].y)
      velocities.insert([g.balls[0].vx, g.balls[0].vy])
    }
    #expect(xs.min() == 3 && xs.max() == 68 && xs.count > 55)
    #expect(ballXs == Set(45...49))
    #expect(ballYs == [43, 44])
    #expect(velocities == [[-1, -1], [0, -1], [1, -1]])
  }

  @Test func offsetPaddleHeightVariesWithSeedWithinRange() throws {
    let rows = try Set((0..<400).map { try game("offset-paddle", seed: UInt64($0)).paddle.y })
    #expect(rows == Set(3...28))
    #expect(try game("standard", seed: 9).paddle.y == 3)
  }

  @Test func middleWallSegmentsStandBelowBricksAndNeverBreak() throws {
    var g = try game("middle-wall", seed: 4)
    let segments = g.blocks.filter { $0.role == .wall && $0.rect.width == 8 }
    #expect(segments.map(\.rect.x) == [23, 31, 39, 47, 55, 63])
    #expect(segments.allSatisfy { $0.rect.y == 85 && $0.rect.height == 3 })
    var rng = SplitMix64(seed: 8)
    var hitsUnderWall = 0
    for _ in 0..<20_000 {
      if g.balls[0].isInPlay, g.balls[0].y == 84, (23...70).contains(g.balls[0].x) { hitsUnderWall += 1 }
      if g.advance(rng.nextInt(below: 3)).isTerminal { g.reset(seed: rng.next()) }
      #expect(g.blocks.filter { $0.role == .wall && $0.rect.width == 8 && $0.isPresent }.count == 6)
    }
    #expect(hitsUnderWall > 0, "the ball should have reached the wall at least once")
  }

  @Test func randomTargetRespawnsElsewhereWhenHit() throws {
    var g = try game("random-target", seed: 2)
    #expect(g.radius == 2)
    #expect(g.presentBricks.count == 8)
    let (x, y) = (g.target.x, g.target.y)
    #expect((3...75).contains(x) && [88, 92, 96].contains(y))
    g.paddle.x = 3
    g.balls = [Ball(x: x + 3, y: y - 2, vx: 0, vy: 2)]
    let step = g.advance(Action.noop)
    #expect(step.reward == 1)
    #expect((g.target.x, g.target.y) != (x, y))
    #expect(g.presentBricks.count == 8, "target bricks are never destroyed")
    let ball = g.balls[0]
    #expect(!g.presentBricks.contains { $0.rect.contains(ball.x, ball.y) })
    #expect(!step.isTerminal)
  }

  @Test func jugglingLaunchesThreeBallsAndCannotBeWon() throws {
    var g = try game("juggling", seed: 11)
    #expect(g.balls.count == 3 && g.presentBricks.isEmpty && g.radius == 2)
    #expect(Set(g.balls.map { [$0.x, $0.y] }).count == 3)
    #expect(g.balls.allSatisfy { (43...51).contains($0.x) && (55...56).contains($0.y) && $0.vy < 0 })
    var rng = SplitMix64(seed: 1)
    var total = 0.0, steps = 0
    while true {
      let t = g.advance(rng.nextInt(below: 3))
      total += t.reward
      steps += 1
      #expect(t.reward <= 0)
      if t.isTerminal { break }
    }
    #expect(g.lives == 0, "juggling ends only when the lives run out")
    #expect(total <= -3)
  }

  @Test func halfNegativeSplitsRewardsAndColoursByHalf() throws {
    var signs: Set<[Double]> = []
    for seed in 0..<40 {
      let g = try game("half-negative", seed: UInt64(seed))
      let left = g.presentBricks.filter { $0.rect.x < 47 }, right = g.presentBricks.filter { $0.rect.x >= 47 }
      #expect(left.count == 36 && right.count == 30)
      #expect(Set(left.map(\.reward)).count == 1 && Set(right.map(\.reward)).count == 1)
      #expect(Set(left.map(\.color)).count == 1 && left[0].color != right[0].color)
      #expect(left[0].reward == -right[0].reward)
      #expect(left.allSatisfy { $0.kind == ($0.reward < 0 ? .negativeBrick : .brick) })
      signs.insert([left[0].reward, right[0].reward])
    }
    #expect(signs == [[1, -1], [-1, 1]])
  }

  @Test func movingObstaclesSlideAndReverse() throws {
    var g = try game("moving-obstacles", seed: 1)
    let obstacles = { g.blocks.filter { $0.role == .obstacle } }
    #expect(obstacles().map(\.rect.y) == [10, 18, 26])
    #expect(obstacles().map(\.rect.x) == [43, 43, 43])
    #expect(obstacles().map(\.velocity) == [1, -2, 2])
    var xs: [[Int]] = []
    for _ in 0..<60 {
      g.balls = [Ball(x: 47, y: 80, vx: 0, vy: 1)]
      _ = g.advance(Action.noop)
      xs.append(obstacles().map(\.rect.x))
    }
    #expect(xs[0] == [44, 41, 45])
    #expect(xs.allSatisfy { $0.allSatisfy { (3...83).contains($0) } })
    #expect(obstacles()[1].velocity == 2, "the left-moving obstacle bounced off the wall")
  }

  @Test func smallPresetIsTheDeltaSchemaNetworkSize() throws {
    let g = try game("small")
    #expect((g.frameWidth, g.frameHeight) == (54, 67))
    #expect(g.presentBricks.count == 36)
    #expect(g.paddle.width == 13)
    #expect(Set(g.presentBricks.map(\.rect.y)) == Set(stride(from: 38, to: 62, by: 4)))
  }
}
