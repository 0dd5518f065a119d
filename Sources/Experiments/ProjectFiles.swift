import Foundation

/// Where the project's data lives: the folder holding `envs/`, `agents/` and `configs/`.
///
/// Found from `ARCADE_ROOT`, else by walking up from the current directory, else up from the executable
/// (so `swift run` and `.build/release/arcade` work from anywhere inside the checkout).
public struct ProjectFiles: Sendable {
  public let root: URL

  public init(root: URL) { self.root = root.standardizedFileURL }

  /// The project folder, or an error saying how to point at one.
  public static func locate() throws -> ProjectFiles {
    let manager = FileManager.default
    func isProject(_ url: URL) -> Bool { manager.fileExists(atPath: url.appendingPathComponent("envs").path) }
    if let env = ProcessInfo.processInfo.environment["ARCADE_ROOT"] {
      let url = URL(fileURLWithPath: env)
      guard isProject(url) else { throw ConfigurationError("ARCADE_ROOT=\(env) has no envs/ folder") }
      return ProjectFiles(root: url)
    }
    var starts = [URL(fileURLWithPath: manager.currentDirectoryPath)]
    if let exe = try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      starts.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
    }
    for start in starts {
      var url = start
      while true {
        if isProject(url) { return ProjectFiles(root: url) }
        let parent = url.deletingLastPathComponent()
        if parent.path == url.path { break }
        url = parent
      }
    }
    throw ConfigurationError("cannot find the project folder (one with envs/): run inside the checkout or set ARCADE_ROOT")
  }

  public var envs: URL { root.appendingPathComponent("envs") }

  /// `path` resolved against the current directory, else against the project root.
  public func resolve(_ path: String) -> URL {
    let direct = URL(fileURLWithPath: path)
    if FileManager.default.fileExists(atPath: direct.path) { return direct }
    return root.appendingPathComponent(path)
  }

  /// `path` relative to the root when it lies inside it (for messages and reports).
  public func display(_ url: URL) -> String {
    let p = url.standardizedFileURL.path, r = root.path + "/"
    return p.hasPrefix(r) ? String(p.dropFirst(r.count)) : p
  }

  /// The bytes of `url`, or an error naming it.
  public func read(_ url: URL) throws -> Data {
    do { return try Data(contentsOf: url) } catch {
      let reason = FileManager.default.fileExists(atPath: url.path) ? "unreadable" : "no such file"
      throw ConfigurationError(file: display(url), "cannot be read (\(reason))")
    }
  }
}

/// Writes files whole or not at all: into a temporary file beside the target, then renamed over it.
public enum AtomicFile {
  public static func write(_ data: Data, to url: URL) throws {
    let manager = FileManager.default
    try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    do {
      try data.write(to: temporary)
      if rename(temporary.path, url.path) != 0 {
        throw ConfigurationError("cannot write \(url.path): \(String(cString: strerror(errno)))")
      }
    } catch {
      try? manager.removeItem(at: temporary)
      if error is ConfigurationError { throw error }
      throw ConfigurationError("cannot write \(url.path): \(error.localizedDescription)")
    }
  }

  public static func write(_ text: String, to url: URL) throws { try write(Data(text.utf8), to: url) }
}
