import Experiments
import Foundation
import Testing

/// The checkout this file lives in: Tests/ExperimentsTests/<file> → ../../
let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The text of a shipped file, e.g. `envs/breakout/standard.yaml`.
func shippedText(_ path: String) throws -> String {
  try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
}

/// A throwaway project folder (envs/, agents/, configs/) under the temporary directory, removed after `body`.
func withTemporaryProject<T>(_ body: (TemporaryProject) throws -> T) throws -> T {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("arcade-experiments-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: root) }
  return try body(TemporaryProject(root: root))
}

struct TemporaryProject {
  let root: URL
  var files: ProjectFiles { ProjectFiles(root: root) }

  /// Writes `text` to `path` (relative to the root), creating folders; returns its URL.
  @discardableResult
  func write(_ path: String, _ text: String) throws -> URL {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return url
  }

  /// Copies shipped variant files (e.g. "standard", "small") into envs/breakout/ unchanged.
  func copyVariants(_ names: [String]) throws {
    for name in names {
      try write("envs/breakout/\(name).yaml", shippedText("envs/breakout/\(name).yaml"))
    }
  }

  func registry() throws -> EnvironmentRegistry { try EnvironmentRegistry(files: files) }
}

/// `text` with the line that sets `key` replaced by `replacement` (nil removes it). Fails the calling test
/// when the key is not set on exactly one line, so an edit to the shipped file cannot silently void a test.
func editing(_ text: String, key: String, to replacement: String?,
             sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
  var lines = text.components(separatedBy: "\n")
  let matches = lines.indices.filter { lines[$0].hasPrefix("\(key):") }
  try #require(matches.count == 1, "expected one line setting '\(key)'", sourceLocation: sourceLocation)
  if let replacement { lines[matches[0]] = replacement } else { lines.remove(at: matches[0]) }
  return lines.joined(separator: "\n")
}

/// The message of the ``ConfigurationError`` that `body` throws; fails the test if it throws nothing or
/// something else.
func configurationError<T>(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T) -> String {
  do {
    _ = try body()
    Issue.record("expected a ConfigurationError, but nothing was thrown", sourceLocation: sourceLocation)
    return ""
  } catch let error as ConfigurationError {
    return error.message
  } catch {
    Issue.record("expected a ConfigurationError, got \(error)", sourceLocation: sourceLocation)
    return ""
  }
}
