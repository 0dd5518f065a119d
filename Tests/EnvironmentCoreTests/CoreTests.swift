import EnvironmentCore
import EnvironmentTesting
import Testing

@Suite struct SplitMix64Tests {
  @Test func matchesPublishedSequence() {
    // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
  }

  @Test func boundedIntegersAreUniformAndInRange() {
    var rng = SplitMix64(seed: 9)
    var counts = [Int](repeating: 0, count: 3)
    for _ in 0..<30_000 { counts[rng.nextInt(below: 3)] += 1 }
    #expect(counts.allSatisfy { (9_700...10_300).contains($0) }, "\(counts)")
    for _ in 0..<1000 { #expect((-2...2).contains(rng.nextInt(in: -2...2))) }
    #expect((0..<1000).map { _ in rng.nextUnit() }.allSatisfy { $0 >= 0 && $0 < 1 })
  }

  @Test func derivedStreamsDiffer() {
    let seeds = (0..<100).map { SplitMix64.derive(7, UInt64($0)) }
    #expect(Set(seeds).count == 100)
    #expect(SplitMix64.derive(7, 0) != SplitMix64.derive(8, 0))
  }
}

@Suite struct EnvironmentAPITests {
  @Test func corridorPassesConformance() {
    #expect(conformanceFailures(of: CorridorGame()).isEmpty)
  }

  @Test func timeLimitIsTheOnlySourceOfTruncation() {
    var env = TimeLimit(GameEnvironment(game: CorridorGame(length: 1000), form: NoObservation()), maxEpisodeSteps: 5)
    env.reset(seed: 1)
    let outcomes = (0..<5).map { _ in env.step(0).outcome }
    #expect(outcomes == [.ongoing, .ongoing, .ongoing, .ongoing, .truncated])
    env.reset(seed: 1)
    #expect(env.elapsedSteps == 0)
    var short = TimeLimit(GameEnvironment(game: CorridorGame(length: 2), form: NoObservation()), maxEpisodeSteps: 100)
    short.reset(seed: 1)
    var last = Outcome.ongoing
    for _ in 0..<100 where last == .ongoing { last = short.step(1).outcome }
    #expect(last == .terminated)
  }

  /// VectorEnvironment caps its copies by the same rule: a step that both ends the game and reaches the limit is
  /// a termination, and the count restarts with every episode.
  @Test func stepLimitIsTheOneRuleOfTruncation() {
    var limit = StepLimit(maxEpisodeSteps: 3)
    #expect([Outcome.ongoing, .ongoing, .ongoing].map { limit.count($0) } == [.ongoing, .ongoing, .truncated])
    limit.restart()
    #expect([Outcome.ongoing, .ongoing, .terminated].map { limit.count($0) } == [.ongoing, .ongoing, .terminated])
    let vector = VectorEnvironment(game: CorridorGame(length: 1000), count: 2, form: NoObservation(), seed: 3, maxEpisodeSteps: 4)
    for step in 1...9 {
      vector.step([0, 0])
      #expect(vector.outcomes == (step % 4 == 0 ? [.truncated, .truncated] : [.ongoing, .ongoing]), "step \(step)")
    }
    #expect(vector.finishedEpisodes == [2, 2] && vector.elapsedSteps == [1, 1])
  }

  @Test func resetWithSeedRepeatsAndNilContinuesTheStream() {
    var env = GameEnvironment(game: CorridorGame(length: 64), form: Entities())
    let a = env.reset(seed: 5), b = env.reset(seed: nil), c = env.reset(seed: nil)
    #expect(env.reset(seed: 5) == a)
    #expect(env.reset(seed: nil) == b && env.reset(seed: nil) == c)
    #expect(Set([a[0].x, b[0].x, c[0].x]).count >= 2, "episodes from one stream differ")
  }

  @Test func observationFormsAgree() {
    var game = CorridorGame(length: 8)
    game.reset(seed: 3)
    var pixels = GameEnvironment(game: game, form: Pixels()), grid = GameEnvironment(game: game, form: Grid())
    let frame = pixels.reset(seed: 3), cells = grid.reset(seed: 3)
    let x = frame.pixels.firstIndex(of: 255)! / 3
    #expect(cells[0, x, 0] && cells.count(channel: 0) == 1 && cells.count(channel: 1) == 7)
  }

