import EnvironmentCore

/// Every parameter of a Breakout variant: the constructor parameters of the reference's game classes
/// (schema-games `BreakoutEngine` and subclasses), with the reference defaults.
///
/// A variant is a value of this type, read from `envs/breakout/<variant>.yaml`; the keys of that file are
/// exactly these property names. Coordinates follow the reference: x to the right, y up, y = 0 at the bottom.
public struct BreakoutLevel: Codable, Sendable, Hashable {
  /// How the bricks are laid out.
  public enum BrickLayout: String, Codable, Sendable, CaseIterable {
    /// Rows of bricks across the top (Standard).
    case rows
    /// No bricks; the game cannot be won (Juggling).
    case none
    /// One block of bricks that respawns elsewhere when hit (Random Target).
    case target
  }

  /// Where the unbreakable wall below the bricks stands (Middle Wall).
  public enum WallLocation: String, Codable, Sendable, CaseIterable {
    case none, left, middle, right
    /// One of left, middle or right, drawn each episode.
    case random
  }

  // MARK: Screen
  /// Width of the world in pixels (reference: 2·3 + 11·8 = 94).
  public var width = 94
  /// Height of the world in pixels (reference: int(1.25 · 94) = 117).
  public var height = 117
  /// Thickness of the border walls; at least the ball's top speed (2) or the physics fails.
  public var wallThickness = 3
  /// Lives per episode; a life is lost when every ball is lost.
  public var lives = 3
  /// Invisible rows at the bottom, an entity to pin the ball-loss penalty on; the paddle rests on them.
  public var bottomWallOfPunishment = true

  // MARK: Ball
  /// Balls in play at once (Juggling: 3).
  public var balls = 1
  /// Ball speed r at the start of an episode, 1 or 2: velocities are the L∞ ring of radius r.
  public var startingBallRadius = 1
  /// Probability that a wall, brick or obstacle bounce picks a random velocity with the same signs.
  public var bounceStochasticity = 0.25
  /// Let random bounces pick any velocity, even one that reverses a component.
  public var allowBounceAgainstPhysics = false
  /// Brick counts within an episode at which r grows by one (up to 2).
  public var speedUpAtBricks = [4, 8, 12]
  /// On a speed-up, reinterpret the velocity's index in the new table as the reference does (the ball
  /// may turn around), instead of keeping its direction.
  public var legacyVelocityIndexOnSpeedUp = false

  // MARK: Paddle
  public var paddleWidth = 23
  public var paddleHeight = 4
  /// The largest paddle move per step, in pixels.
  public var paddleSpeed = 2
  /// Probabilities of moves −speed…+speed for a LEFT/RIGHT press (reference: 2 px w.p. 0.9, 1 px w.p. 0.1).
  public var paddleSpeedDistribution = [0, 0, 0, 0.1, 0.9]
  /// Fixed starting column of the paddle's left edge; `nil` draws it uniformly each episode.
  public var paddleStartX: Int? = nil
  /// Lowest row of the paddle's bottom edge, drawn uniformly from `paddleBottomMin...paddleBottomMax`
  /// each episode (Standard: 3...3; Offset Paddle: 3...28).
  public var paddleBottomMin = 3
  public var paddleBottomMax = 3

  // MARK: Rewards
  public var rewardUponBallLoss = -1.0
  public var rewardUponNoBricksLeft = 0.0

  // MARK: Bricks
  public var bricks = BrickLayout.rows
  public var brickRows = 6
  public var brickWidth = 8
  /// At least the ball's top speed (2) or the physics fails.
  public var brickHeight = 4
  public var brickReward = 1.0
  /// The third row from the bottom accelerates the ball on its first hit in an episode.
  public var acceleratorBricks = true
  /// Half Negative: each episode, bricks left of the centre get one colour and reward, the others
  /// another, with rewards a random permutation of (−1, +1).
  public var halfNegative = false
  /// Random Target: the block's size in bricks.
  public var targetColumns = 2
  public var targetRows = 4

  // MARK: Obstacles
  public var middleWall = WallLocation.none
  /// Moving obstacles: horizontal speeds, multiplied by the starting ball radius.
  public var obstacleSpeeds: [Int] = []
  /// Moving obstacles: bottom rows.
  public var obstacleHeights: [Int] = []

  /// The reference's Standard Breakout.
  public init() {}
}

/// A parameter of a ``BreakoutLevel`` that cannot work, with the key and value at fault.
public struct LevelProblem: Error, Sendable, Hashable, CustomStringConvertible {
  public var key: String
  public var value: String
  public var reason: String

  public var description: String { "\(key): \(value) — \(reason)" }
}

extension BreakoutLevel {
  /// The fastest the ball ever moves, in pixels per step on each axis.
  public static let maxBallRadius = 2

