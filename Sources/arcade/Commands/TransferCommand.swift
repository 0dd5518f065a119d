import ArgumentParser
import Evaluation
import Experiments
import Foundation

struct TransferCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "transfer",
    abstract: "The main job: train agents (if they learn), evaluate them zero-shot on every variant, write the report.",
    discussion: """
      Writes reports/<name>/report.md, results.json and results.csv; a failed run leaves earlier files untouched.
      On a cluster, --shard I/N evaluates one slice of the cells into <out>/shards/ (`arcade report merge` puts the \
      slices together), and --train-only --shard I/N trains one slice of the training runs; `arcade sweep` writes \
      the job scripts that do both.
      """)

  @Argument(help: "Experiment configuration.") var config = "configs/breakout-transfer.yaml"
  @OptionGroup var threads: ThreadsOption<AllCores>
  @Option(help: "Folder for the report (default: reports/<name>/ in the project folder).") var out: String?
  @Flag(help: "No progress bar.") var quiet = false
  @Flag(help: "Attach a GIF of one episode per agent and variant (gifs/ beside the report).") var gifs = false
  @Option(help: ArgumentHelp("Evaluate only slice I of N (0-based): cell k is slice k mod N's; writes <out>/shards/.",
                             valueName: "I/N"))
  var shard: String?
  @Flag(help: "Only train the learning agents' runs (with --shard, slice I of N of them); evaluate nothing.")
  var trainOnly = false
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    if let shard { do { _ = try Shard(parsing: shard) } catch let error as ConfigurationError { throw ValidationError(error.message) } }
    if gifs && (shard != nil || trainOnly) { throw ValidationError("--gifs records the whole report: run it unsharded") }
  }

  func run() throws {
    let files = try project.files()
    var experiment = try TransferExperiment(configuration: files.resolve(config), files: files)
    let slice = try shard.map(Shard.init(parsing:))
    let c = experiment.configuration
    let folder = out.map { URL(fileURLWithPath: $0) } ?? files.root.appendingPathComponent("reports/\(c.name)")
    if trainOnly { return try train(experiment, slice: slice, files: files) }
    // Shards run side by side into one shards/ folder, each writing only its own file: no folder lock for them.
    if let slice { return try evaluate(&experiment, slice: slice, shards: folder.appendingPathComponent("shards"), files: files) }
    try OutputFolder.prepare(folder)
    try FolderLock.acquire(folder)
    try experiment.trainAgents(quiet: quiet, threads: threads.count)
    let progress = ProgressBar(total: experiment.totalEpisodes(), label: c.name, enabled: !quiet)
    var report = try experiment.run(threads: threads.count, progress: progress)
    if gifs { try experiment.recordGIFs(into: &report, folder: folder) }
    try TransferExperiment.write(report, to: folder)
    print(report.markdown())
    print("Report written to \(files.display(folder))/ (report.md, results.json, results.csv, chart.svg).")
  }

  /// `--train-only`: the training runs of the slice (all of them without `--shard`), skipping finished ones.
  private func train(_ experiment: TransferExperiment, slice: Shard?, files: ProjectFiles) throws {
    let tasks = try experiment.trainingTasks()
    let mine = tasks.indices.filter { slice?.owns($0) ?? true }
    for k in mine {
      let task = tasks[k], name = experiment.agents[task.agent].name
      if experiment.isFinished(task) {
        print("Training run \(k) (\(name), seed \(task.seed)) is finished: \(files.display(task.folder))")
        continue
      }
      try experiment.train(task, quiet: quiet, threads: threads.count)
      print("Trained run \(k) (\(name), seed \(task.seed)): \(files.display(task.folder))")
    }
    if mine.isEmpty { print("Nothing to train\(slice.map { " in slice \($0)" } ?? ""): \(tasks.count) training runs in all.") }
  }

  /// `--shard I/N`: the slice's cells, into `shards/shard-<I>-of-<N>.json`; a slice finished for the same inputs is kept.
  private func evaluate(_ experiment: inout TransferExperiment, slice: Shard, shards: URL, files: ProjectFiles) throws {
    let path = files.display(shards.appendingPathComponent(slice.fileName))
    if experiment.finishedShard(slice, in: shards) != nil {
      print("Shard \(slice) is finished (\(path)); delete the file to run it again.")
      return
    }
    try OutputFolder.prepare(shards)
    try experiment.trainAgents(quiet: quiet, threads: threads.count)
    let c = experiment.configuration
    let progress = ProgressBar(total: experiment.totalEpisodes(shard: slice), label: "\(c.name) shard \(slice)", enabled: !quiet)
    let report = try experiment.run(threads: threads.count, progress: progress, shard: slice)
    try ShardResult(shard: slice, fingerprint: experiment.fingerprint, report: report).write(to: shards.appendingPathComponent(slice.fileName))
    print("Shard \(slice): \(report.cells.count + report.skipped.count) of \(experiment.cellCount) cells, written to \(path).")
    print("When every shard is done: arcade report merge \(files.display(shards))")
  }
}
