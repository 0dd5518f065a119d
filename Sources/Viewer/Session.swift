import EnvironmentCore

/// Where a session shows its pictures and reads keys: the SDL window, or a scripted fake in tests.
public protocol Display {
  /// Shows a composed picture (game plus status strip); throws when it cannot (no window could be opened).
  mutating func show(_ picture: Frame) throws
  /// Keys pressed since the last call (in order) and the keys held now; nil once the user closed the window.
  mutating func poll() -> (pressed: [Key], held: Set<Key>)?
  /// Waits `seconds` (a fake may return at once).
  mutating func wait(seconds: Double)
}

/// How a session runs.
public struct SessionOptions: Sendable {
  /// The environment id for the status line.
  public var environmentID: String
  /// Episode *i* is reset with `SplitMix64.derive(seed, i)`, as in `arcade rollout`.
  public var seed: UInt64
  /// Steps per second.
  public var fps: Double
  /// Window pixels per frame pixel.
  public var scale: Int
  /// Whether +/− change the speed (playback) — a person playing keeps the game's speed.
  public var allowsSpeedChange: Bool
  /// Scripted run: play this many steps without waiting or reading keys, show the last frame and stop
  /// (the episode's end stops it early, like `arcade render`).
  public var scriptedSteps: Int?

  public init(environmentID: String, seed: UInt64 = 0, fps: Double = 30, scale: Int = 4,
              allowsSpeedChange: Bool = true, scriptedSteps: Int? = nil) {
    self.environmentID = environmentID
    self.seed = seed
    self.fps = fps
    self.scale = scale
    self.allowsSpeedChange = allowsSpeedChange
    self.scriptedSteps = scriptedSteps
  }
}

/// How one episode of a session ended.
public struct EpisodeSummary: Sendable, Hashable {
  /// How an episode of a session ended.
  public enum Ending: String, Sendable, Hashable {
    /// The game ended it (won or out of lives), or the step cap did.
    case terminated, truncated
    /// The player pressed R or quit during it.
    case restarted, quit
  }
  public var episode: Int
  public var seed: UInt64
  public var steps: Int
  public var totalReturn: Double
  public var ending: Ending
  /// Seconds from the episode's first frame to its end, pauses excluded.
  public var wallSeconds: Double
  /// The human study's exploration measures, `uniqueCells` and `uniqueStates`, for environments that report
  /// where the agent is (``ExplorationReporting``); empty for others.
  public var measures: [String: Double] = [:]
}

/// What a whole session came to.
public struct SessionResult: Sendable {
  /// Pictures shown.
  public var framesShown = 0
  /// Steps taken over all episodes.
  public var steps = 0
  /// The mean rate at which unpaused steps were shown, in steps per second (0 for a scripted run).
  public var measuredFPS = 0.0
  /// The last game frame (unscaled, no status strip).
  public var lastFrame: Frame?
}

/// Playback speeds the +/− keys move between.
public enum PlaybackSpeed {
  public static let steps: [Double] = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 240]
  /// The next faster speed.
  public static func faster(than fps: Double) -> Double { steps.first { $0 > fps } ?? steps.last! }
  /// The next slower speed.
  public static func slower(than fps: Double) -> Double { steps.last { $0 < fps } ?? steps.first! }
}

