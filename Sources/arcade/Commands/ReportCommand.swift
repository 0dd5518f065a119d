import ArgumentParser

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Summaries of logged runs.", subcommands: [HumansReportCommand.self])
}
