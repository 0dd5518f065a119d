import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Foundation

struct AgentBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "agent",
    abstract: "Actions per second of an agent over evaluation episodes: its own thinking and the game's steps, one thread.",
    discussion: """
      Plays the episodes `arcade rollout` plays (same seeds) and times them whole; `actionsPerSecond` is steps over \
      wall seconds. Build with `swift build -c release` for meaningful numbers.
      """)

  @OptionGroup var agent: AgentOption<TrackerAgentDefault>
  @OptionGroup var env: DefaultedEnvironmentOption<StandardBreakout>
  @Option(help: "Number of episodes.") var episodes = 3
  @Option(help: "Seed of the run.") var seed: UInt64 = 0
  @Option(help: "Step cap per episode (default: the variant file's maxEpisodeSteps).") var maxSteps: Int?
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1 (got \(episodes))") }
    if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1 (got \(maxSteps))") }
  }

  func run() throws {
    let files = try project.files()
    let variant = try EnvironmentRegistry(files: files).load(env.id)
    let preset = try agent.preset(files: files)
    var visitor = EpisodesVisitor(seeds: (0..<episodes).map { SplitMix64.derive(seed, UInt64($0)) })
    var records: [EpisodeRecord] = []
    let seconds = try ContinuousClock().measure {
      records = try preset.accept(&visitor, game: variant.makeGame(), maxEpisodeSteps: maxSteps ?? variant.maxEpisodeSteps)
    }.inSeconds
    let steps = records.reduce(0) { $0 + $1.length }
    try printJSONLine(Line(agent: preset.name, env: variant.id.description, episodes: episodes, steps: steps, seconds: seconds,
                           actionsPerSecond: Double(steps) / seconds, meanReturn: Summary(records.map(\.totalReward)).mean))
  }

  /// What `bench agent` prints.
  struct Line: Encodable {
    var agent: String, env: String
    var episodes: Int, steps: Int
    var seconds: Double, actionsPerSecond: Double, meanReturn: Double
  }
}
