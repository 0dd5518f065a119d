extension BreakoutLevel {
  /// The largest screen side, in pixels: frames, occupancy and observations grow with its square.
  public static let maxSide = 4096
  /// The largest absolute reward: sums over long episodes stay exact in a Double.
  public static let maxReward = 1e6

  /// The first value outside its plain bounds, or `nil`. Every integer is bounded by the screen size (or a
  /// count limit) and every real must be finite, so the consistency checks of ``problems()`` cannot overflow.
  func boundsProblem() -> LevelProblem? {
    let side = Self.maxSide
    let integers: [(String, Int, ClosedRange<Int>)] = [
      ("width", width, 1...side), ("height", height, 1...side), ("wallThickness", wallThickness, 0...side),
      ("lives", lives, 1...1_000_000), ("balls", balls, 1...16), ("startingBallRadius", startingBallRadius, 1...Self.maxBallRadius),
      ("paddleWidth", paddleWidth, 1...side), ("paddleHeight", paddleHeight, 1...side), ("paddleSpeed", paddleSpeed, 1...7),
      ("paddleStartX", paddleStartX ?? 0, -side...side), ("paddleBottomMin", paddleBottomMin, 0...side),
      ("paddleBottomMax", paddleBottomMax, 0...side), ("brickRows", brickRows, 0...side), ("brickWidth", brickWidth, 1...side),
      ("brickHeight", brickHeight, 1...side), ("targetColumns", targetColumns, 0...side), ("targetRows", targetRows, 0...side),
    ]
    for (key, value, range) in integers where !range.contains(value) {
      return LevelProblem(key: key, value: "\(value)", reason: "must be between \(range.lowerBound) and \(range.upperBound)")
    }
    let lists: [(String, [Int], ClosedRange<Int>)] = [
      ("speedUpAtBricks", speedUpAtBricks, 1...1_000_000), ("obstacleSpeeds", obstacleSpeeds, -side...side),
      ("obstacleHeights", obstacleHeights, 0...side),
    ]
    for (key, values, range) in lists where values.count > 64 || !values.allSatisfy(range.contains) {
      return LevelProblem(key: key, value: "\(values)",
                          reason: "needs at most 64 values, each between \(range.lowerBound) and \(range.upperBound)")
    }
    let rewards = [("rewardUponBallLoss", rewardUponBallLoss), ("rewardUponNoBricksLeft", rewardUponNoBricksLeft),
                   ("brickReward", brickReward)]
    for (key, value) in rewards where !(value.isFinite && abs(value) <= Self.maxReward) {
      return LevelProblem(key: key, value: "\(value)", reason: "must be a finite reward of at most \(Int(Self.maxReward)) in size")
    }
    if paddleSpeedDistribution.count > 15 || !paddleSpeedDistribution.allSatisfy(\.isFinite) {
      return LevelProblem(key: "paddleSpeedDistribution", value: "\(paddleSpeedDistribution)",
                          reason: "needs 2 · paddleSpeed + 1 finite probabilities")
    }
    return nil
  }
}
