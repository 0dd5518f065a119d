import ArgumentParser
import Experiments
import Foundation

/// `--root DIR`: the project folder every command that reads envs/, agents/ or configs/ works in.
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
