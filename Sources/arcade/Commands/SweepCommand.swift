import ArgumentParser
import Experiments
import Foundation

struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run a transfer experiment or a prior study as Slurm job arrays: train, evaluate in shards, merge into one report.",
    discussion: """
      Writes into --out: train.sbatch (one task per training run still to train), evaluate.sbatch (one task per \
      shard without a result, after training succeeded), merge.sbatch (after every shard succeeded) and submit.sh; \
      logs go to logs/, shard results to shards/. --submit submits them with sbatch and prints the job ids. Rerunning \
      leaves out finished training runs and shards. The merged report is the one `arcade transfer` (or, for a study \
      configuration, `arcade study priors`) writes.
      """)

  @Argument(help: "Experiment or study configuration.") var config = "configs/breakout-transfer.yaml"
  @Flag(help: "Write Slurm (sbatch) job scripts; the only scheduler so far.") var slurm = false
  @Option(help: "Evaluation shards, the array's size (default: one per cell: agents × variants, or a study's cells).") var array: Int?
  @Option(help: "Slurm partition (default: the cluster's).") var partition: String?
  @Option(help: "Time limit per task, in Slurm's format (minutes, or [D-]HH:MM:SS).") var time = "4:00:00"
  @Option(help: "CPUs per task, passed on as --threads.") var cpus = 2
  @Option(help: "Folder for the scripts, logs and shards (default: runs/sweep-<name>/).") var out: String?
  @Option(help: "Folder for the merged report (default: reports/<name>/).") var report: String?
  @Flag(help: "Submit the jobs with sbatch and print their ids.") var submit = false
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    guard slurm else { throw ValidationError("say which scheduler: --slurm (the only one supported)") }
    if let array, !(1...Shard.maximumCount).contains(array) {
      throw ValidationError("--array must be between 1 and \(Shard.maximumCount) (got \(array))")
    }
    guard (1...256).contains(cpus) else { throw ValidationError("--cpus must be between 1 and 256 (got \(cpus))") }
    guard time.range(of: #"^([0-9]+-)?[0-9]+(:[0-9]{2}){0,2}$"#, options: .regularExpression) != nil else {
      throw ValidationError("--time must be minutes or [D-]HH:MM:SS (got '\(time)')")
    }
    if let partition, partition.isEmpty || partition.contains(where: { $0.isWhitespace || $0 == "'" }) {
      throw ValidationError("--partition '\(partition)' is not a partition name")
    }
  }

  func run() throws {
    let files = try project.files()
    let configURL = files.resolve(config)
    let plan = try Plan(configURL, files: files, array: array)
    let folder = URL(fileURLWithPath: out ?? files.root.appendingPathComponent("runs/sweep-\(plan.name)").path).standardized
    let reportPath = URL(fileURLWithPath: report ?? files.root.appendingPathComponent("reports/\(plan.name)").path).standardized.path
    for path in [folder.path, reportPath] where path.contains(where: \.isWhitespace) {
      throw ConfigurationError("\(path): Slurm's #SBATCH lines cannot hold a path with spaces; choose another folder")
    }
    let shardsFolder = folder.appendingPathComponent("shards")
    let shardsToRun = try (0..<plan.shards).filter { !plan.isFinished(try Shard(index: $0, count: plan.shards), shardsFolder) }
    var sweep = SlurmSweep(
      folder: folder, executable: try Self.executablePath(), root: files.root.standardized.path, configuration: configURL.standardized.path,
      report: reportPath, name: plan.name, trainingRuns: plan.trainingRuns, trainingToRun: plan.trainingToRun,
      shards: plan.shards, shardsToRun: shardsToRun, partition: partition, time: time, cpus: cpus)
    sweep.evaluateCommand = plan.command
    try sweep.write()
    print("Sweep of \(plan.name) in \(files.display(folder))/: \(sweep.trainingToRun.count) of \(plan.trainingRuns) training runs to train, "
          + "\(shardsToRun.count) of \(plan.shards) shards to evaluate (\(plan.cells) cells), then the merge into \(reportPath).")
    guard submit else {
      print("Submit with: \(files.display(folder))/submit.sh")
      return
    }
    fflush(nil)
    try Self.submit(folder.appendingPathComponent("submit.sh"))
  }

  /// Runs submit.sh (sbatch must be on PATH) and relays its "job id" lines.
  private static func submit(_ script: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [script.path]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ConfigurationError("\(script.path) failed (exit \(process.terminationStatus)): is sbatch on PATH and the cluster up?")
    }
  }

  /// This executable's absolute path, which the job scripts call.
  private static func executablePath() throws -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    let argument = CommandLine.arguments[0]
    guard argument.hasPrefix("/") else { throw ConfigurationError("cannot tell where this arcade executable is; run it by its full path") }
    return argument
  }

  /// What a sweep of a transfer experiment or a prior study consists of.
  private struct Plan {
    var name: String, command: String, cells: Int, shards: Int
    var trainingRuns = 0, trainingToRun: [Int] = []
    var isFinished: (Shard, URL) -> Bool

    init(_ url: URL, files: ProjectFiles, array: Int?) throws {
      if PriorStudyConfiguration.describesStudy(String(decoding: try files.read(url), as: UTF8.self)) {
        let study = try PriorStudy(configuration: url, files: files)
        (name, command, cells) = (study.configuration.name, "study priors", study.jobs.count)
        isFinished = { study.finishedShard($0, in: $1) != nil }
      } else {
        let experiment = try TransferExperiment(configuration: url, files: files)
        let tasks = try experiment.trainingTasks()
        (name, command, cells) = (experiment.configuration.name, "transfer", experiment.cellCount)
        (trainingRuns, trainingToRun) = (tasks.count, tasks.indices.filter { !experiment.isFinished(tasks[$0]) })
        isFinished = { experiment.finishedShard($0, in: $1) != nil }
      }
      shards = array ?? max(1, cells)
    }
  }
}
