@testable import Agents
import EnvironmentCore
import Experiments
@testable import Games
import Testing

/// The planner's aids for Juggling (docs/schema-agent.md, "Multi-ball planning"), on the shipped model: a paddle
/// stopped by a wall in a rollout, and a ball the planner cannot save still aimed at.
@Suite(.serialized) struct SchemaJugglingTests {
  let model = shippedSchemaModel

  /// A Juggling game with one ball at world (x, y) moving (vx, vy) (world y up) and the paddle at column `paddle`.
  func juggling(ballAt x: Int, _ y: Int, velocity vx: Int, _ vy: Int, paddle: Int, seed: UInt64) -> Breakout {
    var game = breakout(breakoutLevel("juggling"), seed: seed)
    game.paddle.x = paddle
    game.balls = [Ball(x: x, y: y, vx: vx, vy: vy, isInPlay: true, id: 0)]
    return game
  }

  /// The actions the agent plays in the first `steps` steps from `game`, with `configuration`.
  func actions(_ game: Breakout, configuration: SchemaConfiguration, seed: UInt64, steps: Int) -> [Int] {
    var game = game
    var agent = SchemaAgent(model: model, actionCount: 3, configuration: configuration)
    agent.beginEpisode(seed: seed)
    var played: [Int] = []
    for _ in 0..<steps {
      played.append(agent.action(for: game.entities()))
      _ = game.advance(played.last!)
    }
    return played
  }

  // The ball falls straight down 60 px right of the paddle's far end, 17 steps out: no plan saves it, and every
  // candidate is valued the same. A coin then sends the paddle anywhere; aiming at the predicted loss sends it
  // towards the ball (in Juggling, training seeds 1 and 2 predict such a ball lost wherever the paddle is).
  @Test func aBallNoPlanSavesIsStillAimedAt() {
    var aiming = model.configuration, coin = model.configuration
    aiming.aimAtPredictedLosses = true
    coin.aimAtPredictedLosses = false
    var strayed: [UInt64] = []
    for seed: UInt64 in 0..<8 {
      let game = juggling(ballAt: 85, 40, velocity: 0, -2, paddle: 3, seed: seed)
      // The first action is played before the agent has seen the ball move.
      let aimed = actions(game, configuration: aiming, seed: seed, steps: 9).dropFirst()
      #expect(aimed.allSatisfy { $0 == 2 }, "seed \(seed): \(Array(aimed))")
      if !actions(game, configuration: coin, seed: seed, steps: 9).dropFirst().allSatisfy({ $0 == 2 }) { strayed.append(seed) }
    }
    #expect(strayed.count >= 4, "without aiming, the coin should send the paddle elsewhere at most seeds: \(strayed)")
  }

  // The model never saw the paddle inside a wall: a rollout that puts it there stops it where it was, as the
  // wall does, instead of ending as beyond the model (which beat a predicted loss).
  @Test func aWallStopsThePaddleInARollout() throws {
    let game = juggling(ballAt: 47, 60, velocity: 1, -2, paddle: 3, seed: 1)
    let kinds = model.kinds
    var previous = game
    previous.balls[0].x -= 1
    previous.balls[0].y += 2
    let before = SchemaScene(entities: previous.entities(), previous: nil, layout: model.layout) { kinds.slot(of: $0) }
    var current = game
    var scene = SchemaScene(entities: current.entities(), previous: before, layout: model.layout) { kinds.slot(of: $0) }
    var simulator = SchemaSimulator(model: model)
    let planner = SchemaPlanner(configuration: model.configuration, actionCount: 3)
    let probe = planner.probe(scene, simulator: &simulator)
    let paddle = try #require(probe.indices.first)
    #expect(scene.objects[paddle].kindCode == EntityKind.paddle.rawValue)
    let start = scene.objects[paddle]
    #expect(!simulator.book.isImplausible(paddle, in: scene))
    scene.advance(paddle, velocity: Velocity(dx: -2, dy: 0))
    #expect(simulator.book.isImplausible(paddle, in: scene), "the paddle inside the left wall is beyond the model")
    planner.blockImplausibleMoves([paddle], scene: &scene, probe: probe, book: simulator.book)
    #expect(scene.objects[paddle].minX == start.minX && scene.objects[paddle].velocity == nil)
    #expect(!simulator.book.isImplausible(paddle, in: scene))
  }

  // A steep ball meets the top wall: Standard's bricks kept the shipped model from seeing that bounce, so it
  // expects the ball's vertical velocity to change and cannot say to what. A rollout used to end there (and hide
  // every later loss of the other balls); with `reverseUnnamedBounces` the ball comes back down instead.
  @Test func aBounceTheModelCannotNameIsReversed() throws {
    var game = juggling(ballAt: 40, 106, velocity: -1, 2, paddle: 30, seed: 2)
    game.balls.append(Ball(x: 70, y: 60, vx: 1, vy: -2, isInPlay: true, id: 1))
    let kinds = model.kinds
    var previous = game
    for i in previous.balls.indices { previous.balls[i].x -= previous.balls[i].vx; previous.balls[i].y -= previous.balls[i].vy }
    let before = SchemaScene(entities: previous.entities(), previous: nil, layout: model.layout) { kinds.slot(of: $0) }
    let start = SchemaScene(entities: game.entities(), previous: before, layout: model.layout) { kinds.slot(of: $0) }
    let ball = try #require(start.objects.indices.first { start.objects[$0].kindCode == EntityKind.ball.rawValue && start.objects[$0].minX == 40 })
    // Steps until the ball turns (screen rows grow downward: it flies at dy −2) or the rollout is uncertain.
    func fly(reversing: Bool) -> (uncertain: Bool, dy: Int?) {
      var scene = start, simulator = SchemaSimulator(model: model)
      simulator.reversesUnnamedChanges = reversing
      for _ in 0..<8 {
        let step = simulator.step(&scene, action: 0, changes: nil)
        if step.isUncertain { return (true, scene.objects[ball].velocity?.dy) }
        if let dy = scene.objects[ball].velocity?.dy, dy > 0 { return (false, dy) }
      }
      return (false, scene.objects[ball].velocity?.dy)
    }
    let plain = fly(reversing: false), reversed = fly(reversing: true)
    #expect(plain.uncertain, "the shipped model should not know this bounce: \(plain)")
    #expect(!reversed.uncertain && reversed.dy == 2, "reversed: \(reversed)")
  }
}
