import EnvironmentCore

/// The masked-prior platformer of Dubey et al. (ICML 2018), after rachit-dubey/humanRL_prior_games.
///
/// ## Description
/// One screen of platforms, two ladders, an enemy, fire and a princess. The player, a 15-px square,
/// walks, jumps and climbs to touch the princess. Only the player moves; there is no randomness.
///
/// ## Actions
/// `0` LEFT, `1` RIGHT, `2` JUMP, `3` UP, `4` DOWN, `5` NOOP (the reference's PLE action set).
///
/// ## Observation
/// Pixels (230 × 230 RGB, themed), a symbolic grid of anonymised class planes on the tile map, or entities.
///
/// ## Rewards
/// +1 on the step the player touches the princess; 0 otherwise, death included.
///
/// ## Start
/// The player's start centre from the level; it falls to the floor in the first steps.
///
/// ## Episode end
/// Terminated on death (fire, or an enemy touched other than from above) or on the win. The variant file's
/// step cap (2,001) truncates. Steps after the end are no-ops that return 0 and terminal.
///
/// ## Variants
/// Values of ``PriorOptions``: themes mask priors without touching the dynamics; `ladderSwapped` and
/// `lowGravity` change the dynamics; `rotated` changes only the view.
///
/// ## Version history
/// 1. Positions on the doubled integer lattice (exact); rect rounding half away from zero by default.
public struct PriorPlatformer: Game {
  public enum Action: Int, CaseIterable, Sendable { case left, right, jump, up, down, noop }
  public static let actionNames = ["LEFT", "RIGHT", "JUMP", "UP", "DOWN", "NOOP"]

  /// Why an episode ended.
  public enum Cause: String, Sendable, Codable { case none, fire, enemy, princess }

  public let options: PriorOptions
  /// Every level the variant may draw from.
  public let levels: [PriorLevel]
  public internal(set) var level: PriorLevel
  var geometry: PriorGeometry

  // MARK: State (spec §2.1)
  var x2 = 0, y2 = 0
  var jumping = false
  var vy = 0
  var onLadder = false
  var enemyAlive: UInt64 = 0
  var airTicks = 0
  public internal(set) var steps = 0
  public internal(set) var isDone = false
  public internal(set) var cause = Cause.none
  var rng = SplitMix64(seed: 0)
  /// Grid channel order (a permutation of the variant's classes), drawn from the first reset's seed.
  var channelOrder: [GridChannel] = []
  /// Walking animation of the original theme: facing and presses in the current direction.
  var facingLeft = false, walkPresses = 0
  var caches = PriorRenderCache()

  public init(options: PriorOptions, levels: [PriorLevel]) {
    precondition(!levels.isEmpty, "a platformer variant needs at least one level")
    self.options = options
    self.levels = levels
    level = levels[0]
    geometry = PriorGeometry(level: levels[0], rounding: options.rectRounding)
    reset(seed: 0)
    // The permutation comes from the first reset the environment performs, not this one.
    channelOrder = []
  }

  public var actionNames: [String] { Self.actionNames }
  public var lives: Int { isDone ? 0 : 1 }
  /// Whether the episode ended at the princess.
  public var won: Bool { cause == .princess }
  /// Enemies stomped this episode.
  public var stomped: Int { geometry.enemies.count - enemyAlive.nonzeroBitCount }

  public mutating func reset(seed: UInt64) {
    rng = SplitMix64(seed: seed)
    if levels.count > 1 {
      level = levels[rng.nextInt(below: levels.count)]
      geometry = PriorGeometry(level: level, rounding: options.rectRounding)
      caches = PriorRenderCache()
    }
    if channelOrder.isEmpty || options.reshuffleEachEpisode { channelOrder = drawChannelOrder() }
    x2 = level.startX2
    y2 = level.startY2
    jumping = false
    vy = 0
    onLadder = false
    enemyAlive = geometry.enemies.isEmpty ? 0 : UInt64.max >> UInt64(64 - geometry.enemies.count)
    airTicks = 0
    steps = 0
    isDone = false
    cause = .none
    facingLeft = false
    walkPresses = 0
  }

