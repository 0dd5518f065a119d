import Recording
import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments

struct RecordBench: ParsableCommand {
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

  @Option(help: "Environment id.") var env = "breakout/standard"
  @Option(help: "Agent: random, tracker, a preset in agents/, or a .yaml path.") var agent = "tracker"
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
    let variant = try EnvironmentRegistry(files: files).load(env)
    let preset = try AgentPreset(agent, files: files)
    let seeds = (0..<episodes).map { SplitMix64.derive(seed, UInt64($0)) }
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

    var rolloutSeconds = Double.infinity, recordSeconds = Double.infinity
    var frames = 0, gifBytes = 0
    for _ in 0..<repeats {
      var bare = EpisodesVisitor(seeds: seeds)
      let game = variant.makeGame()
      rolloutSeconds = min(rolloutSeconds, seconds(try clock.measure {
        _ = try preset.accept(&bare, game: game, maxEpisodeSteps: maxSteps)
      }))
      var recorder = EpisodeRecorder(seeds: seeds, scale: scale, delay: GIFEncoder.delay(fps: 30), writesGIF: true,
                                     encodesInBackground: threads == 2)
      let again = variant.makeGame()
      recordSeconds = min(recordSeconds, seconds(try clock.measure {
        _ = try preset.accept(&recorder, game: again, maxEpisodeSteps: maxSteps)
        gifBytes = recorder.gif!.data().count
      }))
      frames = recorder.frameCount
    }
    var line = JSONLine()
    line.add("env", variant.id.description)
    line.add("agent", preset.name)
    line.add("episodes", episodes)
    line.add("frames", frames)
    line.add("scale", scale)
    line.add("threads", threads)
    line.add("rolloutSeconds", rolloutSeconds)
    line.add("recordSeconds", recordSeconds)
    line.add("ratio", recordSeconds / rolloutSeconds)
    line.add("microsecondsPerFrame", (recordSeconds - rolloutSeconds) / Double(frames) * 1e6)
    line.add("gifBytes", gifBytes)
    print(line.text)
  }
}
