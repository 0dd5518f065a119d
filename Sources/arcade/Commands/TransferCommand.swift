import ArgumentParser
import Evaluation
import Experiments
import Foundation

struct TransferCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "transfer",
    abstract: "The main job: train agents (if they learn), evaluate them zero-shot on every variant, write the report.",
    discussion: "Writes reports/<name>/report.md, results.json and results.csv; a failed run leaves earlier files untouched.")

  @Argument(help: "Experiment configuration.") var config = "configs/breakout-transfer.yaml"
  @OptionGroup var threads: ThreadsOption<AllCores>
  @Option(help: "Folder for the report (default: reports/<name>/ in the project folder).") var out: String?
  @Flag(help: "No progress bar.") var quiet = false
  @Flag(help: "Attach a GIF of one episode per agent and variant (gifs/ beside the report).") var gifs = false
  @OptionGroup var project: ProjectOptions

  func run() throws {
    let files = try project.files()
    var experiment = try TransferExperiment(configuration: files.resolve(config), files: files)
    let c = experiment.configuration
    let folder = out.map { URL(fileURLWithPath: $0) } ?? files.root.appendingPathComponent("reports/\(c.name)")
    try OutputFolder.prepare(folder)
    try FolderLock.acquire(folder)
    try experiment.trainAgents(quiet: quiet, threads: threads.count)
    let progress = ProgressBar(total: experiment.totalEpisodes, label: c.name, enabled: !quiet)
    var report = try experiment.run(threads: threads.count, progress: progress)
    if gifs { try experiment.recordGIFs(into: &report, folder: folder) }
    try TransferExperiment.write(report, to: folder)
    print(report.markdown())
    print("Report written to \(files.display(folder))/ (report.md, results.json, results.csv, chart.svg).")
  }
}
