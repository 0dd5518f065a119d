import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Recording

struct RecordBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record",
    abstract: "What recording a GIF costs: the same episodes played bare and recorded.",
    discussion: """
      Plays the episodes `arcade rollout` plays (same agent, observation and seeds), then the same episodes \
      as `arcade record` does, keeping the GIF in memory: encoded on a second thread (`--threads 2`, what \
      `arcade record` does on a machine with more cores than one) or between the steps (`--threads 1`). Each \
      is timed `--repeats` times and the best kept; `ratio` is recordSeconds / rolloutSeconds, \
      `microsecondsPerFrame` the extra time per recorded frame. \
      Build with `swift build -c release` for meaningful numbers.
      """)

  @OptionGroup var env: DefaultedEnvironmentOption<StandardBreakout>
  @OptionGroup var agent: AgentOption<TrackerAgentDefault>
  @Option(help: "Number of episodes.") var episodes = 5
  @Option(help: "Step cap per episode.") var maxSteps = 5_000
  @Option(help: "Enlarge each pixel to a scale × scale block.") var scale = 1
  @Option(help: "1: encode between the steps; 2: encode on a second thread.") var threads = 2
  @Option(help: "Timed runs of each; the fastest counts.") var repeats = 5
  @Option(help: "Seed of the run.") var seed: UInt64 = 0
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1 (got \(episodes))") }
    guard maxSteps >= 1 else { throw ValidationError("--max-steps must be at least 1 (got \(maxSteps))") }
    guard (1...16).contains(scale) else { throw ValidationError("--scale must be between 1 and 16 (got \(scale))") }
    guard (1...2).contains(threads) else { throw ValidationError("--threads must be 1 or 2 (got \(threads))") }
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1 (got \(repeats))") }
  }

  func run() throws {
    let files = try project.files()
    let variant = try EnvironmentRegistry(files: files).load(env.id)
    let preset = try agent.preset(files: files)
    let seeds = (0..<episodes).map { SplitMix64.derive(seed, UInt64($0)) }
    let clock = ContinuousClock()

    var rolloutSeconds = Double.infinity, recordSeconds = Double.infinity
    var frames = 0, gifBytes = 0
    for _ in 0..<repeats {
      var bare = EpisodesVisitor(seeds: seeds)
      let game = variant.makeGame()
      rolloutSeconds = min(rolloutSeconds, try clock.measure {
        _ = try preset.accept(&bare, game: game, maxEpisodeSteps: maxSteps)
      }.inSeconds)
      var recorder = EpisodeRecorder(seeds: seeds, scale: scale, delay: GIFEncoder.delay(fps: 30), writesGIF: true,
                                     encodesInBackground: threads == 2)
      let again = variant.makeGame()
      recordSeconds = min(recordSeconds, try clock.measure {
        _ = try preset.accept(&recorder, game: again, maxEpisodeSteps: maxSteps)
        gifBytes = recorder.gif?.data().count ?? 0
      }.inSeconds)
      frames = recorder.frameCount
    }
    try printJSONLine(Line(env: variant.id.description, agent: preset.name, episodes: episodes, frames: frames, scale: scale,
                           threads: threads, rolloutSeconds: rolloutSeconds, recordSeconds: recordSeconds,
                           ratio: recordSeconds / rolloutSeconds,
                           microsecondsPerFrame: (recordSeconds - rolloutSeconds) / Double(frames) * 1e6, gifBytes: gifBytes))
  }

  /// What `bench record` prints.
  struct Line: Encodable {
    var env: String, agent: String
    var episodes: Int, frames: Int, scale: Int, threads: Int
    var rolloutSeconds: Double, recordSeconds: Double, ratio: Double, microsecondsPerFrame: Double
    var gifBytes: Int
  }
}
