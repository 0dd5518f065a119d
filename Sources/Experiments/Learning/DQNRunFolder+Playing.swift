import Agents
import EnvironmentCore
import Foundation
import NeuralNetworks

extension DQNRunFolder {
  public var resumingPreset: AgentPreset {
    AgentPreset(kind: .dqn, name: info.agent, summary: "DQN resumed from \(folder.lastPathComponent)", dqn: info.configuration)
  }

  public func settingsDiffering(from preset: AgentPreset) -> [String] {
    info.configuration.keysDiffering(from: preset.dqn).filter { $0 != "trainingSteps" }
  }

  /// Why the network cannot play `game`: it needs its observation (grid planes or pixels) of the same shape, and
  /// the same number of actions.
  public func reasonItCannotPlay(_ game: any Game) -> String? {
    let decoder: any FrameDecoder
    do { decoder = try info.configuration.decoder(for: game) } catch {
      return "was trained on \(info.environment), but \(error.description)"
    }
    let trained = info.frameShape ?? [info.inputsPerFrame]
    let given = info.frameShape == nil ? [decoder.inputCount] : decoder.frameShape
    func describe(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: " × ") }
    guard trained == given else {
      return "was trained on \(info.environment) with \(describe(trained)) inputs per frame (\(info.configuration.observation));"
        + " this variant gives \(describe(given))"
    }
    guard game.actionNames.count == info.actionCount else {
      return "was trained on \(info.environment) with \(info.actionCount) actions; this game has \(game.actionNames.count)"
    }
    return nil
  }

  /// Plays the network ε-greedily (`evaluationEpsilon`) on the observation form its configuration picks.
  public func accept<V: AgentVisitor>(_ visitor: inout V, game: any Game, maxEpisodeSteps: Int) throws -> V.Result {
    var opener = PolicyOpener(network: try loadNetwork(), configuration: info.configuration, maxEpisodeSteps: maxEpisodeSteps,
                              visitor: visitor)
    defer { visitor = opener.visitor }
    return try info.configuration.withInput(for: game, &opener)
  }
}

/// Plays a trained network on the observation form its configuration picks, then hands both to `visitor`.
private struct PolicyOpener<V: AgentVisitor>: DQNGameVisitor {
  let network: Sequential
  let configuration: DQNConfiguration
  let maxEpisodeSteps: Int
  var visitor: V

  mutating func visit<G: Game, F: DQNInputForm>(game: G, form: F, decoder: any FrameDecoder) throws -> V.Result {
    var environment = TimeLimit(GameEnvironment(game: game, form: form), maxEpisodeSteps: maxEpisodeSteps)
    var agent = DQNPolicy<F.Observation>(network: network, decoder: decoder, configuration: configuration,
                                         actionCount: game.actionNames.count)
    return try visitor.visit(environment: &environment, agent: &agent)
  }
}
