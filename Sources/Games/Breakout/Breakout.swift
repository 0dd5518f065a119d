import EnvironmentCore

/// Breakout as in Vicarious' schema-games (Kansky et al., ICML 2017), ported pixel for pixel.
///
/// ## Description
/// A one-pixel ball bounces inside a walled box; the agent moves a paddle at the bottom to keep it in
/// play and break bricks. Every object is a filled rectangle on the pixel lattice; there is no coarse grid.
///
/// ## Actions
/// `0` NOOP, `1` LEFT, `2` RIGHT. A move is 2 px with probability 0.9 and 1 px otherwise (the draw happens
/// every step, even for NOOP), clamped at the walls. The paddle moves after the ball.
///
/// ## Observation
/// Pixels (RGB, 117 × 94 in Standard), a grid of kind planes, or entities: see ``Game``.
///
/// ## Rewards
/// +1 per brick (±1 in Half Negative), −1 per lost ball; the sum of one step is clipped to [−1, 1].
///
/// ## Start
/// Paddle column uniform over the field; ball below the bricks at mid-screen, moving down at speed r.
///
/// ## Episode end
/// Terminated when every positive brick is gone or the last life is lost. No step cap inside the game:
/// ``TimeLimit`` truncates (the variant file's `maxEpisodeSteps`).
///
/// ## Variants
/// Values of ``BreakoutLevel``: standard, offset-paddle, middle-wall, random-target, juggling,
/// half-negative, moving-obstacles, small.
///
/// ## Version history
/// 1. Deliberate differences from the reference: speed-ups fire in every episode (at the 4th, 8th and 12th
///    brick and the first accelerator-brick hit), not once per process; a speed-up keeps the ball's
///    direction unless `legacyVelocityIndexOnSpeedUp`; randomness comes from one seeded stream per game;
///    entity ids restart at every reset; Middle Wall's `random` side is drawn per episode.
public struct Breakout: Game, ChanceReporting {
  public let level: BreakoutLevel
  /// The actions, by index (the reference's `Discrete(3)`).
  public enum Action: Int, CaseIterable, Sendable { case noop, left, right }
  public static let actionNames = ["NOOP", "LEFT", "RIGHT"]

  var rng = SplitMix64(seed: 0)
  /// Owner of each pixel (index into `blocks` + 1), 0 where free; the paddle and balls are not in it.
  /// Read only when the ball hits something.
  var occupancy: [UInt16]
  /// One bit per pixel, set where `occupancy` is non-zero, `occupiedWordsPerRow` words a row. The free-flight
  /// test reads this: 1.9 KB a copy instead of 22 KB, so a batch of copies stepped in lock step stays in cache.
  var occupied: [UInt64]
  let occupiedWordsPerRow: Int
  /// Walls, punishment rows, middle-wall segments, obstacles and bricks, in entity-id order.
  var blocks: [Block] = []
  var paddle = Rect(x: 0, y: 0, width: 0, height: 0)
  var balls: [Ball] = []
  var radius = 1
  public internal(set) var lives = 0
  /// Bricks destroyed in this episode.
  public internal(set) var bricksDestroyed = 0
  /// What the last step left to chance (``ChanceReporting``).
  public internal(set) var lastStepChance: StepChance = []
  var positiveBricksLeft = 0
  var firedSpeedUps: UInt64 = 0
  var acceleratorFired = false
  /// Changes whenever a brick disappears or moves, so cached static layers know to redraw.
  var layoutVersion = 0
  var hits: [Int] = []
  /// Balls lost so far in the episode (orders the balls' return after a life is lost).
  var lossCount = 0
  /// Indices of the moving obstacles in `blocks` (contiguous).
  var obstacles = 0..<0
  var caches = RenderCaches()
  /// The block and position of the Random Target block (first brick index, lower-left corner).
  var target: (first: Int, x: Int, y: Int) = (0, 0, 0)
  /// Cumulative probabilities of the paddle moves, inline: copies stepped on different threads must not
  /// share (and retain) one array on every step.
  let paddleSteps: SIMD16<Double>
  let paddleStepCount: Int
  /// Whether a press can move the paddle by more than one distance.
  let paddleHasChoice: Bool
  /// Outgoing vx per paddle column, indexed by ball radius.
  let paddleResponses: [[Int]]
  public let gridChannels: GridChannels

