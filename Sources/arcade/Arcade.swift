import ArgumentParser
import Experiments
import Foundation
import NeuralNetworks

@main
struct Arcade: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arcade",
    abstract: "SchemaArcade: Breakout variants for zero-shot transfer and the masked-prior platformer, headless and fast.",
    discussion: "Run `arcade transfer` for the main job: a zero-shot evaluation report of every agent on every variant.",
    version: SoftwareVersions.arcade,
    groupedSubcommands: [
      CommandGroup(name: "Play and evaluate", subcommands: [
        ListCommand.self, RolloutCommand.self, TransferCommand.self, TrainCommand.self, SchemasCommand.self, ReportCommand.self,
        StudyCommand.self,
      ]),
      CommandGroup(name: "Look", subcommands: [RenderCommand.self, RecordCommand.self, WatchCommand.self, PlayCommand.self]),
      CommandGroup(name: "Platformer", subcommands: [SolveCommand.self, ReplayCommand.self]),
      CommandGroup(name: "Measure", subcommands: [BenchCommand.self]),
      CommandGroup(name: "On a cluster", subcommands: [SweepCommand.self]),
    ])

  /// Refuses an `ARCADE_MATRIX_KERNEL` that cannot be followed before any command runs.
  static func main() {
    if let problem = matrixKernelRequestProblem {
      FileHandle.standardError.write(Data("Error: \(problem)\n".utf8))
      Foundation.exit(2)
    }
    main(nil)
  }
}
