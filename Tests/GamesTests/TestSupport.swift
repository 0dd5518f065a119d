import EnvironmentCore
@testable import Games

/// The level of a registered Breakout variant.
func level(_ variant: String) throws -> BreakoutLevel {
  guard case .breakout(let level) = try Catalog.entry(named: "breakout/\(variant)").parameters else { fatalError("not breakout") }
  return level
}

/// A game of a shipped variant, reset with `seed`.
func game(_ variant: String, seed: UInt64 = 1) throws -> Breakout {
  var g = Breakout(level: try level(variant))
  g.reset(seed: seed)
  return g
}

/// A Standard game with no bricks and one ball at `(x, y)` moving `(vx, vy)`, the paddle parked far left.
func emptyBox(ballAt x: Int, _ y: Int, velocity vx: Int, _ vy: Int, radius: Int = 1) -> Breakout {
  var level = BreakoutLevel()
  level.bricks = .none
  var g = Breakout(level: level)
  g.reset(seed: 3)
  g.radius = radius
  g.paddle.x = 3
  g.balls = [Ball(x: x, y: y, vx: vx, vy: vy)]
  return g
}

enum Action { static let noop = Breakout.Action.noop.rawValue, left = Breakout.Action.left.rawValue, right = Breakout.Action.right.rawValue }

extension Breakout {
  /// Bricks still standing.
  var presentBricks: [Block] { blocks.filter { $0.isBrick && $0.isPresent } }
}
