@testable import Agents
import EnvironmentCore
import Evaluation
import Experiments
@testable import Games
import Testing

/// The spec's §7.5 tests 5–10 and 12, adapted to pixel-level Breakout and run against the shipped model
/// (learning it takes 15 s in a release build, minutes in a debug one), plus a small learning test.
@Suite(.serialized) struct SchemaBreakoutTests {
  let model = shippedSchemaModel

  /// A Standard game without bricks' interference: one ball at world (x, y) moving (vx, vy) (world y up), the
  /// paddle at column `paddle`, and the scene the agent grounds from the two observations around it.
  func scene(ballAt x: Int, _ y: Int, velocity vx: Int, _ vy: Int, radius: Int = 1, paddle: Int = 10,
             level: BreakoutLevel = breakoutLevel("standard")) -> (SchemaScene, Breakout) {
    var game = breakout(level, seed: 3)
    game.radius = radius
    game.paddle.x = paddle
    game.balls = [Ball(x: x - vx, y: y - vy, vx: vx, vy: vy, isInPlay: true, id: 0)]
    let kinds = model.kinds
    let before = SchemaScene(entities: game.entities(), previous: nil, layout: model.layout) { kinds.slot(of: $0) }
    game.balls = [Ball(x: x, y: y, vx: vx, vy: vy, isInPlay: true, id: 0)]
    return (SchemaScene(entities: game.entities(), previous: before, layout: model.layout) { kinds.slot(of: $0) }, game)
  }

  func forecast(_ scene: SchemaScene, kind: EntityKind, at point: (Int, Int)? = nil, action: Int = 0) -> ObjectForecast {
    var simulator = SchemaSimulator(model: model)
    let i = scene.objects.indices.first { i in
      scene.objects[i].kindCode == kind.rawValue && (point.map { scene.covers(i, x: $0.0, y: $0.1) } ?? true)
    }!
    return simulator.forecast(i, in: scene, action: action)
  }

