import ArgumentParser

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Summaries of logged runs, and merged shards of a transfer run.",
    subcommands: [HumansReportCommand.self, MergeReportCommand.self])
}
