import EnvironmentCore

/// What the status strip shows.
public struct Status: Sendable, Hashable {
  public var environment: String
  public var episode: Int
  public var step: Int
  public var totalReturn: Double
  /// Lives left, nil when the environment does not say.
  public var lives: Int?
  /// The playback rate in frames per second.
  public var fps: Double
  public var paused: Bool

  public init(environment: String, episode: Int, step: Int, totalReturn: Double, lives: Int?, fps: Double, paused: Bool) {
    self.environment = environment
    self.episode = episode
    self.step = step
    self.totalReturn = totalReturn
    self.lives = lives
    self.fps = fps
    self.paused = paused
  }

  /// Two lines: the environment and episode, then step, return, lives, fps (and PAUSED).
  public var lines: [String] {
    let r = totalReturn == totalReturn.rounded() ? String(Int(totalReturn)) : String(Double(Int(totalReturn * 10)) / 10)
    var second = "STEP \(step)  RET \(r)"
    if let lives { second += "  LIVES \(lives)" }
    second += "  \(Int(fps.rounded())) FPS"
    if paused { second += "  PAUSED" }
    return ["\(environment)  EP \(episode)", second]
  }
}
