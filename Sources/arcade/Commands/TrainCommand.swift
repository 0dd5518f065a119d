import Agents
import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Foundation

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a learning agent's preset on one environment into a run folder (what it learned, a checkpoint, the curve).",
    discussion: """
      Writes runs/NAME/run.json, weights.bin, checkpoint.bin (every --checkpoint-every steps, at the next episode \
      end, written atomically), curve.csv and curve.svg; run.json is there from the start and records the command. \
      --resume continues a run to --steps total, or else to the total it was first asked for; resuming from a \
      periodic checkpoint is exact. Play the result with `arcade rollout --agent runs/NAME`.
      """)

  @OptionGroup var agent: AgentOption<DQNSmallAgentDefault>
  @OptionGroup var env: DefaultedEnvironmentOption<SmallBreakout>
  @Option(parsing: .unconditional, help: "Total environment steps of training (default: the preset's trainingSteps).") var steps: Int?
  @Option(help: "Run folder (default: runs/<agent>-<env variant>).") var out: String?
  @Option(help: "Continue the run in this folder (its run.json gives the agent and environment).") var resume: String?
  @Option(parsing: .unconditional, help: "Seed of the run.") var seed: UInt64 = 0
  @Option(parsing: .unconditional, help: "Checkpoint about every this many steps.") var checkpointEvery = 25_000
  @OptionGroup var threads: ThreadsOption<AllCores>
  @Flag(help: "Store the replay buffer in checkpoints (large; needed for an exact resume).") var saveReplay = false
  @Flag(help: "No progress bar.") var quiet = false
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    try Bounds.check("steps", steps, Bounds.trainingSteps)
    try Bounds.check("checkpoint-every", checkpointEvery, Bounds.trainingSteps)
  }

  func run() throws {
    let files = try project.files()
    let registry = try EnvironmentRegistry(files: files)
    var preset: AgentPreset, variant: VariantFile, folder: URL, runSeed = seed, askedSteps = steps
    var command = (["arcade"] + CommandLine.arguments.dropFirst().map(Self.quoted)).joined(separator: " ")
    if let resume {
      folder = files.resolve(resume)
      let run = try Learners.loadRun(folder, files: files)
      try Self.checkNoConflict("agent", given: agent.name, recorded: run.header.agent)
      try Self.checkNoConflict("env", given: env.id.description, recorded: run.header.environment)
      preset = run.resumingPreset
      variant = try registry.load(run.header.environment)
      runSeed = run.header.seed
      askedSteps = steps ?? run.header.targetSteps
      command = run.header.command ?? command
    } else {
      preset = try agent.preset(files: files)
      variant = try registry.load(env.id)
      folder = out.map { URL(fileURLWithPath: $0) } ?? files.root.appendingPathComponent("runs/\(preset.name)-\(variant.id.variant)")
      if Learners.isRun(folder) {
        throw ConfigurationError("\(files.display(folder)) already holds a run: --resume it or choose another --out")
      }
      try OutputFolder.prepare(folder)
    }
    let steps = askedSteps ?? preset.trainingSteps
    let progress = ProgressBar(total: steps, label: "train \(preset.name) on \(variant.id)", unit: "steps", enabled: !quiet)
    let run = try Learners.train(TrainingRequest(
      preset: preset, variant: variant, steps: steps, seed: runSeed, folder: folder, files: files, resume: resume != nil,
      checkpointEvery: checkpointEvery, saveReplay: saveReplay, threads: threads.count, command: command, progress: progress))
    let text = String(decoding: (try? files.read(folder.appendingPathComponent(RunFiles.curveCSV))) ?? Data(), as: UTF8.self)
    let recent = LearningCurve(title: "", points: LearningCurve.points(fromCSV: text) ?? []).recentMean(window: 100)
    print("trained \(run.header.trainedSteps) steps on \(run.header.environment) into \(files.display(folder))/;"
          + " mean return of the last 100 training episodes \(Summary.fixed(recent, 2))")
  }

  /// A resumed run keeps the agent and environment it recorded: `--NAME` given with another value is an error.
  static func checkNoConflict(_ name: String, given: String, recorded: String) throws {
    let typed = CommandLine.arguments.contains { $0 == "--\(name)" || $0.hasPrefix("--\(name)=") }
    guard !typed || given == recorded || given.hasSuffix("/\(recorded)") else {
      throw ConfigurationError("--\(name) \(given) conflicts with --resume: the run was trained with \(name) '\(recorded)'"
                               + " and keeps it (leave --\(name) out)")
    }
  }

  /// `argument` as a shell would need it typed.
  static func quoted(_ argument: String) -> String {
    argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+".contains($0) } && !argument.isEmpty ? argument
      : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
