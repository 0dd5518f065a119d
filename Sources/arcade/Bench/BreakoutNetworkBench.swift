import Agents
import EnvironmentCore
import Experiments

/// Case (d) of `arcade bench nn`: our own DQN learner (``DQN/learn()``, replay sampling and frame decoding
/// included) for a preset on an environment, its replay filled by random play.
struct PresetLearnerBench {
  let dqn: DQN
  let description: String

  /// A learner for `preset` on `variant` whose replay holds `fill` random-policy steps.
  init(preset: AgentPreset, variant: VariantFile, threads: Int, seed: UInt64, fill: Int = 5_000) throws {
    guard preset.kind == .dqn else { throw ConfigurationError("bench nn breakout needs a dqn preset; '\(preset.name)' is \(preset.kind.rawValue)") }
    (dqn, description) = try Self.open(variant.makeGame(), preset: preset, threads: threads, seed: seed, fill: fill)
  }

  private static func open<G: Game>(_ game: G, preset: AgentPreset, threads: Int, seed: UInt64, fill: Int) throws -> (DQN, String) {
    let configuration = preset.dqn
    var filler = ReplayFiller(configuration: configuration, threads: threads, seed: seed, fill: fill)
    let dqn: DQN
    do { dqn = try configuration.withInput(for: game, &filler) } catch let mismatch as AgentMismatch {
      throw ConfigurationError("agent '\(preset.name)': \(mismatch.description)")
    }
    let shape = dqn.stateShape.map(String.init).joined(separator: "×")
    let convolutions = configuration.convolutions.map { "conv \($0.filters) \($0.kernel)×\($0.kernel)/\($0.stride) → " }.joined()
    let hidden = configuration.hiddenUnits.map(String.init).joined(separator: ", ")
    return (dqn, "\(preset.name) (\(configuration.observation)): \(shape) → \(convolutions)FC \(hidden) → \(game.actionNames.count)")
  }

  /// A learner on the observation form the configuration picks, its replay filled by random play.
  private struct ReplayFiller: DQNGameVisitor {
    let configuration: DQNConfiguration, threads: Int, seed: UInt64, fill: Int

    func visit<G: Game, F: DQNInputForm>(game: G, form: F, decoder: any FrameDecoder) -> DQN {
      let dqn = DQN(configuration: configuration, decoder: decoder, actionCount: game.actionNames.count, seed: seed, threads: threads)
      var environment = GameEnvironment(game: game, form: form)
      var rng = SplitMix64(seed: SplitMix64.derive(seed, 3))
      var step = 0
      while step < min(fill, configuration.bufferSize - 1) {
        environment.reset(seed: rng.next()).withFrameBytes { _ = dqn.beginEpisode(frame: $0) }
        var outcome = Outcome.ongoing
        while outcome == .ongoing && step < fill {
          let action = rng.nextInt(below: game.actionNames.count)
          let result = environment.step(action)
          result.observation.withFrameBytes { dqn.remember(action: action, reward: result.reward, outcome: result.outcome, frame: $0) }
          outcome = result.outcome
          step += 1
        }
      }
      return dqn
    }
  }

  /// One learner step: sample, TD targets (the preset's rule), forward, backward, clip, Adam.
  func update() { dqn.learn() }

  /// One greedy action for the newest stored state.
  func act() { _ = dqn.action(forStateEndingAt: dqn.replay.written - 1, epsilon: 0) }
}