  /// A game of `level`; it must have no ``BreakoutLevel/problems()``. Call ``reset(seed:)`` before stepping.
  public init(level: BreakoutLevel) {
    precondition(level.problems().isEmpty, "invalid Breakout level: \(level.problems())")
    self.level = level
    occupancy = Array(repeating: 0, count: level.width * level.height)
    occupiedWordsPerRow = (level.width + 63) / 64
    occupied = Array(repeating: 0, count: occupiedWordsPerRow * level.height)
    var cumulative = 0.0, steps = SIMD16<Double>(repeating: 1)
    for (i, p) in level.paddleSpeedDistribution.enumerated() { cumulative += p; steps[i] = cumulative }
    paddleSteps = steps
    paddleStepCount = level.paddleSpeedDistribution.count
    paddleHasChoice = level.paddleSpeedDistribution.filter { $0 > 0 }.count > 1
    paddleResponses = (0...BreakoutLevel.maxBallRadius).map { paddleResponse(width: level.paddleWidth, radius: max($0, 1)) }
    gridChannels = Breakout.gridChannels(for: level)
    reset(seed: 0)
  }

  public var actionNames: [String] { Breakout.actionNames }

  public mutating func reset(seed: UInt64) {
    rng = SplitMix64(seed: seed)
    lives = level.lives
    radius = level.startingBallRadius
    bricksDestroyed = 0
    firedSpeedUps = 0
    acceleratorFired = false
    lossCount = 0
    balls = (0..<level.balls).map { Ball(id: $0) }
    layOut()
    respawnBalls()
  }

  public mutating func advance(_ action: Int) -> Transition {
    guard let move = Action(rawValue: action) else {
      preconditionFailure("illegal Breakout action \(action): valid actions are 0 NOOP, 1 LEFT, 2 RIGHT")
    }
    var reward = 0.0
    lastStepChance = []
    let destroyedBefore = bricksDestroyed
    // 1. Move every ball, collecting the bricks hit directly.
    hits.removeAll(keepingCapacity: true)
    for i in balls.indices where balls[i].isInPlay { moveBall(i) }
    // 2. Collision effects.
    for block in hits { reward += hitBrick(block) }
    // 3. Moving obstacles, 4. the paddle.
    moveObstacles()
    movePaddle(move)
    // 5. Conditional events: speed-ups at brick counts (each at most once per episode). The count only
    // changes when a brick breaks, so only such steps need the check (and the shared list stays untouched).
    if bricksDestroyed != destroyedBefore {
      for (k, count) in level.speedUpAtBricks.enumerated() where bricksDestroyed == count && firedSpeedUps & (1 << UInt64(k)) == 0 {
        firedSpeedUps |= 1 << UInt64(k)
        speedUp()
      }
    }
    // 6. End of game: win, lost balls, lives.
    var isTerminal = level.bricks != .none && positiveBricksLeft == 0
    if isTerminal { reward += level.rewardUponNoBricksLeft }
    // The reference removes lost balls from the list it is iterating, so the ball after each lost one is
    // only checked on the next step; ours does the same, so simultaneous losses are not clipped together.
    var skipNext = false
    for i in balls.indices where balls[i].isInPlay {
      if skipNext { skipNext = false; continue }
      if balls[i].y <= 0 {
        balls[i].isInPlay = false
        lossCount += 1
        balls[i].lostOrder = lossCount
        reward += level.rewardUponBallLoss
        skipNext = true
      }
    }
    if !balls.contains(where: \.isInPlay) {
      lives -= 1
      // The lost balls come back in the order they were lost, as the reference's list does.
      balls.sort { $0.lostOrder < $1.lostOrder }
      respawnBalls()
      isTerminal = lives <= 0
    }
    return Transition(reward: min(1, max(-1, reward)), isTerminal: isTerminal)
  }

  // MARK: Paddle and obstacles

