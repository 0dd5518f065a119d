import EnvironmentCore

extension PriorPlatformer: ExplorationReporting {
  /// The whole dynamic state, exactly: what `snapshot()` saves and `restore(_:)` puts back.
  public struct Snapshot: Sendable, Hashable {
    public var levelIndex: Int
    public var x2: Int, y2: Int
    public var jumping: Bool
    public var vy: Int
    public var onLadder: Bool
    public var enemyAlive: UInt64
    public var airTicks: Int
    public var steps: Int
    public var isDone: Bool
    public var cause: Cause
    public var facingLeft: Bool
    public var walkPresses: Int
  }

  public func snapshot() -> Snapshot {
    Snapshot(levelIndex: levels.firstIndex(of: level) ?? 0, x2: x2, y2: y2, jumping: jumping, vy: vy, onLadder: onLadder,
             enemyAlive: enemyAlive, airTicks: airTicks, steps: steps, isDone: isDone, cause: cause,
             facingLeft: facingLeft, walkPresses: walkPresses)
  }

  public mutating func restore(_ s: Snapshot) {
    precondition(levels.indices.contains(s.levelIndex), "snapshot of another variant")
    if levels[s.levelIndex] != level {
      level = levels[s.levelIndex]
      geometry = PriorGeometry(level: level, rounding: options.rectRounding)
    }
    (x2, y2, jumping, vy, onLadder) = (s.x2, s.y2, s.jumping, s.vy, s.onLadder)
    (enemyAlive, airTicks, steps, isDone, cause) = (s.enemyAlive, s.airTicks, s.steps, s.isDone, s.cause)
    (facingLeft, walkPresses) = (s.facingLeft, s.walkPresses)
  }

  /// The player's centre in whole pixels (rounded down), for tests and tools.
  public var playerCentre: (x: Double, y: Double) { (Double(x2) / 2, Double(y2) / 2) }

  /// A key of the state that matters for the future (position, motion, ladder, enemies; air-tick parity under
  /// low gravity): equal keys behave identically. Excludes the step counter and the walking animation.
  public var stateKey: UInt64 {
    var key = UInt64(truncatingIfNeeded: x2 & 0x3FF)
    key |= UInt64(truncatingIfNeeded: (y2 + 512) & 0x7FF) << 10
    key |= UInt64(truncatingIfNeeded: (vy + 8) & 0xF) << 21
    key |= (jumping ? 1 : 0) << 25 | (onLadder ? 1 : 0) << 26
    key |= UInt64(options.lowGravity ? airTicks & 1 : 0) << 27
    key |= (enemyAlive & 0xFFFF_FFFF) << 28
    return key
  }

  public var exploration: ExplorationKey {
    ExplorationKey(cell: Int32((y2 / 30) * 64 + x2 / 30), state: stateKey)
  }
}

/// The result of a breadth-first search over the exact dynamics.
public struct PriorSolution: Sendable {
  /// A shortest winning action sequence, or `nil` when no win is reachable within the step cap.
  public var plan: [Int]?
  /// Distinct states (by ``PriorPlatformer/stateKey``) reached from the start.
  public var reachableStates: Int
}

/// Breadth-first search from the start state over every action: the shortest win and the reachable set.
public enum PriorSolver {
  public static func solve(_ start: PriorPlatformer, maxSteps: Int = 2001) -> PriorSolution {
    var game = start
    var snapshots = [game.snapshot()]
    var parents: [(parent: Int32, action: UInt8)] = [(-1, 0)]
    var seen: Set<UInt64> = [game.stateKey]
    var frontier = 0..<1
    var depth = 0
    var goal: (parent: Int, action: Int)? = nil
    // Level by level, to the end of the reachable set; the first win found is a shortest one.
    while !frontier.isEmpty && depth < maxSteps {
      let next = snapshots.count
      for index in frontier {
        for action in 0..<6 {
          game.restore(snapshots[index])
          let transition = game.advance(action)
          if transition.reward > 0 && goal == nil { goal = (index, action) }
          if transition.isTerminal || !seen.insert(game.stateKey).inserted { continue }
          snapshots.append(game.snapshot())
          parents.append((Int32(index), UInt8(action)))
        }
      }
      frontier = next..<snapshots.count
      depth += 1
    }
    guard let goal else { return PriorSolution(plan: nil, reachableStates: seen.count) }
    var plan = [goal.action]
    var node = goal.parent
    while parents[node].parent >= 0 { plan.append(Int(parents[node].action)); node = Int(parents[node].parent) }
    return PriorSolution(plan: plan.reversed(), reachableStates: seen.count)
  }
}
