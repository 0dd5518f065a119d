@testable import Agents
import EnvironmentCore
import Testing

/// The spec's §7.5 test 11: the planner with hand-written schemas (``catchModel(configuration:)``) on the catch
/// game, where the truth is known.
struct SchemaPlannerTests {
  @Test func theHandWrittenSchemasPredictTheCatchGameExactly() {
    var env = catchEnvironment(CatchGame(start: ([.init(x: 5, y: 0, vy: 1)], 0)))
    var check = SchemaCheck(model: catchModel(), ballKind: EntityKind.ball.rawValue)
    var observation = env.reset(seed: 1)
    check.begin(observation)
    var rng = SplitMix64(seed: 2)
    for _ in 0..<300 {
      let a = rng.nextInt(below: 3)
      let step = env.step(a)
      // A lost ball comes back at a random column: the game drew it.
      check.record(action: a, reward: step.reward, next: step.observation, stochastic: step.reward < 0)
      observation = step.observation
    }
    let summary = check.summary
    #expect(summary.steps == 300 && summary.stochasticSteps > 0)
    #expect(summary.ballPositionAccuracy == 1, "\(summary)")
    #expect(summary.outcomeCoverage > 0.97 && summary.rewardRecall == 1 && summary.rewardPrecision == 1, "\(summary)")
  }

  @Test func movesEarlyEnoughToCatchABallFallingFarAway() {
    // The ball falls at column 2 and reaches the paddle's row in 8 steps; the paddle (columns 8–10) needs 6.
    var env = catchEnvironment(CatchGame(start: ([.init(x: 2, y: 0, vy: 1)], 8)))
    var agent = SchemaAgent(model: catchModel(), actionCount: 3)
    let rewards = play(&env, &agent, seed: 1, steps: 12)
    #expect(rewards.contains(1), "caught: \(rewards)")
    #expect(!rewards.contains(-1))
  }

  @Test func withoutPaddleSchemasTheSameBallIsLost() {
    var model = catchModel()
    let left = model.layout.actionFeature(CatchAction.left)
    model.schemas.removeAll { $0.literals.contains(left) }
    var env = catchEnvironment(CatchGame(start: ([.init(x: 2, y: 0, vy: 1)], 8)))
    var agent = SchemaAgent(model: model, actionCount: 3)
    #expect(play(&env, &agent, seed: 1, steps: 12).contains(-1), "a model that cannot move left cannot plan to")
  }

  @Test func keepsTwoBallsAliveWhenItCan() {
    // Two balls in columns 2 and 7: one falls now, the other first rises to the top, so they land 6 steps apart,
    // enough for the paddle to go from one to the other (5 columns) only if it catches the first on its right.
    var env = catchEnvironment(CatchGame(start: ([.init(x: 2, y: 0, vy: 1), .init(x: 7, y: 6, vy: -1)], 4)))
    var agent = SchemaAgent(model: catchModel(), actionCount: 3)
    let rewards = play(&env, &agent, seed: 3, steps: 60)
    #expect(!rewards.contains { $0 < 0 }, "no ball lost: \(rewards)")
    #expect(rewards.filter { $0 > 0 }.count >= 6)
  }

  @Test func theOverlayShowsThePredictedPathAndTheTarget() {
    var env = catchEnvironment(CatchGame(start: ([.init(x: 3, y: 0, vy: 1)], 7)))
    var agent = SchemaAgent(model: catchModel(), actionCount: 3)
    var observation = env.reset(seed: 1)
    agent.beginEpisode(seed: 1)
    _ = agent.action(for: observation)
    observation = env.step(0).observation
    _ = agent.action(for: observation)
    let overlay = agent.overlay
    #expect(overlay.paths.count == 1)
    #expect(overlay.paths[0].contains(SchemaPoint(x: 3, y: 8)), "the ball's predicted path reaches the paddle: \(overlay.paths)")
    #expect(overlay.targets.count == 1 && abs(overlay.targets[0].x - 3) <= 1, "the paddle heads under it: \(overlay.targets)")
    #expect(overlay.plannedActions.first == CatchAction.left)
  }
}
