import ArgumentParser

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Benchmarks; each prints one JSON line.",
    subcommands: [EnvironmentBenchCommand.self, AgentBenchCommand.self, RecordBenchCommand.self, NeuralBenchCommand.self])
}
