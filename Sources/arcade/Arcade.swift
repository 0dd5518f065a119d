import ArgumentParser
import Foundation
import Experiments
import NeuralNetworks

@main
struct Arcade: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "arcade",
    abstract: "SchemaArcade: Breakout variants for zero-shot transfer and the masked-prior platformer, headless and fast.",
    discussion: "Run `arcade transfer` for the main job: a zero-shot evaluation report of every agent on every variant.",
    version: SoftwareVersions.arcade,
    subcommands: [ListCommand.self, RolloutCommand.self, RenderCommand.self, BenchCommand.self, TransferCommand.self,
                  SolveCommand.self, ReplayCommand.self, TrainCommand.self,
                  RecordCommand.self, PlayCommand.self, WatchCommand.self, ReportCommand.self])

  /// Refuses an `ARCADE_MATRIX_KERNEL` that cannot be followed before any command runs.
  static func main() {
    if let problem = matrixKernelRequestProblem {
      FileHandle.standardError.write(Data("Error: \(problem)\n".utf8))
      Foundation.exit(2)
    }
    main(nil)
  }
}

/// Options every command that reads project files shares.
struct ProjectOptions: ParsableArguments {
  @Option(name: .customLong("root"), help: "The project folder holding envs/, agents/ and configs/ (default: found from the current directory).")
  var root: String?

  func files() throws -> ProjectFiles {
    if let root {
      let files = ProjectFiles(root: .init(fileURLWithPath: root))
      guard FileManager.default.fileExists(atPath: files.envs.path) else { throw ConfigurationError("--root \(root) has no envs/ folder") }
      return files
    }
    return try ProjectFiles.locate()
  }
}

/// A JSON object written one key at a time, in order (JSONEncoder does not keep key order).
struct JSONLine {
  private var parts: [String] = []

  mutating func add(_ key: String, _ value: String) { parts.append("\"\(key)\":\"\(Self.escape(value))\"") }
  mutating func add(_ key: String, _ value: Int) { parts.append("\"\(key)\":\(value)") }
  mutating func add(_ key: String, _ value: UInt64) { parts.append("\"\(key)\":\(value)") }
  mutating func add(_ key: String, _ value: Double) { parts.append("\"\(key)\":\(value.isFinite ? "\(value)" : "null")") }
  mutating func add(_ key: String, _ value: Bool) { parts.append("\"\(key)\":\(value)") }

  var text: String { "{" + parts.joined(separator: ",") + "}" }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
  }
}
