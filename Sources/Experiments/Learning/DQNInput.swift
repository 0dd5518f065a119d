import Agents
import EnvironmentCore

/// Code that runs with a game, the observation form a DQN configuration asks for, and the decoder of that game's
/// frames, all typed concretely.
public protocol DQNGameVisitor {
  associatedtype Result
  mutating func visit<G: Game, F: DQNInputForm>(game: G, form: F, decoder: any FrameDecoder) throws -> Result
}

extension DQNConfiguration {
  /// Hands `visitor` `game`, the form this configuration asks for and the decoder built from the game's first
  /// observation under it. Throws ``AgentMismatch`` when the game cannot give the input (a plane named in
  /// `inputPlanes` is missing) or the convolutions do not fit its frames.
  public func withInput<G: Game, V: DQNGameVisitor>(for game: G, _ visitor: inout V) throws -> V.Result {
    var opener = GameInputOpener(game: game, configuration: self, visitor: visitor)
    defer { visitor = opener.visitor }
    return try withInputForm(&opener)
  }

  /// The decoder this configuration reads `game`'s frames with.
  public func decoder<G: Game>(for game: G) throws(AgentMismatch) -> any FrameDecoder {
    var visitor = DecoderOnly()
    do { return try withInput(for: game, &visitor) } catch let mismatch as AgentMismatch { throw mismatch } catch {
      preconditionFailure("only an AgentMismatch can stop DecoderOnly: \(error)")
    }
  }
}

private struct DecoderOnly: DQNGameVisitor {
  func visit<G: Game, F: DQNInputForm>(game: G, form: F, decoder: any FrameDecoder) -> any FrameDecoder { decoder }
}

private struct GameInputOpener<G: Game, V: DQNGameVisitor>: DQNInputVisitor {
  let game: G
  let configuration: DQNConfiguration
  var visitor: V

  mutating func visit<F: DQNInputForm>(form: F) throws -> V.Result {
    // The frame layout does not depend on the seed; a copy of the game is reset to read it.
    var probe = GameEnvironment(game: game, form: form)
    let decoder = try configuration.decoder(for: probe.reset(seed: 0))
    return try visitor.visit(game: game, form: form, decoder: decoder)
  }
}
