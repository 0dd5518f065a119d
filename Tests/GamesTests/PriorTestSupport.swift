import EnvironmentCore
@testable import Games

/// A shipped platformer variant.
func prior(_ variant: String, seed: UInt64 = 0) throws -> PriorPlatformer {
  guard case .priors(let options, let levels) = try Catalog.entry(named: "priors/\(variant)").parameters else { fatalError("not priors") }
  var g = PriorPlatformer(options: options, levels: levels)
  g.reset(seed: seed)
  return g
}

/// A variant's options and levels, to build modified games.
func priorParts(_ variant: String) throws -> (PriorOptions, [PriorLevel]) {
  guard case .priors(let options, let levels) = try Catalog.entry(named: "priors/\(variant)").parameters else { fatalError("not priors") }
  return (options, levels)
}

enum Move { static let left = 0, right = 1, jump = 2, up = 3, down = 4, noop = 5 }

extension PriorPlatformer {
  var x: Double { playerCentre.x }
  var y: Double { playerCentre.y }

  /// Steps until the player stands still on a floor (not jumping, not on a ladder), at most `limit` steps.
  mutating func settle(limit: Int = 60) {
    var n = 0
    repeat { _ = advance(Move.noop); n += 1 } while jumping && n < limit
  }
}
