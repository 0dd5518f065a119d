import EnvironmentCore

extension Catalog {
  /// The Breakout family (Kansky et al. 2017): the reference game and its variants, each a change of a few
  /// parameters from Standard (`envs/breakout/*.yaml` list every parameter).
  static let breakoutEntries: [Entry] = [
    breakout("standard", "The reference game: 6 rows × 11 bricks, one ball, 3 lives.") { _ in },
    breakout("offset-paddle", "Standard, but the paddle's row is drawn from 3 to 28 each episode.") {
      $0.paddleBottomMax = 28
    },
    breakout("middle-wall", "Standard with an unbreakable wall below the bricks across the middle.") {
      $0.middleWall = .middle
    },
    breakout("random-target", "No wall of bricks: a 2 × 4-brick target that respawns elsewhere when hit; fast ball.") {
      $0.startingBallRadius = 2
      $0.bricks = .target
    },
    breakout("juggling", "No bricks, three fast balls: keep them in play (best score 0).") {
      $0.balls = 3
      $0.startingBallRadius = 2
      $0.bricks = .none
    },
    breakout("half-negative", "Left and right halves of the bricks give +1 and −1, shown by colour, sides drawn each episode.") {
      $0.halfNegative = true
    },
    breakout("moving-obstacles", "Standard with three grey blocks sliding sideways between paddle and bricks.") {
      $0.obstacleSpeeds = [1, -2, 2]
      $0.obstacleHeights = [10, 18, 26]
    },
    breakout("small", "A 54 × 67 preset with 6 × 6 bricks and a 13-px paddle for fast experiments.") {
      $0.width = 54
      $0.height = 67
      $0.paddleWidth = 13
    },
  ]

  /// A Breakout variant: Standard's level (the reference defaults) changed by `change`, capped at 5,000 steps.
  private static func breakout(_ variant: String, _ summary: String, _ change: (inout BreakoutLevel) -> Void) -> Entry {
    var level = BreakoutLevel()
    change(&level)
    return Entry(id: registeredID("breakout", variant), version: 1, summary: summary, maxEpisodeSteps: 5_000,
                 parameters: .breakout(level))
  }

  /// The id of a registered variant, whose spelling this file fixes.
  static func registeredID(_ family: String, _ variant: String) -> EnvironmentID {
    guard let id = EnvironmentID("\(family)/\(variant)") else { preconditionFailure("'\(family)/\(variant)' is not an id") }
    return id
  }
}
