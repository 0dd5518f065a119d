import EnvironmentCore
import Testing
@testable import Games

@Suite struct PriorDynamicsTests {
  @Test func playerFallsToTheFloorAndRestsAtReferenceHeight() throws {
    var g = try prior("original")
    #expect(g.x2 == 240 && g.y2 == 380)
    g.settle()
    #expect(g.y2 == 403, "resting y is 201.5 on map")
    #expect(!g.jumping && !g.onLadder)
  }

  @Test func jumpRisesTwentyEightPixelsInSevenStepsThenSinksAndSnaps() throws {
    var g = try prior("original")
    g.settle()
    let ground = g.y
    var heights: [Double] = []
    _ = g.advance(Move.jump)
    heights.append(ground - g.y)
    for _ in 0..<16 { _ = g.advance(Move.noop); heights.append(ground - g.y) }
    #expect(heights.prefix(7) == [7, 13, 18, 22, 25, 27, 28])
    #expect(heights.max() == 28 && heights.firstIndex(of: 28) == 6)
    #expect(heights[14] == 0, "back at ground height after 15 steps")
    #expect(heights[15] == -8, "sinks 8 px into the floor on step 16")
    #expect(heights[16] == 0, "snapped back on step 17")
  }

  @Test func lowGravityJumpRisesFiftySixPixelsInFourteenSteps() throws {
    var g = try prior("low-gravity")
    // On the top floor, where nothing is overhead (a 56-px jump would bump the middle floor at the start).
    g.restore(.init(levelIndex: 0, x2: 300, y2: 103, jumping: false, vy: 0, onLadder: false, enemyAlive: 1, airTicks: 0,
                    steps: 0, isDone: false, cause: .none, facingLeft: false, walkPresses: 0))
    g.settle()
    let ground = g.y
    #expect(ground == 51.5)
    var heights: [Double] = []
    _ = g.advance(Move.jump)
    heights.append(ground - g.y)
    for _ in 0..<20 { _ = g.advance(Move.noop); heights.append(ground - g.y) }
    #expect(heights.max() == 56)
    #expect(heights.firstIndex(of: 56) == 13, "apex after 14 steps: \(heights)")
  }

  @Test func fallSpeedIsCappedAtEightPixels() throws {
    var g = try prior("original")
    g.restore(.init(levelIndex: 0, x2: 300, y2: 40, jumping: true, vy: 0, onLadder: false, enemyAlive: 1, airTicks: 0,
                    steps: 0, isDone: false, cause: .none, facingLeft: false, walkPresses: 0))
    var drops: [Double] = []
    for _ in 0..<12 {
      let before = g.y
      _ = g.advance(Move.noop)
      drops.append(g.y - before)
      if !g.jumping { break }
    }
    #expect(drops.max() == 8 && drops.contains(8))
  }

  @Test func walkingIntoFireKillsWithoutReward() throws {
    var g = try prior("original")
    g.settle()
    var last = Transition(reward: 0, isTerminal: false)
    for _ in 0..<30 where !last.isTerminal { last = g.advance(Move.right) }
    // From x 120 the fire (columns 9–11) is on the way right along the floor.
    #expect(last.isTerminal && last.reward == 0 && g.cause == .fire)
    #expect(g.advance(Move.left) == Transition(reward: 0, isTerminal: true), "steps after the end are no-ops")
  }

  @Test func walkingIntoTheEnemyKillsStompingItDoesNot() throws {
    var g = try prior("original")
    // Standing on the top floor right of the enemy (column 7, row 3), walking left into it.
    g.restore(.init(levelIndex: 0, x2: 330, y2: 103, jumping: false, vy: 0, onLadder: false, enemyAlive: 1, airTicks: 0,
                    steps: 0, isDone: false, cause: .none, facingLeft: false, walkPresses: 0))
    var last = Transition(reward: 0, isTerminal: false)
    for _ in 0..<10 where !last.isTerminal { last = g.advance(Move.left) }
    #expect(last.isTerminal && last.reward == 0 && g.cause == .enemy)

    var h = try prior("original")
    // Falling onto the enemy from y = 20: first contact at y = 41, more than 7 px above its centre (52.5).
    h.restore(.init(levelIndex: 0, x2: 225, y2: 40, jumping: true, vy: 0, onLadder: false, enemyAlive: 1, airTicks: 0,
                    steps: 0, isDone: false, cause: .none, facingLeft: false, walkPresses: 0))
    var stomp = Transition(reward: 0, isTerminal: false)
    for _ in 0..<8 where h.enemyAlive == 1 { stomp = h.advance(Move.noop) }
    #expect(h.enemyAlive == 0 && !stomp.isTerminal && stomp.reward == 0 && h.stomped == 1)
  }

  @Test func scriptedRouteWinsOnMap() throws {
    var g = try prior("original")
    var result = Transition(reward: 0, isTerminal: false)
    func run(_ action: Int, while condition: (PriorPlatformer) -> Bool, limit: Int = 200) {
      var n = 0
      while condition(g) && !result.isTerminal && n < limit { result = g.advance(action); n += 1 }
    }
    g.settle()
    run(Move.left) { $0.x > 30 }                                   // to the left ladder
    run(Move.up) { $0.y > 126.5 }                                  // hop on and climb to the middle floor
    run(Move.right) { $0.x < 120 }                                 // onto the middle platform, to the gap
    _ = g.advance(Move.jump)
    run(Move.right) { $0.jumping }                                 // over the gap
    run(Move.right) { $0.x < 210 }                                 // to the right ladder
    run(Move.up) { $0.y > 51.5 }                                   // climb to the top floor
    run(Move.left) { $0.x > 150 }
    result = g.advance(Move.jump)
    run(Move.left) { _ in true }                                   // over the enemy and the gap, to the princess
    #expect(result.isTerminal && result.reward == 1 && g.won, "ended \(g.cause) at (\(g.x), \(g.y)) after \(g.steps)")
  }

  @Test func noopPolicyIsTruncatedAfterExactly2001Steps() throws {
    let variant = try Catalog.entry(named: "priors/original")
    var env = TimeLimit(GameEnvironment(game: try prior("original"), form: NoObservation()), maxEpisodeSteps: variant.maxEpisodeSteps)
    _ = env.reset(seed: 0)
    var steps = 0, total = 0.0, outcome = Outcome.ongoing
    while outcome == .ongoing { let s = env.step(Move.noop); steps += 1; total += s.reward; outcome = s.outcome }
    #expect(steps == 2001 && total == 0 && outcome == .truncated)
  }

  @Test func snapshotRestoresExactly() throws {
    var g = try prior("original")
    var rng = SplitMix64(seed: 3)
    for _ in 0..<40 { _ = g.advance(rng.nextInt(below: 6)) }
    let saved = g.snapshot()
    let a = (0..<50).map { g.advance($0 % 6) }
    let after = g.snapshot()
    var fresh = try prior("original")
    fresh.restore(saved)
    #expect((0..<50).map { fresh.advance($0 % 6) } == a)
    #expect(fresh.snapshot() == after)
  }
}
