import Agents
import EnvironmentCore
import Experiments
import Games
import NeuralNetworks
import Testing

/// Agents on the real games: what the Agents module cannot test without a game.
@Suite struct AgentsOnGamesTests {
  /// Mean return of `agent` over `episodes` episodes of Standard Breakout seen through `form`.
  func meanReturn<F: ObservationForm, A: Agent>(_ agent: inout A, form: F, episodes: Int, cap: Int = 1_500) -> Double
    where A.Observation == F.Observation {
    var env = TimeLimit(GameEnvironment(game: Breakout(level: BreakoutLevel()), form: form), maxEpisodeSteps: cap)
    var total = 0.0
    for e in 0..<episodes {
      var observation = env.reset(seed: UInt64(e))
      agent.beginEpisode(seed: UInt64(e))
      while true {
        let step = env.step(agent.action(for: observation))
        total += step.reward
        if step.outcome != .ongoing { break }
        observation = step.observation
      }
    }
    return total / Double(episodes)
  }

  @Test func trackerKeepsTheBallFarBetterThanRandom() throws {
    var tracker = try TrackerAgent(actionNames: Breakout.actionNames)
    var random = RandomAgent<[Entity]>(actionCount: 3)
    let trackerReturn = meanReturn(&tracker, form: Entities(), episodes: 4)
    let randomReturn = meanReturn(&random, form: Entities(), episodes: 4)
    #expect(randomReturn < 0)
    #expect(trackerReturn > 10, "tracker \(trackerReturn) vs random \(randomReturn)")
  }

  @Test func configurationPicksThePixelsDecoderAtTheAskedSize() throws {
    var c = DQNConfiguration()
    c.observation = .pixels
    let standard = Breakout(level: BreakoutLevel())
    var level = BreakoutLevel()
    (level.width, level.height) = (54, 67)
    let small = Breakout(level: level)
    #expect(try c.decoder(for: standard).frameShape == [3, 117, 94], "no pixelSize: the full frame")
    c.pixelSize = .downsampled(width: 32, height: 39)
    #expect(try c.decoder(for: standard).frameShape == [3, 39, 32])
    #expect(try c.decoder(for: small).frameShape == [3, 39, 32], "a fixed size reads variants of other screen sizes")
    c.pixelSize = .downsampled(width: 200, height: 20)
    #expect(try c.decoder(for: small).frameShape == [3, 20, 54], "never upsampled")
    c.pixelSize = .downsampled(width: 0, height: 20)
    #expect(throws: AgentMismatch.self) { try c.decoder(for: standard) }
    c.pixelSize = .full
    c.observation = .grid
    #expect(try c.decoder(for: standard) is GridBitsDecoder)
    c.inputPlanes = ["ball", "obstacle"]
    #expect(throws: AgentMismatch.self, "Standard has no obstacle plane") { try c.decoder(for: standard) }
  }

  /// The policy that plays a trained run must see exactly the states the learner trained on, for either input.
  @Test(arguments: [DQNObservation.grid, .pixels])
  func policyStacksFramesAsTheReplayBufferDoes(observation: DQNObservation) throws {
    var c = DQNConfiguration()
    c.observation = observation
    c.gridPool = 4
    c.pixelSize = .downsampled(width: 24, height: 30)
    c.frameStack = 3
    c.stackStride = 2
    c.convolutions = [Convolution(filters: 8, kernel: 4, stride: 4)]
    c.hiddenUnits = [16]
    c.evaluationEpsilon = 0
    var check = StackingCheck(configuration: c)
    let seen = try c.withInput(for: Breakout(level: BreakoutLevel()), &check)
    #expect(seen > 20, "vacuous: the states hardly differ")
  }
}

/// Plays a policy and feeds a learner's replay the same frames, comparing their Q-values every step; returns
/// how many distinct Q-value vectors it saw.
private struct StackingCheck: DQNGameVisitor {
  let configuration: DQNConfiguration

  func visit<G: Game, F: DQNInputForm>(game: G, form: F, decoder: any FrameDecoder) -> Int {
    let dqn = DQN(configuration: configuration, decoder: decoder, actionCount: 3, seed: 4)
    var policy = DQNPolicy<F.Observation>(network: dqn.onlineNetwork, decoder: decoder, configuration: configuration, actionCount: 3)
    var env = GameEnvironment(game: game, form: form)
    var observation = env.reset(seed: 9)
    var index = observation.withFrameBytes { dqn.beginEpisode(frame: $0) }
    policy.beginEpisode(seed: 0)
    var seen = Set<[Float]>()
    for step in 0..<120 {
      let action = policy.action(for: observation)
      #expect(policy.lastQValues == dqn.qValues(ofStateEndingAt: index), "\(configuration.observation) step \(step)")
      seen.insert(policy.lastQValues)
      let result = env.step(step % 7 == 0 ? 1 : action)
      observation = result.observation
      observation.withFrameBytes { dqn.remember(action: action, reward: result.reward, outcome: result.outcome, frame: $0) }
      index += 1
    }
    return seen.count
  }
}
