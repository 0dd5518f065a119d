import ArgumentParser
import Evaluation
import Experiments
import Foundation

struct StudyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "study", abstract: "Studies beside published human figures.", subcommands: [StudyPriorsCommand.self])
}

struct StudyPriorsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "priors",
    abstract: "The masked-prior study: exploring agents play platformer variants from scratch until their first win, beside people.",
    discussion: "Writes reports/<name>/report.md, results.json, results.csv and chart.svg; finished cells are kept in cells/ there"
      + " and skipped on a rerun, and a cell that fails is listed without losing the others. --shard I/N plays one slice of the"
      + " cells (cell k is slice k mod N's) into <out>/shards/; `arcade report merge <out>/shards` puts the slices together.")

  @Argument(help: "Study configuration.") var config = "configs/priors-study.yaml"
  @OptionGroup var threads: ThreadsOption<AllCores>
  @Option(help: "Folder for the report (default: reports/<name>/ in the project folder).") var out: String?
  @Flag(help: "No progress bar.") var quiet = false
  @Option(help: ArgumentHelp("Play only slice I of N (0-based): cell k is slice k mod N's; writes <out>/shards/.", valueName: "I/N"))
  var shard: String?
  @OptionGroup var project: ProjectOptions

  func run() throws {
    let files = try project.files()
    let study = try PriorStudy(configuration: files.resolve(config), files: files)
    let c = study.configuration
    let folder = out.map { URL(fileURLWithPath: $0) } ?? files.root.appendingPathComponent("reports/\(c.name)")
    if let shard { return try play(study, slice: Shard(parsing: shard), folder: folder, files: files) }
    try OutputFolder.prepare(folder)
    try FolderLock.acquire(folder)
    let progress = ProgressBar(total: study.jobs.count * c.actionBudget, label: c.name, unit: "actions", enabled: !quiet)
    let report = study.run(folder: folder, threads: threads.count, progress: progress)
    try PriorStudy.write(report, to: folder)
    print(report.markdown())
    print("Report written to \(files.display(folder))/ (report.md, results.json, results.csv, chart.svg).")
    if !report.failures.isEmpty { throw ExitCode(1) }
  }

  /// `--shard I/N`: the slice's cells into `shards/shard-<I>-of-<N>.json`, written only when every cell succeeded
  /// (the cells that did are kept in `cells/`, so a rerun plays only the rest); a finished slice is skipped.
  private func play(_ study: PriorStudy, slice: Shard, folder: URL, files: ProjectFiles) throws {
    let shards = folder.appendingPathComponent("shards")
    let path = files.display(shards.appendingPathComponent(slice.fileName))
    if study.finishedShard(slice, in: shards) != nil {
      print("Shard \(slice) is finished (\(path)); delete the file to run it again.")
      return
    }
    // Shards run side by side, each writing its own cell and shard files: no folder lock for them.
    try OutputFolder.prepare(shards)
    let c = study.configuration
    let progress = ProgressBar(total: study.jobCount(shard: slice) * c.actionBudget, label: "\(c.name) shard \(slice)", unit: "actions",
                               enabled: !quiet)
    let result = study.runShard(slice, folder: folder, threads: threads.count, progress: progress)
    for failure in result.report.failures {
      printError("\(failure.agent) on \(failure.variant), seed \(failure.seed): \(failure.error)")
    }
    guard result.report.failures.isEmpty else {
      printError("Shard \(slice): \(result.report.failures.count) cells failed; no shard result written (rerun to retry them).")
      throw ExitCode(1)
    }
    try result.write(to: shards.appendingPathComponent(slice.fileName))
    print("Shard \(slice): \(result.report.cells.count) of \(study.jobs.count) cells, written to \(path).")
    print("When every shard is done: arcade report merge \(files.display(shards))")
  }
}

private func printError(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
