import Agents
import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Foundation
import Recording
import Viewer

struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Watch an agent play in a window (needs the SDL build: swift build --traits SDL).",
    discussion: """
      Plays the episodes `arcade rollout` plays with the same --seed. P pauses, N steps once while paused, \
      + and − change the speed, R restarts the episode, Esc quits.
      """)

  @OptionGroup var env: EnvironmentOption
  @OptionGroup var agent: AgentOption<TrackerAgentDefault>
  @Option(parsing: .unconditional, help: "Steps per second (+/− change it while watching).") var fps = 30.0
  @Option(parsing: .unconditional, help: "Window pixels per game pixel.") var scale = 4
  @Option(parsing: .unconditional, help: "Seed of the run.") var seed: UInt64 = 0
  @Option(parsing: .unconditional, help: "Step cap per episode (default: the variant file's maxEpisodeSteps).") var maxSteps: Int?
  @Flag(help: "Draw what the agent expects: the balls' predicted paths and its planned paddle target (schema agents).")
  var overlay = false
  @Option(parsing: .unconditional, help: .hidden) var steps: Int?
  @Option(help: .hidden) var screenshot: String?
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    guard fps >= 1 && fps <= 240 else { throw ValidationError("--fps must be between 1 and 240 (got \(fps))") }
    guard (1...16).contains(scale) else { throw ValidationError("--scale must be between 1 and 16 (got \(scale))") }
    try Bounds.check("max-steps", maxSteps, Bounds.episodeSteps)
    try Bounds.check("steps", steps, 0...Bounds.episodeSteps.upperBound)
    if let screenshot, !screenshot.lowercased().hasSuffix(".png") { throw ValidationError("--screenshot must name a .png file") }
  }

  func run() throws {
    guard viewerIsAvailable else { throw ViewerError(viewerUnavailableMessage) }
    let files = try project.files()
    let variant = try EnvironmentRegistry(files: files).load(env.id)
    let preset = try agent.preset(files: files)
    var watcher = Watcher(options: SessionOptions(environmentID: variant.id.description, seed: seed, fps: fps, scale: scale,
                                                  scriptedSteps: steps ?? (screenshot != nil ? 0 : nil)),
                          title: "arcade watch \(variant.id) · \(preset.name)", screenshot: screenshot, overlay: overlay)
    let line = try preset.accept(&watcher, game: variant.makeGame(), maxEpisodeSteps: maxSteps ?? variant.maxEpisodeSteps)
    print(line)
  }
}

/// Runs the agent in a window; in a scripted run, saves what the window shows of the game.
struct Watcher: AgentVisitor {
  let options: SessionOptions
  let title: String
  let screenshot: String?
  let overlay: Bool

  mutating func visit<E: Environment & Renderable, A: Agent>(environment: inout E, agent: inout A) throws -> String
    where A.Observation == E.Observation {
    var display = try Window(title: title)
    var player = agent
    let result = try Session.run(environment: &environment, display: &display, options: options,
                             beginEpisode: { player.beginEpisode(seed: $0) },
                             policy: { observation, _ in player.action(for: observation) },
                             decorate: { frame in if overlay { PlanOverlay.draw(&player, on: &frame) } })
    if let screenshot, let frame = result.lastFrame {
      let shot = try display.screenshot(width: frame.width * options.scale, height: frame.height * options.scale)
      try AtomicFile.write(Data(shot.pngData()), to: URL(fileURLWithPath: screenshot))
      return "wrote \(screenshot): the window after \(result.steps) steps (\(shot.width)×\(shot.height) px, SDL driver \(display.driver))"
    }
    if options.scriptedSteps != nil { return "\(options.environmentID): \(result.steps) steps (scripted)" }
    let rate = "\(Summary.fixed(result.measuredFPS, 1)) fps (asked \(Summary.fixed(options.fps, 0)))"
    return "\(options.environmentID): \(result.steps) steps, \(result.framesShown) frames at \(rate)"
  }
}