  public mutating func advance(_ action: Int) -> Transition {
    precondition(action >= 0 && action < 6, "illegal platformer action \(action): valid actions are 0...5 \(Self.actionNames)")
    guard !isDone else { return Transition(reward: 0, isTerminal: true) }
    var act = Action(rawValue: action)!
    if options.ladderSwapped { act = act == .up ? .down : act == .down ? .up : act }
    steps += 1
    // 2. Probes around the player as it stands.
    let ladderBelow = geometry.ladders(overlapping: playerRect(dy: 2))
    let wallBelow = geometry.hasWall(overlapping: playerRect(dy: 2))
    let wallAbove = geometry.hasWall(overlapping: playerRect(dy: -2))
    // 3. Ladder state; each qualifying ladder may push the player down (the reference's loop).
    if !ladderBelow.isEmpty && !wallBelow {
      for ladder in ladderBelow where geometry.centreY2(ofTile: ladder) >= y2 {
        onLadder = true
        jumping = false
        if wallAbove { y2 += 6 }
      }
    } else {
      onLadder = false
    }
    // 4. The action.
    let hop = act == .up && !geometry.ladders(overlapping: playerRect()).isEmpty
    if ((act == .jump && !onLadder) || hop) && !jumping && wallBelow {
      jumping = true
      vy = 7
      airTicks = 0
    }
    switch act {
    case .right, .left:
      let dx = act == .right ? 14 : -14
      x2 += dx
      if geometry.hasWall(overlapping: playerRect()) { x2 -= dx }
      walkPresses = facingLeft == (act == .left) ? walkPresses + 1 : 1
      facingLeft = act == .left
    case .up where onLadder:
      y2 -= 7
      if geometry.ladders(overlapping: playerRect()).isEmpty || geometry.hasWall(overlapping: playerRect()) { y2 += 7 }
    case .down where onLadder:
      y2 += 7
    default:
      break
    }
    // 5. Gravity and jump.
    if !onLadder { fall() }
    // 7. Contacts.
    return contacts()
  }

  mutating func fall() {
    var firstWall = geometry.firstWall(overlapping: playerRect())
    if !jumping && !geometry.hasWall(overlapping: playerRect(dy: 2)) && geometry.ladders(overlapping: playerRect(dy: 2)).isEmpty {
      jumping = true
      vy = 0
      airTicks = 0
      firstWall = nil
    }
    guard jumping else { return }
    if let wall = firstWall {
      let wallY2 = geometry.centreY2(ofTile: wall)
      if wallY2 > y2 {
        jumping = false
        y2 = wallY2 - 32
      } else if wallY2 < y2 {
        vy = 0
        y2 = wallY2 + 32
      }
    }
    guard jumping else { return }
    y2 -= 2 * vy
    airTicks += 1
    if !options.lowGravity || airTicks % 2 == 0 { vy -= 1 }
    vy = max(vy, -8)
  }

  mutating func contacts() -> Transition {
    let rect = playerRect()
    var death = geometry.hasFire(overlapping: rect) ? Cause.fire : Cause.none
    for enemy in geometry.enemies(overlapping: rect, alive: enemyAlive) {
      // Any touched enemy is removed; unless the player came from above (centre more than 7 px higher), it kills.
      enemyAlive &= ~(1 << UInt64(enemy))
      if !(y2 + 14 < geometry.centreY2(ofTile: geometry.enemies[enemy])) && death == .none { death = .enemy }
    }
    if death != .none {
      cause = death
      isDone = true
      return Transition(reward: 0, isTerminal: true)
    }
    if rect.overlaps(geometry.princess) {
      cause = .princess
      isDone = true
      return Transition(reward: 1, isTerminal: true)
    }
    return Transition(reward: 0, isTerminal: false)
  }

  /// The player's collision rectangle, shifted down by `dy` pixels.
  func playerRect(dy: Int = 0) -> PixelRect {
    geometry.rect(centreX2: x2, centreY2: y2 + 2 * dy, width: 15, height: 15)
  }
}