  /// Every impossible or inconsistent parameter; empty when the level is playable.
  public func problems() -> [LevelProblem] {
    var found: [LevelProblem] = []
    func check(_ ok: Bool, _ key: String, _ value: Any, _ reason: String) {
      if !ok { found.append(LevelProblem(key: key, value: "\(value)", reason: reason)) }
    }
    let r = Self.maxBallRadius
    // Bounds first: the consistency checks below do arithmetic on these values, which must not overflow.
    if let problem = boundsProblem() { return [problem] }
    check(wallThickness >= r, "wallThickness", wallThickness, "must be at least \(r), the ball's top speed")
    check(width >= 2 * wallThickness + 5 && width <= 4096, "width", width, "must leave room for walls and a paddle (and be at most 4096)")
    check(height >= 2 * wallThickness + 16 && height <= 4096, "height", height, "must be at least \(2 * wallThickness + 16) and at most 4096")
    check(lives >= 1, "lives", lives, "must be at least 1")
    check((1...16).contains(balls), "balls", balls, "must be between 1 and 16")
    check((1...r).contains(startingBallRadius), "startingBallRadius", startingBallRadius, "must be 1 or 2")
    check((0...1).contains(bounceStochasticity), "bounceStochasticity", bounceStochasticity, "is a probability in [0, 1]")
    check(speedUpAtBricks.allSatisfy { $0 > 0 }, "speedUpAtBricks", speedUpAtBricks, "brick counts must be positive")
    let field = width - 2 * wallThickness
    check(paddleWidth >= 2 * r + 1 && paddleWidth <= field, "paddleWidth", paddleWidth, "must be between \(2 * r + 1) and the field width \(field)")
    check(paddleHeight >= r, "paddleHeight", paddleHeight, "must be at least \(r), the ball's top speed")
    check((1...7).contains(paddleSpeed), "paddleSpeed", paddleSpeed, "must be between 1 and 7")
    let sum = paddleSpeedDistribution.reduce(0, +)
    check(paddleSpeedDistribution.count == 2 * paddleSpeed + 1 && paddleSpeedDistribution.allSatisfy { $0 >= 0 } && abs(sum - 1) < 1e-9,
          "paddleSpeedDistribution", paddleSpeedDistribution, "needs \(2 * paddleSpeed + 1) non-negative probabilities summing to 1")
    if let x = paddleStartX {
      check(x >= wallThickness && x <= width - wallThickness - paddleWidth, "paddleStartX", x,
            "must be within \(wallThickness)...\(width - wallThickness - paddleWidth) or null")
    }
    let floor = bottomWallOfPunishment ? wallThickness : 0
    check(paddleBottomMin >= 0 && paddleBottomMin <= paddleBottomMax, "paddleBottomMin", paddleBottomMin,
          "must be non-negative and at most paddleBottomMax (\(paddleBottomMax))")
    check(paddleBottomMin >= floor || !bottomWallOfPunishment, "paddleBottomMin", paddleBottomMin,
          "must be at least \(floor), above the punishment rows")
    check(brickHeight >= r, "brickHeight", brickHeight, "must be at least \(r), the ball's top speed")
    check(brickWidth >= 1, "brickWidth", brickWidth, "must be positive")
    check(brickRows >= 0, "brickRows", brickRows, "must not be negative")
    let lowestBrick = height - 2 - wallThickness - brickRows * brickHeight
    check(paddleBottomMax + paddleHeight + 4 <= min(lowestBrick, height - wallThickness) / 2,
          "paddleBottomMax", paddleBottomMax, "puts the paddle too close to where the ball spawns (row \(lowestBrick / 2))")
    switch bricks {
    case .rows:
      check(brickRows >= 1, "brickRows", brickRows, "a rows layout needs at least one row")
      check(field % max(brickWidth, 1) == 0, "brickWidth", brickWidth, "must divide the field width \(field) so the rows have no gaps")
    case .target:
      check(targetColumns >= 1 && targetColumns * brickWidth <= field, "targetColumns", targetColumns,
            "the block must fit in the field width \(field)")
      check(targetRows >= 1 && targetRows <= brickRows, "targetRows", targetRows, "must be between 1 and brickRows (\(brickRows))")
    case .none:
      break
    }
    check(lowestBrick > 2 * wallThickness + paddleHeight, "brickRows", brickRows, "leaves no room below the bricks")
    check(!halfNegative || bricks == .rows, "halfNegative", halfNegative, "needs the rows brick layout")
    check(middleWall == .none || bricks != .none, "middleWall", middleWall.rawValue, "stands below the bricks, so it needs bricks")
    check(obstacleSpeeds.count == obstacleHeights.count, "obstacleHeights", obstacleHeights,
          "needs one height per obstacle speed (\(obstacleSpeeds.count))")
    for h in obstacleHeights {
      check(h > paddleBottomMax + paddleHeight && h + brickHeight < lowestBrick, "obstacleHeights", obstacleHeights,
            "each obstacle must sit between the paddle and the bricks")
    }
    check(obstacleSpeeds.allSatisfy { $0 != 0 && abs($0) <= wallThickness }, "obstacleSpeeds", obstacleSpeeds,
          "speeds must be non-zero and at most the wall thickness")
    return found
  }
}