  @Test func environmentIDsParseAndReject() {
    #expect(EnvironmentID("breakout/middle-wall")?.relativePath == "envs/breakout/middle-wall.yaml")
    for bad in ["breakout", "Breakout/standard", "breakout/", "a/b/c", "breakout/std_1", ""] { #expect(EnvironmentID(bad) == nil, "\(bad)") }
  }
}

@Suite struct GridTests {
  @Test func canvasFillsRowSpansAcrossWordBoundaries() {
    let layout = GridLayout(channels: [.wall], pixelWidth: 100, pixelHeight: 3)
    var words = [UInt64](repeating: 0, count: layout.wordCount)
    words.withUnsafeMutableBufferPointer { GridCanvas($0, layout: layout).fill(channel: 0, x0: 60, y0: 1, x1: 70, y1: 1) }
    let grid = GridObservation(layout: layout, words: words)
    #expect((0..<100).filter { grid[0, $0, 1] } == Array(60...70))
    #expect(grid.count(channel: 0) == 11)
    words.withUnsafeMutableBufferPointer { GridCanvas($0, layout: layout).fillVoid() }
    #expect(GridObservation(layout: layout, words: words).count(channel: 1) == 300 - 11)
  }

  @Test func poolingMaxPoolsAndClips() {
    let layout = GridLayout(channels: [.ball], pixelWidth: 10, pixelHeight: 10, pool: 4)
    #expect((layout.width, layout.height) == (3, 3))
    var words = [UInt64](repeating: 0, count: layout.wordCount)
    words.withUnsafeMutableBufferPointer { GridCanvas($0, layout: layout).fill(channel: 0, x0: 9, y0: 5, x1: 12, y1: 5) }
    let grid = GridObservation(layout: layout, words: words)
    #expect(grid[0, 2, 1] && grid.count(channel: 0) == 1)
  }
}

@Suite struct VectorEnvironmentTests {
  @Test func resultsDoNotDependOnThreadCount() {
    func run(threads: Int) -> ([UInt8], [Double], [Int]) {
      let v = VectorEnvironment(game: CorridorGame(length: 12), count: 7, form: Pixels(), seed: 42, maxEpisodeSteps: 30, threads: threads)
      var total = 0.0
      for _ in 0..<5 { total += v.runRandomPolicy(stepsPerEnvironment: 40) }
      v.step(Array(repeating: 1, count: 7))
      return (Array(v.observationBuffer), v.lastEpisodeReturns + [total], v.finishedEpisodes)
    }
    let one = run(threads: 1), two = run(threads: 2), four = run(threads: 4)
    #expect(one.0 == two.0 && one.1 == two.1 && one.2 == two.2)
    #expect(one.0 == four.0 && one.1 == four.1 && one.2 == four.2)
    #expect(one.2.reduce(0, +) > 7, "episodes finished and auto-reset")
  }

  @Test func copyMatchesAStandaloneEnvironmentAndKeepsFinalObservation() {
    let v = VectorEnvironment(game: CorridorGame(length: 4), count: 3, form: Entities(), seed: 9, maxEpisodeSteps: 1000)
    var solo = CorridorGame(length: 4)
    var seeds = SplitMix64(seed: SplitMix64.derive(9, 1))
    solo.reset(seed: seeds.next())
    #expect(v.observation(1)[0].x == Int16(solo.position))
    for _ in 0..<3 {
      let before = v.finishedEpisodes[1]
      v.step([1, 1, 1])
      let t = solo.advance(1)
      #expect(v.rewards[1] == t.reward)
      if t.isTerminal {
        #expect(v.finishedEpisodes[1] == before + 1 && v.outcomes[1] == .terminated)
        #expect(v.finalObservation(1)[0].x == 3, "the final observation is the goal cell")
        solo.reset(seed: seeds.next())
      }
      #expect(v.observation(1)[0].x == Int16(solo.position))
    }
  }
}

@Suite struct DownsampledPixelsTests {
  @Test func areaAveragingHalvesAndKeepsColours() {
    var env = GameEnvironment(game: CorridorGame(length: 8), form: Pixels(width: 4, height: 1))
    let small = env.reset(seed: 3)
    #expect((small.width, small.height) == (4, 1))
    var full = GameEnvironment(game: CorridorGame(length: 8), form: Pixels())
    let frame = full.reset(seed: 3)
    let x = frame.pixels.firstIndex(of: 255)! / 3
    // The red pixel's pair averages to 128 (rounded), every other pair stays black.
    #expect(small[x / 2, 0] == RGB(128, 0, 0))
    #expect((0..<4).filter { small[$0, 0] == .black }.count == 3)
    #expect(Pixels(width: 4, height: 1).name == "pixels/4x1")
  }
}
