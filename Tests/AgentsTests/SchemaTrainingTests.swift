@testable import Agents
import EnvironmentCore
import Foundation
import Testing

/// Training on the catch game: what is learned, determinism across thread counts, the JSON round trip, the
/// configuration's validator.
struct SchemaTrainingTests {
  var small: SchemaConfiguration {
    var c = SchemaConfiguration()
    c.trainingSteps = 1_500
    c.warmupSteps = 300
    c.learningInterval = 600
    return c
  }

  @Test func learnsTheCatchGameFromItsOwnPlay() {
    var env = catchEnvironment()
    var progress: [Int] = []
    let model = SchemaTraining.train(&env, configuration: small, seed: 4) { steps, _ in progress.append(steps) }
    #expect(progress == [300, 900, 1_500])
    #expect(model.trainingTransitions > 1_400)
    var check = SchemaCheck(model: model, ballKind: EntityKind.ball.rawValue)
    var heldOut = catchEnvironment()
    var observation = heldOut.reset(seed: 77)
    check.begin(observation)
    var rng = SplitMix64(seed: 78)
    for _ in 0..<300 {
      let a = rng.nextInt(below: 3)
      let step = heldOut.step(a)
      check.record(action: a, reward: step.reward, next: step.observation, stochastic: false)
      observation = step.observation
    }
    #expect(check.summary.ballPositionAccuracy > 0.95, "\(check.summary)")
    var agent = SchemaAgent(model: model, actionCount: 3)
    var random = RandomAgent<[Entity]>(actionCount: 3)
    var envA = catchEnvironment(), envB = catchEnvironment()
    let planned = play(&envA, &agent, seed: 9, steps: 300).reduce(0, +)
    let blind = play(&envB, &random, seed: 9, steps: 300).reduce(0, +)
    #expect(planned > blind + 5, "planning on the learned model (\(planned)) beats random play (\(blind))")
  }

  @Test func sameSeedSameModelAndActionsAtOneAndTwoThreads() throws {
    var one = small, two = small
    one.learningThreads = 1
    two.learningThreads = 2
    var envA = catchEnvironment(), envB = catchEnvironment()
    let a = SchemaTraining.train(&envA, configuration: one, seed: 11)
    let b = SchemaTraining.train(&envB, configuration: two, seed: 11)
    #expect(a.schemas == b.schemas && !a.schemas.isEmpty)
    var agentA = SchemaAgent(model: a, actionCount: 3), agentB = SchemaAgent(model: b, actionCount: 3)
    var playA = catchEnvironment(), playB = catchEnvironment()
    var actionsA: [Int] = [], actionsB: [Int] = []
    var oA = playA.reset(seed: 5), oB = playB.reset(seed: 5)
    agentA.beginEpisode(seed: 5)
    agentB.beginEpisode(seed: 5)
    for _ in 0..<100 {
      actionsA.append(agentA.action(for: oA))
      actionsB.append(agentB.action(for: oB))
      oA = playA.step(actionsA.last!).observation
      oB = playB.step(actionsB.last!).observation
    }
    #expect(actionsA == actionsB)
    var envC = catchEnvironment()
    #expect(SchemaTraining.train(&envC, configuration: one, seed: 12).schemas != a.schemas, "another seed, another run")
  }

  // Training acts with the evaluation's planner aids off, so turning them on or off in the configuration cannot
  // change the rules learned (the shipped models were learned before they existed).
  @Test func theEvaluationAidsDoNotChangeWhatIsLearned() {
    var aided = small, plain = small
    (aided.hedgeBranches, aided.blockImplausibleMoves, aided.aimAtPredictedLosses) = (4, true, true)
    (plain.hedgeBranches, plain.blockImplausibleMoves, plain.aimAtPredictedLosses) = (0, false, false)
    var envA = catchEnvironment(), envB = catchEnvironment()
    let a = SchemaTraining.train(&envA, configuration: aided, seed: 13)
    let b = SchemaTraining.train(&envB, configuration: plain, seed: 13)
    #expect(a.schemas == b.schemas && !a.schemas.isEmpty)
  }

  @Test func theModelRoundTripsThroughJSONExactly() throws {
    var env = catchEnvironment()
    let learned = SchemaTraining.train(&env, configuration: small, seed: 4)
    for model in [learned, catchModel()] {
      let data = try model.jsonData()
      let back = try SchemaModel(jsonData: data)
      #expect(back == model)
      #expect(try back.jsonData() == data)
    }
    let text = String(decoding: try learned.jsonData(), as: UTF8.self)
    #expect(text.contains("\"schemas\"") && text.contains("\"precision\""))
  }

  @Test func theReadableFormNamesKindsOffsetsAndActions() {
    let model = catchModel()
    let text = model.description(kindNames: [EntityKind.ball.rawValue: "ball", EntityKind.paddle.rawValue: "paddle"],
                                 actionNames: ["NOOP", "LEFT", "RIGHT"])
    #expect(text.contains("self:ball ∧ self:vy+1 ∧ paddle@(0,+1) ⇒ reward +   [support 10, precision 1.0]"), "\(text)")
    #expect(text.contains("self:paddle ∧ self:still ∧ void@(+1,0) ∧ RIGHT ⇒ vx+1 on"), "\(text)")
    #expect(text.contains("vy-1 on  (1 schema)\n") && text.contains("vy0 off  (6 schemas)\n"))
  }

  @Test func theValidatorNamesImpossibleSettings() {
    #expect(SchemaConfiguration().problems().isEmpty)
    var c = SchemaConfiguration()
    c.windowRadius = 0
    c.partLevelsX = 30
    c.noiseTolerance = 1
    c.trainingSteps = 0
    c.discount = 0
    let keys = Set(c.problems().map(\.key))
    #expect(keys.isSuperset(of: ["windowRadius", "kindSlots", "noiseTolerance", "trainingSteps", "discount"]), "\(keys)")
  }
}
