import EnvironmentCore

/// Ball velocities: the integer L∞ ring of radius r without the purely horizontal ones, in the
/// reference's order (vx ascending, then vy ascending).
enum VelocityRing {
  static func velocities(radius r: Int) -> [(vx: Int, vy: Int)] {
    var ring: [(vx: Int, vy: Int)] = []
    for vx in -r...r {
      for vy in -r...r where max(abs(vx), abs(vy)) == r && vy != 0 { ring.append((vx, vy)) }
    }
    return ring
  }

  static let tables = [velocities(radius: 1), velocities(radius: 1), velocities(radius: 2)]

  /// Velocities of radius `r` with the same sign in each component as (vx, vy).
  static let sameSigns: [[[(vx: Int, vy: Int)]]] = (0...2).map { r in
    (0..<9).map { code in
      tables[r].filter { (($0.vx).signum() + 1) * 3 + ($0.vy).signum() + 1 == code }
    }
  }

  static func signCode(_ vx: Int, _ vy: Int) -> Int { (vx.signum() + 1) * 3 + vy.signum() + 1 }
}

/// The reference's paddle response function: outgoing vx for each paddle column. The centre column (two
/// for even widths) gives 0; each half splits into r blocks, smaller ones nearer the centre, |vx| growing outward.
func paddleResponse(width: Int, radius r: Int) -> [Int] {
  if width == 2 { return [-r, r] }
  let center = [Int](repeating: 0, count: 1 + (width + 1) % 2)
  let half = (width - center.count) / 2
  // blockedrange(half, r): split 0..<half at round(half/r · k) (Python 2 rounds halves away from zero).
  let div = Double(half) / Double(r)
  var sizes: [Int] = []
  for k in 0..<r {
    let lo = Int((div * Double(k)).rounded(.toNearestOrAwayFromZero))
    let hi = min(half, Int((div * Double(k + 1)).rounded(.toNearestOrAwayFromZero)))
    sizes.append(max(0, hi - lo))
  }
  sizes.sort()
  var right: [Int] = []
  for (k, size) in sizes.enumerated() { right += [Int](repeating: k + 1, count: size) }
  return right.reversed().map { -$0 } + center + right
}

extension Breakout {
  /// Whether a visible object other than a ball covers (x, y); below the screen is open, beside or above it is wall.
  @inline(__always)
  func isOccupied(_ x: Int, _ y: Int) -> Bool {
    if y < 0 { return false }
    if x < 0 || x >= level.width || y >= level.height { return true }
    return occupied[y * occupiedWordsPerRow + x >> 6] >> UInt64(x & 63) & 1 != 0 || paddle.contains(x, y)
  }

  /// Moves ball `i` one step by the reference's collision rules and records a brick hit directly.
  mutating func moveBall(_ i: Int) {
    var ball = balls[i]
    defer { balls[i] = ball }
    let (bx, by, ovx, ovy) = (ball.x, ball.y, ball.vx, ball.vy)
    // A paddle that moved onto the ball lets it out in a straight line.
    if paddle.contains(bx, by) {
      ball.x += ovx
      ball.y += ovy
      return
    }
    let dx = bx + ovx, dy = by + ovy
    var (vx, vy) = (ovx, ovy)
    if paddle.contains(dx, dy) {
      // The impact column is the ball's own column, clamped to the paddle.
      let impact = min(max(bx, paddle.x), paddle.x + paddle.width - 1)
      vx = paddleResponses[radius][impact - paddle.x]
      vy = -vy
      if abs(vy) < radius && abs(vx) <= 1 { vy = radius }
      if isOccupied(bx + vx, by + vy) { vx = -vx }
    } else if !isOccupied(dx, dy) {
      // Free flight.
    } else {
      if dy >= 0, dy < level.height, dx >= 0, dx < level.width {
        let owner = Int(occupancy[dy * level.width + dx])
        if owner != 0, blocks[owner - 1].isBrick, !hits.contains(owner - 1) { hits.append(owner - 1) }
      }
      if isOccupied(bx + ovx, by) {
        (vx, vy) = deflected(-ovx, ovy)
      } else if isOccupied(bx, by + ovy) {
        (vx, vy) = deflected(ovx, -ovy)
      } else {
        (vx, vy) = (-ovx, -ovy)
      }
    }
    ball.x = bx + vx
    ball.y = by + vy
    ball.vx = vx
    ball.vy = vy
    // A higher-order collision (the bounce lands inside something): go straight back instead.
    if isOccupied(ball.x, ball.y) {
      ball.x = bx - ovx
      ball.y = by - ovy
      ball.vx = -ovx
      ball.vy = -ovy
    }
  }

  /// The reference's stochastic deflection: with probability `bounceStochasticity`, a uniformly random
  /// velocity of the current ring with the same signs (any velocity if bounces against physics are allowed).
  mutating func deflected(_ vx: Int, _ vy: Int) -> (Int, Int) {
    guard level.bounceStochasticity > 0 else { return (vx, vy) }
    let options = level.allowBounceAgainstPhysics
      ? VelocityRing.tables[radius]
      : VelocityRing.sameSigns[radius][VelocityRing.signCode(vx, vy)]
    // With one velocity of these signs (radius 1), the draw cannot change where the ball goes.
    if options.count > 1 { lastStepChance.insert(.objectMotion) }
    guard rng.nextBool(probability: level.bounceStochasticity) else { return (vx, vy) }
    return options[rng.nextInt(below: options.count)]
  }

  /// Raises the ball speed by one (at most 2) and carries every ball's velocity over to the new ring.
  mutating func speedUp() {
    let next = min(radius + 1, BreakoutLevel.maxBallRadius)
    guard next != radius else { return }
    for i in balls.indices {
      if level.legacyVelocityIndexOnSpeedUp {
        // The reference stores an index into the ring and reads it in the new table.
        let index = VelocityRing.tables[radius].firstIndex { $0.vx == balls[i].vx && $0.vy == balls[i].vy } ?? 0
        (balls[i].vx, balls[i].vy) = VelocityRing.tables[next][index]
      } else {
        // Same direction: at r = 1 every velocity is (±1|0, ±1), and doubling it lands on the r = 2 ring.
        balls[i].vx *= next / radius
        balls[i].vy *= next / radius
      }
    }
    radius = next
  }

  /// Applies a direct hit on brick `index`; returns the reward.
  mutating func hitBrick(_ index: Int) -> Double {
    let brick = blocks[index]
    guard brick.isPresent else { return 0 }
    if brick.role == .resetter {
      moveTarget()
      return brick.reward
    }
    blocks[index].isPresent = false
    setOwner(of: brick.rect, to: 0)
    layoutVersion &+= 1
    caches.goneBrick = screenBox(brick.rect)
    caches.goneBrickVersion = layoutVersion
    bricksDestroyed += 1
    if brick.reward > 0 { positiveBricksLeft -= 1 }
    if brick.role == .accelerator && !acceleratorFired {
      acceleratorFired = true
      speedUp()
    }
    return brick.reward
  }
}
