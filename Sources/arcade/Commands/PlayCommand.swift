import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Foundation
import Viewer

struct PlayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "play",
    abstract: "Play a game yourself in a window (needs the SDL build: swift build --traits SDL).",
    discussion: """
      Arrows or A/D move left and right, space jumps (fires in games without a jump), W/S or the up and down \
      arrows climb where the game has ladders; P pauses, R restarts the episode, Esc quits. With --log, \
      every episode appends one JSON line (env, episode, seed, steps, return, won, wallSeconds, ending, extra) \
      for `arcade report humans`.
      """)

  @OptionGroup var env: EnvironmentOption
  @Option(parsing: .unconditional, help: "Steps per second (the game's speed).") var fps = 30.0
  @Option(parsing: .unconditional, help: "Window pixels per game pixel.") var scale = 4
  @Option(parsing: .unconditional, help: "Seed of the session (episode i is reset with a seed derived from it).") var seed: UInt64 = 0
  @Option(help: "Append one JSON line per episode to this file.") var log: String?
  @Option(parsing: .unconditional, help: "Step cap per episode (default: the variant file's maxEpisodeSteps).") var maxSteps: Int?
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    guard fps >= 1 && fps <= 240 else { throw ValidationError("--fps must be between 1 and 240 (got \(fps))") }
    guard (1...16).contains(scale) else { throw ValidationError("--scale must be between 1 and 16 (got \(scale))") }
    try Bounds.check("max-steps", maxSteps, Bounds.episodeSteps)
  }

  func run() throws {
    guard viewerIsAvailable else { throw ViewerError(viewerUnavailableMessage) }
    let files = try project.files()
    let variant = try EnvironmentRegistry(files: files).load(env.id)
    let logURL = log.map { URL(fileURLWithPath: $0) }
    try play(variant.makeGame(), id: variant.id.description, maxSteps: maxSteps ?? variant.maxEpisodeSteps, log: logURL)
  }

  private func play<G: Game>(_ game: G, id: String, maxSteps: Int, log: URL?) throws {
    var environment = TimeLimit(GameEnvironment(game: game, form: NoObservation()), maxEpisodeSteps: maxSteps)
    let mapper = ActionMapper(actionNames: game.actionNames)
    var display = try Window(title: "arcade play \(id)")
    var failure: (any Error)?
    var played = 0, won = 0
    let result = try Session.run(
      environment: &environment, display: &display,
      options: SessionOptions(environmentID: id, seed: seed, fps: fps, scale: scale, allowsSpeedChange: false),
      beginEpisode: { _ in }, policy: { _, held in mapper.action(held: held) },
      episodeEnded: { summary in
        played += 1
        // For now a positive return counts as a win; the prior games will say so themselves.
        let isWin = summary.totalReturn > 0
        if isWin { won += 1 }
        guard let log, failure == nil else { return }
        do {
          try HumanEpisode(env: id, episode: summary.episode, seed: summary.seed, steps: summary.steps,
                           totalReturn: summary.totalReturn, won: isWin, wallSeconds: summary.wallSeconds,
                           ending: summary.ending.rawValue, extra: summary.measures).append(to: log)
        } catch { failure = error }
      })
    if let failure { throw failure }
    let logged = log.map { ", logged to \($0.path)" } ?? ""
    let rate = Summary.fixed(result.measuredFPS, 1)
    print("\(id): \(played) episode\(played == 1 ? "" : "s"), \(won) won, \(result.steps) steps at \(rate) fps\(logged)")
  }
}
