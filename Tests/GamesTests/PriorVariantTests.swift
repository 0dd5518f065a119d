import EnvironmentCore
import EnvironmentTesting
import Testing
@testable import Games

@Suite struct PriorVariantTests {
  static let variants = Catalog.ids.filter { $0.family == "priors" }.map(\.variant)

  /// The state after each step of `actions` (snapshots, rewards, ends).
  func trace(_ game: PriorPlatformer, _ actions: [Int]) -> [PriorPlatformer.Snapshot] {
    var g = game
    return actions.map { _ = g.advance($0); return g.snapshot() }
  }

  @Test(arguments: [("masked-semantics", "original"), ("reversed-semantics", "original"), ("rotated", "original"),
                    ("masked-affordances", "masked-object-identity"), ("all-masked", "masked-object-identity"),
                    ("masked-similarity", "masked-object-identity")])
  func renderingOnlyVariantsShareTheStateTrace(variant: String, base: String) throws {
    let (a, b) = (try prior(variant), try prior(base))
    var rng = SplitMix64(seed: 12)
    for _ in 0..<1_000 {
      let actions = (0..<40).map { _ in rng.nextInt(below: 6) }
      #expect(trace(a, actions) == trace(b, actions))
    }
  }

  @Test func ladderSwappedIsARelabellingOfTheOriginal() throws {
    let (swapped, original) = (try prior("ladder-swapped"), try prior("original"))
    var rng = SplitMix64(seed: 4)
    for _ in 0..<500 {
      let actions = (0..<60).map { _ in rng.nextInt(below: 6) }
      let relabelled = actions.map { $0 == Move.up ? Move.down : $0 == Move.down ? Move.up : $0 }
      #expect(trace(swapped, relabelled) == trace(original, actions))
    }
    let a = PriorSolver.solve(swapped), b = PriorSolver.solve(original)
    #expect(a.plan?.count == b.plan?.count && a.reachableStates == b.reachableStates)
    #expect(a.plan == b.plan?.map { $0 == Move.up ? Move.down : $0 == Move.down ? Move.up : $0 })
  }

  @Test(arguments: ["original", "masked-object-identity", "masked-similarity", "low-gravity", "continual"])
  func solverFindsAWinningPlanThatReplays(variant: String) throws {
    let game = try prior(variant)
    let solution = PriorSolver.solve(game)
    let plan = try #require(solution.plan)
    var g = game
    var result = Transition(reward: 0, isTerminal: false)
    for (i, action) in plan.enumerated() {
      #expect(!result.isTerminal, "the plan ended early at step \(i)")
      result = g.advance(action)
    }
    #expect(result.reward == 1 && g.won)
    #expect(solution.reachableStates > plan.count)
  }

  @Test func lowGravityLengthensTheRouteAndGrowsTheStateSpace() throws {
    let normal = PriorSolver.solve(try prior("original")), low = PriorSolver.solve(try prior("low-gravity"))
    #expect(try #require(low.plan).count > (try #require(normal.plan)).count)
    #expect(low.reachableStates > normal.reachableStates)
  }

  @Test func maskedVariantsShuffleChannelsBySeedAndOriginalKeepsCanonicalOrder() throws {
    let canonical: [GridChannel] = [.init(.player), .init(.princess), .init(.enemy), .init(.fire), .init(.platform), .init(.boundary), .init(.ladder)]
    #expect(Array(try prior("original", seed: 1).gridChannels) == canonical)
    #expect(Array(try prior("original", seed: 2).gridChannels) == canonical)
    #expect(Array(try prior("low-gravity", seed: 3).gridChannels) == canonical)
    let first = try prior("masked-semantics", seed: 5).gridChannels
    #expect(try prior("masked-semantics", seed: 5).gridChannels == first)
    #expect(Set(first) == Set(canonical))
    let orders = try Set((0..<20).map { try prior("masked-semantics", seed: UInt64($0)).gridChannels })
    #expect(orders.count > 1)
    #expect(try prior("masked-object-identity").gridChannels.count == 13)
    #expect(try prior("masked-affordances").gridChannels.count == 10)
    #expect(try prior("masked-similarity").gridChannels.count == 12)
    #expect(try prior("all-masked").gridChannels.count == 16)
  }

  @Test func gridMarksPlayerCellsAndDropsDeadEnemies() throws {
    var env = GameEnvironment(game: try prior("original"), form: Grid())
    let grid = env.reset(seed: 0)
    #expect((grid.layout.width, grid.layout.height) == (16, 16))
    let player = grid.layout.index(of: GridChannel(.player))!, enemy = grid.layout.index(of: GridChannel(.enemy))!
    #expect((1...4).contains(grid.count(channel: player)))
    #expect(grid[enemy, 7, 3])
    var rotated = GameEnvironment(game: try prior("rotated"), form: Grid())
    let turned = rotated.reset(seed: 0)
    let r = turned.layout.index(of: GridChannel(.enemy))!
    #expect(turned[r, 16 - 1 - 3, 7], "rotated 90° clockwise: (x, y) → (rows − 1 − y, x)")
  }

  @Test(arguments: variants)
  func randomPlayNeverWins(variant: String) throws {
    var g = try prior(variant)
    var rng = SplitMix64(seed: 20_000)
    var wins = 0
    for _ in 0..<20_000 {
      let t = g.advance(rng.nextInt(below: 6))
      if t.reward > 0 { wins += 1 }
      if t.isTerminal || g.steps >= 2001 { g.reset(seed: rng.next()) }
    }
    #expect(wins == 0)
  }

  @Test func levelErrorsNameLineColumnAndCharacter() {
    let bad = "; player_start_px: 120 190\n; princess_px: 30 47 18 25\n|....|\n|..X.|\n"
    #expect(throws: PriorLevelError.self) { try PriorLevel(name: "bad", text: bad) }
    do { _ = try PriorLevel(name: "bad", text: bad) } catch {
      #expect(error.description == "bad:4:4: unknown tile 'X' (legend: . # a b c d | H h E F P S)")
    }
    do { _ = try PriorLevel(name: "ragged", text: "; player_start_px: 1 1\n; princess_px: 1 1 2 2\n|...|\n|..|\n") } catch {
      #expect(error.line == 4)
    }
    #expect(throws: PriorLevelError.self) { try PriorLevel(name: "nostart", text: "|..P.|\n") }
  }

  @Test func continualDrawsItsLevelFromTheSeed() throws {
    let names = try Set((0..<40).map { try prior("continual", seed: UInt64($0)).level.name })
    #expect(names.count > 10 && names.allSatisfy { $0.hasPrefix("map") })
    #expect(try prior("continual", seed: 9).level == prior("continual", seed: 9).level)
  }
}

@Suite struct PriorObservationBufferTests {
  @Test func entityCapacityCoversEveryLevelOfTheVariant() throws {
    let game = try prior("continual")
    let capacity = game.entityCapacity(expandPixels: false)
    for seed in 0..<60 {
      var g = try prior("continual", seed: UInt64(seed))
      var buffer = [Entity](repeating: Entity(id: 0, kind: .void, color: .black, x: 0, y: 0, width: 0, height: 0), count: capacity)
      let n = buffer.withUnsafeMutableBufferPointer { g.writeEntities(into: $0, expandPixels: false) }
      #expect(n <= capacity)
    }
  }
}
