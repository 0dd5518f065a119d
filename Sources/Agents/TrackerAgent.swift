import EnvironmentCore

/// Settings of ``TrackerAgent``.
public struct TrackerConfiguration: Codable, Sendable, Hashable {
  /// How far (pixels) the paddle's centre may be from its target before it moves.
  public var deadZone = 1
  /// Aim at where the descending ball will cross the paddle's row (velocity from the last two
  /// observations, side walls reflected) instead of at the ball's current column.
  public var predictLanding = true
  /// Aim each catch at a random column of the paddle (seeded per episode) rather than its centre, so the
  /// ball leaves at varied angles instead of shuttling straight up and down a cleared column.
  public var varyAim = true

  public init() {}
}

/// A scripted paddle controller that uses only the entity observation: it moves the paddle under the
/// ball that will reach it first. It proves every variant is playable and is the sanity row of every report.
///
/// It needs actions named `NOOP`, `LEFT` and `RIGHT`, and entities of kinds ``EntityKind/ball`` and
/// ``EntityKind/paddle``.
public struct TrackerAgent: Agent {
  public let configuration: TrackerConfiguration
  private let noop: Int, left: Int, right: Int
  /// Each ball's position in the previous observation, by entity id.
  private var previous: [Int32: (x: Int, y: Int)] = [:]
  private var rng = SplitMix64(seed: 0)
  /// Paddle column (from its centre) where the ball should land on the current approach.
  private var aim = 0
  private var wasDescending = false

  /// - Throws: ``AgentMismatch`` when the action list lacks NOOP, LEFT or RIGHT.
  public init(actionNames: [String], configuration: TrackerConfiguration = .init()) throws {
    func index(_ name: String) throws -> Int {
      guard let i = actionNames.firstIndex(of: name) else {
        throw AgentMismatch(description: "the tracker needs a \(name) action, but the actions are \(actionNames)")
      }
      return i
    }
    noop = try index("NOOP")
    left = try index("LEFT")
    right = try index("RIGHT")
    self.configuration = configuration
  }

  public mutating func beginEpisode(seed: UInt64) {
    previous.removeAll(keepingCapacity: true)
    rng = SplitMix64(seed: seed)
    aim = 0
    wasDescending = false
  }

  public mutating func action(for entities: [Entity]) -> Int {
    guard let paddle = entities.first(where: { $0.kind == .paddle }) else { return noop }
    var leftInner = Int.min, rightInner = Int.max
    // Border walls are the tallest walls; the field lies between them.
    let widest = entities.lazy.filter { $0.kind == .wall }.map { Int($0.height) }.max() ?? 0
    for e in entities where e.kind == .wall && Int(e.height) == widest {
      if e.x == 0 { leftInner = Int(e.x + e.width) } else { rightInner = min(rightInner, Int(e.x) - 1) }
    }
    var target: Int? = nil
    var soonest = Int.max
    var lowest: (x: Int, y: Int)? = nil
    var current: [Int32: (x: Int, y: Int)] = [:]
    for ball in entities where ball.kind == .ball {
      let (x, y) = (Int(ball.x), Int(ball.y))
      current[ball.id] = (x, y)
      if lowest.map({ y > $0.y }) ?? true { lowest = (x, y) }
      guard let last = previous[ball.id] else { continue }
      let (vx, vy) = (x - last.x, y - last.y)
      let rowsToPaddle = Int(paddle.y) - 1 - y
      guard vy > 0, rowsToPaddle >= 0 else { continue }
      let steps = rowsToPaddle / vy
      if steps < soonest {
        soonest = steps
        target = configuration.predictLanding ? reflect(x + vx * steps, between: leftInner, and: rightInner) : x
      }
    }
    // A new approach: pick where on the paddle to take the ball.
    let isDescending = soonest != Int.max
    if isDescending && !wasDescending && configuration.varyAim {
      let reach = max(0, Int(paddle.width) / 2 - 1)
      aim = reach == 0 ? 0 : rng.nextInt(in: -reach...reach)
    }
    wasDescending = isDescending
    // Nothing descending: follow the lowest ball.
    if target == nil { target = lowest?.x } else { target! -= aim }
    previous = current
    guard let goal = target else { return noop }
    let center = paddle.centerX
    if center < goal - configuration.deadZone { return right }
    if center > goal + configuration.deadZone { return left }
    return noop
  }

  /// Folds `x` back into `low...high` as a ball bouncing between two walls would.
  private func reflect(_ x: Int, between low: Int, and high: Int) -> Int {
    guard low != Int.min, high != Int.max, high > low else { return x }
    let span = high - low
    var offset = (x - low) % (2 * span)
    if offset < 0 { offset += 2 * span }
    return low + (offset <= span ? offset : 2 * span - offset)
  }
}