  mutating func movePaddle(_ action: Action) {
    let u = rng.nextUnit()
    var step = paddleStepCount - 1
    for i in 0..<paddleStepCount where u < paddleSteps[i] { step = i; break }
    let dx = step - level.paddleSpeed
    let shift = switch action {
    case .noop: 0
    case .left: -dx
    case .right: dx
    }
    let moved = paddle.x + shift
    let clamped = min(max(moved, level.wallThickness), level.width - level.wallThickness - paddle.width)
    // A press moves the paddle a drawn distance unless every distance ends at the same wall.
    if action != .noop && paddleHasChoice && clamped != paddle.x && clamped == moved { lastStepChance.insert(.agentMotion) }
    paddle.x = clamped
  }

  mutating func moveObstacles() {
    for i in obstacles {
      let b = blocks[i]
      if rectIsFree(b.rect.offset(by: b.velocity), ignoring: i) {
        setOwner(of: b.rect, to: 0)
        blocks[i].rect = b.rect.offset(by: b.velocity)
      } else if rectIsFree(b.rect.offset(by: -b.velocity), ignoring: i) {
        setOwner(of: b.rect, to: 0)
        blocks[i].rect = b.rect.offset(by: -b.velocity)
        blocks[i].velocity = -b.velocity
      } else {
        continue
      }
      setOwner(of: blocks[i].rect, to: UInt16(i + 1))
    }
  }

  func rectIsFree(_ r: Rect, ignoring block: Int) -> Bool {
    for y in r.y..<(r.y + r.height) {
      for x in r.x..<(r.x + r.width) {
        guard x >= 0, x < level.width, y >= 0, y < level.height else { continue }
        let owner = Int(occupancy[y * level.width + x])
        if (owner != 0 && owner != block + 1) || paddle.contains(x, y) { return false }
      }
    }
    return true
  }

  mutating func setOwner(of r: Rect, to owner: UInt16) {
    let (x0, x1) = (max(r.x, 0), min(r.x + r.width, level.width))
    let (y0, y1) = (max(r.y, 0), min(r.y + r.height, level.height))
    guard x0 < x1, y0 < y1 else { return }
    let (width, words) = (level.width, occupiedWordsPerRow)
    occupancy.withUnsafeMutableBufferPointer { owners in
      for y in y0..<y1 { owners[(y * width + x0)..<(y * width + x1)].update(repeating: owner) }
    }
    occupied.withUnsafeMutableBufferPointer { bits in
      for y in y0..<y1 {
        // The run x0..<x1 as one mask per 64-pixel word.
        var x = x0
        while x < x1 {
          let end = min(x1, (x & ~63) + 64)
          let mask = (end - x == 64 ? ~UInt64(0) : (UInt64(1) << UInt64(end - x)) - 1) << UInt64(x & 63)
          if owner == 0 { bits[y * words + x >> 6] &= ~mask } else { bits[y * words + x >> 6] |= mask }
          x = end
        }
      }
    }
  }
}

/// An axis-aligned box in world coordinates (lower-left corner, y up).
struct Rect: Hashable, Sendable {
  var x: Int, y: Int, width: Int, height: Int

  @inline(__always)
  func contains(_ px: Int, _ py: Int) -> Bool {
    px >= x && px < x + width && py >= y && py < y + height
  }

  func offset(by dx: Int) -> Rect { Rect(x: x + dx, y: y, width: width, height: height) }
}

/// A static or moving rectangular object other than the paddle and balls.
struct Block: Sendable {
  enum Role: Sendable { case wall, punishment, obstacle, brick, accelerator, resetter }
  var rect: Rect
  var role: Role
  var kind: EntityKind
  var color: RGB
  var reward = 0.0
  var isPresent = true
  /// Horizontal speed of a moving obstacle.
  var velocity = 0

  var isBrick: Bool { role == .brick || role == .accelerator || role == .resetter }
}

struct Ball: Sendable {
  var x = 0, y = 0, vx = 0, vy = 0
  var isInPlay = true
  /// Stable entity identity of the ball within the episode.
  var id = 0
  /// When it was lost (0: in play since the last launch).
  var lostOrder = 0
}