/// The loop behind `arcade play` and `arcade watch`: step at a steady rate, draw, obey the keys.
///
/// P pauses, N steps once while paused, R restarts the episode, Esc (or closing the window) quits, +/−
/// change the speed when allowed. The policy sees the observation and the keys held, so the same loop
/// serves a person (``ActionMapper``) and an agent.
public enum Session {
  public static func run<E: Environment & Renderable, D: Display>(
    environment: inout E, display: inout D, options: SessionOptions,
    beginEpisode: (UInt64) -> Void,
    policy: (E.Observation, Set<Key>) -> Int,
    episodeEnded: (EpisodeSummary) -> Void = { _ in },
    decorate: (inout Frame) -> Void = { _ in }
  ) throws -> SessionResult {
    let clock = ContinuousClock()
    var result = SessionResult()
    var fps = options.fps
    var paused = false
    var episode = 0
    var episodeSeed = SplitMix64.derive(options.seed, 0)
    var observation = environment.reset(seed: episodeSeed)
    beginEpisode(SplitMix64.agentSeed(forEpisode: episodeSeed))
    var steps = 0, total = 0.0
    var episodeSeconds = 0.0
    var playingSteps = 0, playingSeconds = 0.0
    var held: Set<Key> = []
    let explorationReader = ExplorationReader<E>()
    var tally = ExplorationTally()
    func visit() { if let explorationReader { tally.visit(explorationReader.key(of: &environment)) } }
    visit()

    func picture(_ game: Frame) -> Frame {
      var frame = game
      decorate(&frame)
      let status = Status(environment: options.environmentID, episode: episode, step: steps, totalReturn: total,
                          lives: environment.lives, fps: fps, paused: paused)
      return StatusBar.compose(frame, scale: options.scale, lines: status.lines)
    }
    func finish(_ ending: EpisodeSummary.Ending) {
      let measures: [String: Double] = explorationReader == nil ? [:]
        : ["uniqueCells": Double(tally.cells.count), "uniqueStates": Double(tally.states.count)]
      episodeEnded(EpisodeSummary(episode: episode, seed: episodeSeed, steps: steps, totalReturn: total,
                                  ending: ending, wallSeconds: episodeSeconds, measures: measures))
    }
    func nextEpisode() {
      episode += 1
      episodeSeed = SplitMix64.derive(options.seed, UInt64(episode))
      observation = environment.reset(seed: episodeSeed)
      beginEpisode(SplitMix64.agentSeed(forEpisode: episodeSeed))
      steps = 0; total = 0; episodeSeconds = 0
      tally = ExplorationTally()
      visit()
    }

    if let scripted = options.scriptedSteps {
      while steps < scripted {
        let step = environment.step(policy(observation, []))
        steps += 1; total += step.reward
        observation = step.observation
        if step.outcome.isFinal { break }
      }
      let frame = environment.render()
      try display.show(picture(frame))
      result.framesShown = 1
      result.steps = steps
      result.lastFrame = frame
      return result
    }

    var frame = environment.render()
    try display.show(picture(frame))
    result.framesShown += 1
    var last = clock.now
    var deadline = last
    loop: while true {
      guard let input = display.poll() else {
        if steps > 0 { finish(.quit) }
        break
      }
      held = input.held
      var stepOnce = false
      for key in input.pressed {
        switch ViewerCommand(key) {
        case .togglePause?: paused.toggle()
        case .singleStep?: if paused { stepOnce = true }
        case .restart?:
          if steps > 0 { finish(.restarted) }
          nextEpisode()
        case .quit?:
          if steps > 0 { finish(.quit) }
          break loop
        case .faster?: if options.allowsSpeedChange { fps = PlaybackSpeed.faster(than: fps) }
        case .slower?: if options.allowsSpeedChange { fps = PlaybackSpeed.slower(than: fps) }
        case nil: break
        }
      }
      let now = clock.now
      let elapsed = (now - last).inSeconds
      last = now
      if !paused {
        episodeSeconds += elapsed
        playingSeconds += elapsed
      }
      if !paused || stepOnce {
        let step = environment.step(policy(observation, held))
        visit()
        steps += 1; total += step.reward
        result.steps += 1
        if !paused { playingSteps += 1 }
        observation = step.observation
        frame = environment.render()
        if step.outcome.isFinal {
          try display.show(picture(frame))
          finish(step.outcome == .terminated ? .terminated : .truncated)
          nextEpisode()
          frame = environment.render()
        }
      }
      try display.show(picture(frame))
      result.framesShown += 1
      deadline = deadline + .seconds(1 / fps)
      let ahead = (deadline - clock.now).inSeconds
      if ahead > 0 {
        display.wait(seconds: ahead)
      } else if ahead < -1 / fps {
        deadline = clock.now  // fell behind (a stall): do not rush to catch up
      }
    }
    result.measuredFPS = playingSeconds > 0 ? Double(playingSteps) / playingSeconds : 0
    result.lastFrame = frame
    return result
  }
}
