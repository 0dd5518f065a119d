import EnvironmentCore

/// An environment that can say how many lives are left, for status lines.
public protocol LivesReporting {
  var lives: Int { get }
}

extension GameEnvironment: LivesReporting {
  public var lives: Int { game.lives }
}

extension TimeLimit: LivesReporting where Base: LivesReporting {
  public var lives: Int { base.lives }
}

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

/// An environment that measures more about the current episode for the human-study log — the extension
/// point for the prior games' unique cells and states visited. The session reads the measures just before
/// each episode is reset; they land in the log's `extra` object and become columns of `arcade report humans`.
///
/// A game conforms (where this module is visible, e.g. in the `arcade` tool) and ``GameEnvironment`` and
/// ``TimeLimit`` pass the measures through.
public protocol EpisodeMeasuring {
  /// Named measures of the episode so far (e.g. `["uniqueCells": 41, "uniqueStates": 97]`).
  var episodeMeasures: [String: Double] { get }
}

extension GameEnvironment: EpisodeMeasuring where G: EpisodeMeasuring {
  public var episodeMeasures: [String: Double] { game.episodeMeasures }
}

extension TimeLimit: EpisodeMeasuring where Base: EpisodeMeasuring {
  public var episodeMeasures: [String: Double] { base.episodeMeasures }
}
