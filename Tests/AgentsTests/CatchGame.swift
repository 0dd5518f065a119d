import EnvironmentCore

/// A tiny game for the schema agent's tests: one-pixel balls fall straight down a `width` × `height` screen
/// (one row a step), a 3-pixel paddle on the bottom row moves one column per LEFT or RIGHT press. A ball
/// arriving just above the paddle bounces up (+1), one reaching the bottom row is lost (−1) and comes back at
/// the top; a ball at the top turns down. No walls: the screen's edges read as "outside". A one-pixel boundary
/// marker in the top-right corner, where no ball goes, shows the screen's size in every observation.
struct CatchGame: Game {
  struct Ball {
    var x: Int
    var y: Int
    var vy: Int
  }

  var width = 12
  var height = 10
  /// Where the balls and the paddle start at every reset; `nil` draws them from the seed.
  var start: (balls: [Ball], paddle: Int)? = nil
  var balls: [Ball] = []
  var paddle = 0
  var rng = SplitMix64(seed: 0)

  var actionNames: [String] { ["NOOP", "LEFT", "RIGHT"] }
  var lives: Int { 1 }

  mutating func reset(seed: UInt64) {
    rng = SplitMix64(seed: seed)
    if let start {
      (balls, paddle) = start
    } else {
      balls = [Ball(x: rng.nextInt(below: width - 1), y: 0, vy: 1)]
      paddle = rng.nextInt(below: width - 2)
    }
  }

  mutating func advance(_ action: Int) -> Transition {
    var reward = 0.0
    for i in balls.indices {
      var b = balls[i]
      if b.vy > 0 && b.y == height - 2 && (paddle...(paddle + 2)).contains(b.x) {
        b.vy = -1
        reward += 1
      } else if b.vy > 0 && b.y == height - 1 {
        reward -= 1
        b = Ball(x: rng.nextInt(below: width - 1), y: 0, vy: 0)
      } else if b.vy < 0 && b.y == 0 {
        b.vy = 1
      } else if b.vy == 0 {
        b.vy = 1
      }
      b.y += b.vy
      balls[i] = b
    }
    paddle = min(max(paddle + (action == 1 ? -1 : action == 2 ? 1 : 0), 0), width - 3)
    return Transition(reward: reward, isTerminal: false)
  }

  var frameWidth: Int { width }
  var frameHeight: Int { height }

  mutating func render(into pixels: UnsafeMutableBufferPointer<UInt8>) {
    for i in 0..<pixels.count { pixels[i] = 0 }
  }

  var gridChannels: GridChannels { [.ball, .paddle] }

  mutating func drawGrid(into words: UnsafeMutableBufferPointer<UInt64>, layout: GridLayout) {
    words.update(repeating: 0)
    GridCanvas(words, layout: layout).fillVoid()
  }

  func entityCapacity(expandPixels: Bool) -> Int { 8 + 3 + 1 }

  mutating func writeEntities(into entities: UnsafeMutableBufferPointer<Entity>, expandPixels: Bool) -> Int {
    var n = 0
    for (i, b) in balls.enumerated() {
      entities[n] = Entity(id: Int32(10 + i), kind: .ball, color: RGB(255, 0, 0), x: b.x, y: b.y, width: 1, height: 1)
      n += 1
    }
    for k in 0..<3 {
      entities[n] = Entity(id: 1, kind: .paddle, color: RGB(0, 255, 0), x: paddle + k, y: height - 1, width: 1, height: 1,
                           partX: k, partY: 0)
      n += 1
    }
    entities[n] = Entity(id: 2, kind: .boundary, color: .black, x: width - 1, y: 0, width: 1, height: 1)
    return n + 1
  }
}

/// The catch game seen as pixel entities, as the schema agent needs it.
func catchEnvironment(_ game: CatchGame = CatchGame(), cap: Int = 200) -> TimeLimit<GameEnvironment<CatchGame, Entities>> {
  TimeLimit(GameEnvironment(game: game, form: Entities(expandPixels: true)), maxEpisodeSteps: cap)
}
