@testable import Agents
import EnvironmentCore

/// Literals of hand-written schemas, by name.
struct Literals {
  let layout: CellLayout
  let kinds: KindTable

  func kind(_ k: EntityKind, _ dx: Int, _ dy: Int) -> Int { layout.feature(dx: dx, dy: dy, bit: kinds.slot(of: k.rawValue)!) }
  func selfKind(_ k: EntityKind) -> Int { layout.selfFeature(bit: kinds.slot(of: k.rawValue)!) }
  func outside(_ dx: Int, _ dy: Int) -> Int { layout.feature(dx: dx, dy: dy, bit: layout.outsideBit) }
  func void(_ dx: Int, _ dy: Int) -> Int { layout.feature(dx: dx, dy: dy, bit: layout.voidBit) }
  var selfStill: Int { layout.selfFeature(bit: layout.stillBit) }
  func selfVelocity(_ axis: Axis, _ v: Int) -> Int {
    layout.selfFeature(bit: (axis == .x ? layout.velocityXBase : layout.velocityYBase) + v + layout.maxSpeed)
  }
  func action(_ a: Int) -> Int { layout.actionFeature(a) }
}

enum CatchAction { static let noop = 0, left = 1, right = 2 }

/// The catch game's physics written by hand as schemas (the spec's planner tests use hand-written schemas, as
/// DSN's `testing.py` does): balls fall and bounce off the paddle and the top, are lost at the bottom, and the
/// paddle starts, stops and turns with the actions.
func catchModel(configuration: SchemaConfiguration = SchemaConfiguration()) -> SchemaModel {
  var model = SchemaModel(configuration: configuration)
  _ = model.kinds.register(EntityKind.ball.rawValue)
  _ = model.kinds.register(EntityKind.paddle.rawValue)
  let l = Literals(layout: model.layout, kinds: model.kinds)
  let ball = l.selfKind(.ball), paddle = l.selfKind(.paddle)
  func rule(_ target: SchemaTarget, _ literals: [Int]) -> Schema { Schema(target: target, literals: literals, support: 10, precision: 1) }
  var schemas = [
    // A falling ball above the paddle bounces up and scores; at the top it turns down; at the bottom it is lost.
    rule(.velocityOff(.y, 1), [ball, l.selfVelocity(.y, 1), l.kind(.paddle, 0, 1)]),
    rule(.velocityOn(.y, -1), [ball, l.selfVelocity(.y, 1), l.kind(.paddle, 0, 1)]),
    rule(.positiveReward, [ball, l.selfVelocity(.y, 1), l.kind(.paddle, 0, 1)]),
    rule(.velocityOff(.y, -1), [ball, l.selfVelocity(.y, -1), l.outside(0, -1)]),
    rule(.velocityOn(.y, 1), [ball, l.selfVelocity(.y, -1), l.outside(0, -1)]),
    rule(.vanish, [ball, l.selfVelocity(.y, 1), l.outside(0, 1)]),
    rule(.negativeReward, [ball, l.selfVelocity(.y, 1), l.outside(0, 1)]),
    // A ball that just appeared falls.
    rule(.velocityOn(.x, 0), [ball, l.selfStill]),
    rule(.velocityOn(.y, 1), [ball, l.selfStill]),
  ]
  for (press, other, v) in [(CatchAction.right, CatchAction.left, 1), (CatchAction.left, CatchAction.right, -1)] {
    schemas += [
      // At rest: the leading pixel moves into free space.
      rule(.velocityOn(.x, v), [paddle, l.selfStill, l.action(press), l.void(v, 0)]),
      rule(.velocityOn(.y, 0), [paddle, l.selfStill, l.action(press), l.void(v, 0)]),
      // Moving: stopped by the edge, by NOOP; turned by the other action.
      rule(.velocityOff(.x, v), [paddle, l.selfVelocity(.x, v), l.action(press), l.outside(v, 0)]),
      rule(.velocityOff(.y, 0), [paddle, l.selfVelocity(.x, v), l.action(press), l.outside(v, 0)]),
      rule(.velocityOff(.x, v), [paddle, l.selfVelocity(.x, v), l.action(CatchAction.noop)]),
      rule(.velocityOff(.y, 0), [paddle, l.selfVelocity(.x, v), l.action(CatchAction.noop)]),
      rule(.velocityOff(.x, v), [paddle, l.selfVelocity(.x, v), l.action(other)]),
      rule(.velocityOn(.x, -v), [paddle, l.selfVelocity(.x, v), l.action(other), l.void(-v, 0)]),
      rule(.velocityOff(.y, 0), [paddle, l.selfVelocity(.x, v), l.action(other), l.outside(-v, 0)]),
    ]
  }
  model.schemas = model.layout.targets.flatMap { t in schemas.filter { $0.target == t } }
  let ballBit = model.layout.kindWord(slot: 0), paddleBit = model.layout.kindWord(slot: 1)
  model.changingKinds = ballBit | paddleBit
  model.stoppingKinds = paddleBit
  model.appearingKinds = ballBit
  model.neighbours[0] = paddleBit | ballBit
  model.neighbours[1] = ballBit
  model.overlaps[0] = paddleBit
  model.overlaps[1] = ballBit
  return model
}

/// Plays `agent` in `environment` for `steps` steps from `seed`; returns the rewards.
func play<E: Environment, A: Agent>(_ environment: inout E, _ agent: inout A, seed: UInt64, steps: Int) -> [Double]
  where A.Observation == E.Observation {
  var observation = environment.reset(seed: seed)
  agent.beginEpisode(seed: seed)
  var rewards: [Double] = []
  for _ in 0..<steps {
    let step = environment.step(agent.action(for: observation))
    rewards.append(step.reward)
    if step.outcome.isFinal { break }
    observation = step.observation
  }
  return rewards
}