  // §7.5 test 5: a ball in open space flies straight at every velocity of both rings, with no schema needed.
  @Test func aBallInOpenSpaceKeepsItsVelocity() {
    for radius in 1...2 {
      for vx in -radius...radius {
        for vy in [-radius, radius] {
          let (scene, _) = scene(ballAt: 40, 60, velocity: vx, vy, radius: radius)
          #expect(forecast(scene, kind: .ball) == SchemaSimulator(model: model).book.unchanged(Velocity(dx: vx, dy: -vy)),
                  "v = (\(vx), \(vy))")
        }
      }
    }
  }

  // §7.5 test 6: a brick hit from below goes (with its reward); with the ball moving away it stays.
  @Test func aBrickVanishesWhenTheBallHitsItAndNotWhenItLeaves() {
    // The lowest brick row spans world y 88…91; the ball one row below it.
    for vx in [-1, 0, 1] {
      let (scene, _) = scene(ballAt: 40, 87, velocity: vx, 1)
      let brick = forecast(scene, kind: .brick, at: (40 + vx, 116 - 88))
      #expect(brick.outcome == .vanished, "moving up with vx \(vx)")
      var simulator = SchemaSimulator(model: model)
      var next = scene
      let step = simulator.step(&next, action: 0, changes: nil)
      #expect(step.positive > simulator.likely, "the hit pays")
      // One step after touching distance, moving away.
      let leaving = self.scene(ballAt: 40, 86, velocity: vx, -1).0
      #expect(forecast(leaving, kind: .brick, at: (40 - vx, 116 - 88)).outcome == .stays(nil), "moving down with vx \(vx)")
    }
  }

  /// Under Middle Wall's wall at speed 1 (Standard's ball reaches its top wall only after speeding up) the
  /// neighbourhood was never seen: the model keeps its guess (the ball flies on) but allows every outcome, so the
  /// bounce that comes is among them. A model without its contexts rules the bounce out.
  @Test func anUnseenNeighbourhoodAllowsEveryOutcome() {
    let level = breakoutLevel("middle-wall")
    // The wall spans world y 85…87 over x 23…70; the ball two rows below it, moving up and right.
    let (scene, game) = scene(ballAt: 40, 83, velocity: 1, 1, level: level)
    var next = game
    _ = next.advance(0)
    _ = next.advance(0)
    let bounced = next.balls[0]
    #expect(bounced.vy < 0, "the game bounces it")
    // The velocity the scene will show after the bounce (screen y grows downward).
    let bounce = ObjectOutcome.stays(Velocity(dx: bounced.vx, dy: -bounced.vy))
    let novel = forecast(scene, kind: .ball)
    #expect(novel.isNovel)
    #expect(novel.allows(bounce, maxSpeed: 2) && !novel.allowsByRules(bounce, maxSpeed: 2))
    var blind = model
    blind.contexts = nil
    var simulator = SchemaSimulator(model: blind)
    let i = scene.objects.indices.first { scene.objects[$0].kindCode == EntityKind.ball.rawValue }!
    let trusting = simulator.forecast(i, in: scene, action: 0)
    #expect(!trusting.isNovel && trusting.outcome == novel.outcome)
    #expect(!trusting.allows(bounce, maxSpeed: 2), "without its contexts the model rules the bounce out")
    // In open space nothing is novel.
    #expect(!forecast(self.scene(ballAt: 40, 60, velocity: 1, 1, level: level).0, kind: .ball).isNovel)
  }

  // §7.5 test 7: the paddle moves only when an action says so, and not into a wall.
  @Test func thePaddleMovesWithTheActionsAndStopsAtTheWall() {
    let paddleRow = 116 - 5
    let (free, _) = scene(ballAt: 40, 60, velocity: 1, 1, paddle: 30)
    #expect(forecast(free, kind: .paddle, at: (30, paddleRow), action: 0).outcome == .stays(nil))
    if case .stays(let v?) = forecast(free, kind: .paddle, at: (30, paddleRow), action: 2).outcome {
      #expect(v.dx > 0 && v.dy == 0)
    } else { Issue.record("RIGHT moves it") }
    if case .stays(let v?) = forecast(free, kind: .paddle, at: (30, paddleRow), action: 1).outcome {
      #expect(v.dx < 0 && v.dy == 0)
    } else { Issue.record("LEFT moves it") }
    let (atWall, _) = scene(ballAt: 40, 60, velocity: 1, 1, paddle: 94 - 3 - 23)
    #expect(forecast(atWall, kind: .paddle, at: (94 - 3 - 23, paddleRow), action: 2).outcome == .stays(nil), "the right wall stops it")
    #expect(forecast(atWall, kind: .paddle, at: (94 - 3 - 23, paddleRow), action: 1).outcome != .stays(nil))
  }

  // §7.5 test 8: rewards are predicted where they happen, on held-out Standard play.
  @Test func rewardsArePredictedWhereTheyHappen() throws {
    let summary = try schemaCheck(model, on: breakoutLevel("standard"), episodes: 3, steps: 1_500)
    #expect(summary.steps > 1_000)
    #expect(summary.rewardRecall >= 0.9 && summary.rewardPrecision >= 0.6, "\(summary)")
    // A ball about to fall out: the loss and its −1 are predicted.
    let (falling, _) = scene(ballAt: 70, 1, velocity: 1, -1, paddle: 10)
    var simulator = SchemaSimulator(model: model)
    var next = falling
    let step = simulator.step(&next, action: 0, changes: nil)
    #expect(step.negative > simulator.likely && !next.objects.contains { $0.isPresent && $0.kindCode == EntityKind.ball.rawValue })
  }

  // §7.5 test 9: multi-step fidelity. On a Standard board without random draws (no re-drawn bounces, 2-px paddle
  // moves), 20 rollouts of 50 steps under the same random actions as the game.
  @Test func fiftyStepRolloutsMatchTheGame() {
    var level = breakoutLevel("standard")
    level.bounceStochasticity = 0
    level.paddleSpeedDistribution = [0, 0, 0, 0, 1]
    var cellsRight = 0, cells = 0, exactBalls = 0
    let kinds = model.kinds
    for start in 0..<20 {
      var game = breakout(level, seed: UInt64(start))
      var rng = SplitMix64(seed: UInt64(start))
      for _ in 0..<(20 + start * 7) { _ = game.advance(rng.nextInt(below: 3)) }
      let before = SchemaScene(entities: game.entities(), previous: nil, layout: model.layout) { kinds.slot(of: $0) }
      _ = game.advance(rng.nextInt(below: 3))
      var predicted = SchemaScene(entities: game.entities(), previous: before, layout: model.layout) { kinds.slot(of: $0) }
      var actual = predicted
      var simulator = SchemaSimulator(model: model)
      var changes = predicted.changes(since: before)
      var sameBall = true
      for _ in 0..<50 {
        let a = rng.nextInt(below: 3)
        changes = simulator.step(&predicted, action: a, changes: changes).changes
        let lost = game.advance(a).reward < 0
        _ = actual.observe(game.entities()) { kinds.slot(of: $0) }
        if lost { break }
        let ball = { (s: SchemaScene) in s.objects.filter { $0.isPresent && $0.kindCode == EntityKind.ball.rawValue }.map { [$0.x, $0.y] } }
        if ball(predicted) != ball(actual) { sameBall = false }
        cells += actual.cells.count
        for k in actual.cells.indices where predicted.cells[k] == actual.cells[k] { cellsRight += 1 }
      }
      if sameBall { exactBalls += 1 }
    }
    #expect(Double(cellsRight) / Double(cells) >= 0.995, "cell agreement \(Double(cellsRight) / Double(cells))")
    #expect(exactBalls >= 17, "the ball's whole path right in \(exactBalls) of 20 rollouts")
  }

  // §7.5 test 10: transfer fidelity, never trained on: the ball's next position on determined steps.
  @Test(arguments: ["offset-paddle", "middle-wall", "random-target"])
  func predictsTheBallOnVariantsItNeverSaw(variant: String) throws {
    let summary = try schemaCheck(model, on: breakoutLevel(variant), episodes: 2, steps: 1_200)
    #expect(summary.steps - summary.stochasticSteps > 500)
    #expect(summary.ballPositionAccuracy >= 0.99, "\(variant): \(summary)")
    #expect(summary.outcomeCoverage >= 0.99, "\(variant): \(summary)")
    #expect(summary.coverageByRules <= summary.outcomeCoverage)
    // Every step outside the coverage has one reason; Random Target's block jumps when hit, which Standard never
    // shows (a hit brick vanishes alone), so its jumping bricks are among the reasons.
    let covered = Int((summary.outcomeCoverage * Double(summary.steps)).rounded())
    #expect(summary.uncovered.values.reduce(0, +) == summary.steps - covered, "\(summary.uncovered)")
    if variant == "random-target" { #expect(summary.uncovered["brick vanished", default: 0] > 0, "\(summary.uncovered)") }
  }

  // §7.5 test 12: end to end. The shipped model plays every variant better than random play would.
  @Test func theShippedModelPlaysEveryVariant() throws {
    var totals: [String: Double] = [:]
    for variant in ["standard", "offset-paddle", "middle-wall", "random-target", "juggling"] {
      var env = TimeLimit(GameEnvironment(game: Breakout(level: breakoutLevel(variant)), form: Entities(expandPixels: true)), maxEpisodeSteps: 800)
      var agent = SchemaAgent(model: model, actionCount: env.actionCount)
      totals[variant] = EpisodeRunner.run(&env, agent: &agent, seed: 11).totalReward
    }
    for variant in ["standard", "offset-paddle", "middle-wall", "random-target"] { #expect(totals[variant]! >= 3, "\(totals)") }
    #expect(totals["juggling"]! >= -4, "\(totals)")
  }

  /// Whether the agent, hedging against `hedge` bounces, loses a fast ball that heads for the left wall low down
  /// while the paddle waits to the right (the game's `seed` draws the bounce).
  func losesTheBallAtTheWall(hedge: Int, seed: UInt64) -> Bool {
    var game = breakout(breakoutLevel("standard"), seed: seed)
    game.radius = 2
    game.paddle.x = 50
    game.balls = [Ball(x: 16, y: 41, vx: -2, vy: -1, isInPlay: true, id: 0)]
    var configuration = model.configuration
    configuration.hedgeBranches = hedge
    var agent = SchemaAgent(model: model, actionCount: 3, configuration: configuration)
    agent.beginEpisode(seed: seed)
    var action = agent.action(for: game.entities())
    for _ in 0..<60 {
      if game.advance(action).reward < 0 { return true }
      action = agent.action(for: game.entities())
    }
    return false
  }

  // The likeliest bounce off the wall lands under the paddle; a redrawn, steeper one (1, −2) lands 30 px to its
  // left, too far to reach once seen (seeds 24 and 39 draw it). Hedging waits at about column 40, where every
  // landing stays reachable.
  @Test func hedgingKeepsARedrawnBounceReachable() {
    let seeds: [UInt64] = Array(0..<40)
    let unhedged = seeds.filter { losesTheBallAtTheWall(hedge: 0, seed: $0) }
    let hedged = seeds.filter { losesTheBallAtTheWall(hedge: 4, seed: $0) }
    #expect(unhedged.count >= 2, "the redrawn bounce should beat the unhedged plan sometimes: lost at seeds \(unhedged)")
    #expect(hedged.isEmpty, "hedged, lost at seeds \(hedged) (unhedged: \(unhedged))")
  }

  @Test func bouncesAreWidenedToEveryAngleOfTheirSpeed() {
    let s = model.configuration.maxSpeed
    let only = ObjectForecast(outcome: .stays(Velocity(dx: 2, dy: -1)), mayVanish: false, mayStay: true,
                              possibleX: 1 << UInt16(2 + s), possibleY: 1 << UInt16(-1 + s) | 1 << UInt16(-2 + s))
    let bounce = SchemaPlanner.alternatives(of: only, besides: Velocity(dx: 2, dy: -1), after: Velocity(dx: -2, dy: -1), maxSpeed: s)
    #expect(Set(bounce) == [Velocity(dx: 2, dy: -2), Velocity(dx: 1, dy: -2)], "\(bounce)")
    // In flight (no axis reversed), only what the model allows.
    let flight = SchemaPlanner.alternatives(of: only, besides: Velocity(dx: 2, dy: -1), after: Velocity(dx: 2, dy: -1), maxSpeed: s)
    #expect(flight == [Velocity(dx: 2, dy: -2)])
  }

  // A small learning test: 1,500 random steps already teach the ball's loss, the paddle's moves and a brick hit.
  @Test func learnsTheCoreSchemasFromFifteenHundredRandomSteps() {
    var configuration = SchemaConfiguration()
    configuration.trainingSteps = 1_500
    configuration.warmupSteps = 1_500
    var env = TimeLimit(GameEnvironment(game: Breakout(level: breakoutLevel("standard")), form: Entities(expandPixels: true)), maxEpisodeSteps: 5_000)
    let learned = SchemaTraining.train(&env, configuration: configuration, seed: 1)
    let names = Dictionary(uniqueKeysWithValues: EntityKind.allCases.map { ($0.rawValue, $0.description) })
    let text = learned.description(kindNames: names, actionNames: Breakout.actionNames)
    #expect(learned.schemas(for: .negativeReward).contains { $0.precision > 0.9 }, "\(text)")
    #expect(learned.schemas(for: .velocityOn(.x, 2)).contains { $0.precision > 0.5 && text.contains("self:paddle") }, "\(text)")
    #expect(!learned.schemas(for: .positiveReward).isEmpty, "\(text)")
  }
}
