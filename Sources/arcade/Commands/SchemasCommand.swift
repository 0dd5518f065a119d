import ArgumentParser

struct SchemasCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schemas", abstract: "Look inside a trained schema agent: its rules, and how well they predict a game.",
    subcommands: [SchemasShowCommand.self, SchemasCheckCommand.self])
}
