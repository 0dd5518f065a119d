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
      + " and skipped on a rerun, and a cell that fails is listed without losing the others.")

  @Argument(help: "Study configuration.") var config = "configs/priors-study.yaml"
  @OptionGroup var threads: ThreadsOption<AllCores>
  @Option(help: "Folder for the report (default: reports/<name>/ in the project folder).") var out: String?
  @Flag(help: "No progress bar.") var quiet = false
  @OptionGroup var project: ProjectOptions

  func run() throws {
    let files = try project.files()
    let study = try PriorStudy(configuration: files.resolve(config), files: files)
    let c = study.configuration
    let folder = out.map { URL(fileURLWithPath: $0) } ?? files.root.appendingPathComponent("reports/\(c.name)")
    let progress = ProgressBar(total: study.jobs.count * c.actionBudget, label: c.name, unit: "actions", enabled: !quiet)
    let report = study.run(folder: folder, threads: threads.count, progress: progress)
    try PriorStudy.write(report, to: folder)
    print(report.markdown())
    print("Report written to \(files.display(folder))/ (report.md, results.json, results.csv, chart.svg).")
    if !report.failures.isEmpty { throw ExitCode(1) }
  }
}
