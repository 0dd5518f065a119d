import Agents
import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Foundation

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a DQN preset on one environment into a run folder (weights, checkpoint, learning curve).",
    discussion: """
      Writes runs/NAME/run.json, weights.bin, checkpoint.bin (every --checkpoint-every steps, at the next episode \
      end, written atomically), curve.csv and curve.svg. --resume continues a run to --steps total; resuming from \
      a periodic checkpoint is exact. Play the result with `arcade rollout --agent runs/NAME`.
      """)

  @Option(help: "A dqn preset (agents/dqn.yaml, agents/dqn-small.yaml, or a name).") var agent = "dqn-small"
  @Option(help: "Environment id to train on.") var env = "breakout/small"
  @Option(help: "Total environment steps of training (default: the preset's trainingSteps).") var steps: Int?
  @Option(help: "Run folder (default: runs/<agent>-<env variant>).") var out: String?
  @Option(help: "Continue the run in this folder (its run.json gives the agent and environment).") var resume: String?
  @Option(help: "Seed of the run.") var seed: UInt64 = 0
  @Option(help: "Checkpoint about every this many steps.") var checkpointEvery = 25_000
  @Option(help: "Threads for the network's matrix products (results are identical for any count).")
  var threads = ProcessInfo.processInfo.activeProcessorCount
  @Flag(help: "Store the replay buffer in checkpoints (large; needed for an exact resume).") var saveReplay = false
  @Flag(help: "No progress bar.") var quiet = false
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    if let steps, steps < 1 { throw ValidationError("--steps must be at least 1 (got \(steps))") }
    guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256 (got \(threads))") }
    guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every must be at least 1 (got \(checkpointEvery))") }
  }

  func run() throws {
    let files = try project.files()
    let registry = try EnvironmentRegistry(files: files)
    var preset: AgentPreset, variant: VariantFile, folder: URL, runSeed = seed
    if let resume {
      folder = files.resolve(resume)
      let run = try DQNRunFolder(folder, files: files)
      preset = try AgentPreset(resume, files: files)
      variant = try registry.load(run.info.environment)
      runSeed = run.info.seed
    } else {
      preset = try AgentPreset(agent, files: files)
      variant = try registry.load(env)
      folder = out.map { URL(fileURLWithPath: $0) } ?? files.root.appendingPathComponent("runs/\(preset.name)-\(variant.id.variant)")
      if FileManager.default.fileExists(atPath: folder.appendingPathComponent(DQNRunFolder.infoFile).path) {
        throw ConfigurationError("\(files.display(folder)) already holds a run: --resume it or choose another --out")
      }
    }
    let steps = steps ?? preset.dqn.trainingSteps
    let progress = ProgressBar(total: steps, label: "train \(preset.name) on \(variant.id)", unit: "steps", enabled: !quiet)
    let run = try DQNTraining.train(preset: preset, variant: variant, steps: steps, seed: runSeed, folder: folder, files: files,
                                    checkpointEvery: checkpointEvery, saveReplay: saveReplay, resume: resume != nil, threads: threads,
                                    progress: progress)
    let text = String(decoding: (try? files.read(run.curve)) ?? Data(), as: UTF8.self)
    let recent = LearningCurve(title: "", points: LearningCurve.points(fromCSV: text) ?? []).recentMean(window: 100)
    print("trained \(run.info.trainedSteps) steps (\(run.info.episodes) episodes) on \(run.info.environment) into \(files.display(folder))/;"
          + " mean return of the last 100 training episodes \(Summary.fixed(recent, 2))")
  }
}
