@testable import Agents
import EnvironmentCore
import Experiments
import Foundation
@testable import Games

/// The shipped schema model (`models/schema/rules.json`): `SchemaTraining.train` on `breakout/standard` seen as
/// pixel entities, 50,000 steps, seed 0, default ``SchemaConfiguration`` (see docs/schema-agent.md).
let shippedSchemaModel: SchemaModel = {
  let url = repositoryRoot.appendingPathComponent("models/schema/rules.json")
  return try! SchemaModel(jsonData: Data(contentsOf: url))
}()

let schemaRegistry = try! EnvironmentRegistry(files: ProjectFiles(root: repositoryRoot))

/// The level of a shipped Breakout variant.
func breakoutLevel(_ variant: String) -> BreakoutLevel {
  guard case .breakout(let level) = try! schemaRegistry.load("breakout/\(variant)").parameters else { fatalError("not breakout") }
  return level
}

/// A Breakout game of `level` reset with `seed`, and its pixel-entity observation.
func breakout(_ level: BreakoutLevel, seed: UInt64) -> Breakout {
  var game = Breakout(level: level)
  game.reset(seed: seed)
  return game
}

extension Breakout {
  /// The pixel-entity observation of the current state.
  mutating func entities() -> [Entity] {
    var buffer = [Entity](repeating: Entity(id: 0, kind: .void, color: .black, x: 0, y: 0, width: 1, height: 1),
                          count: entityCapacity(expandPixels: true))
    let n = buffer.withUnsafeMutableBufferPointer { writeEntities(into: $0, expandPixels: true) }
    return Array(buffer[0..<n])
  }

  /// Whether where the balls and bricks are after `action` depends on the game's random draws: the step replayed
  /// with eight other random streams gives another result.
  func ballIsStochastic(after action: Int) -> Bool {
    func outcome(_ g: inout Breakout) -> [Int] {
      _ = g.advance(action)
      return g.balls.filter(\.isInPlay).map { $0.x << 16 | $0.y << 8 | $0.id }
        + g.blocks.indices.filter { g.blocks[$0].isBrick && g.blocks[$0].isPresent }
    }
    var base = self
    let reference = outcome(&base)
    for k in 1...8 {
      var twin = self
      twin.rng = SplitMix64(seed: rng.state &+ UInt64(k) &* 0x1234_5678_9ABC_DEF1)
      if outcome(&twin) != reference { return true }
    }
    return false
  }
}

/// The ``SchemaCheck`` summary of `model` on `episodes` episodes of `level` played by the tracker with 20% random
/// actions, at most `steps` steps each. A step is flagged stochastic when its balls and bricks depend on the
/// game's random draws, or when a ball was just launched (its velocity is a draw the observations do not show
/// until it moves).
func schemaCheck(_ model: SchemaModel, on level: BreakoutLevel, episodes: Int, steps: Int) throws -> SchemaCheckSummary {
  var check = SchemaCheck(model: model, ballKind: EntityKind.ball.rawValue)
  for e in 0..<episodes {
    var game = breakout(level, seed: 100 + UInt64(e))
    var tracker = try TrackerAgent(actionNames: game.actionNames)
    tracker.beginEpisode(seed: UInt64(e))
    var rng = SplitMix64(seed: UInt64(e))
    var observation = game.entities()
    check.begin(observation)
    var launched = true
    for _ in 0..<steps {
      let a = rng.nextBool(probability: 0.2) ? rng.nextInt(below: 3) : tracker.action(for: observation)
      let stochastic = launched || game.ballIsStochastic(after: a)
      let before = Dictionary(uniqueKeysWithValues: game.balls.filter(\.isInPlay).map { ($0.id, ($0.x, $0.y)) })
      let transition = game.advance(a)
      launched = game.balls.contains { b in b.isInPlay && before[b.id].map { abs($0.0 - b.x) > 2 || abs($0.1 - b.y) > 2 } ?? true }
      observation = game.entities()
      check.record(action: a, reward: transition.reward, next: observation, stochastic: stochastic)
      if transition.isTerminal { break }
    }
  }
  return check.summary
}
