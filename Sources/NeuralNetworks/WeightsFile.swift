import Foundation

/// Reading and writing ``WeightsFormat`` files; the module's only use of Foundation.
public enum WeightsFile {
  /// Writes `bytes` to `path` atomically: a temporary file in the same folder, then `rename`, so a reader
  /// never sees a half-written file.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    do {
      try Data(bytes).write(to: temporary)
      guard rename(temporary.path, url.path) == 0 else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
  }

  /// The bytes of the file at `path`.
  public static func read(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  }
}

extension Sequential {
  /// Saves the parameters to `path` atomically.
  public func saveWeights(to path: String) throws { try WeightsFile.write(encodedWeights(), to: path) }

  /// Loads parameters saved by ``saveWeights(to:)``; a corrupt or mismatched file throws a ``WeightsError``.
  public func loadWeights(from path: String) throws { try loadWeights(WeightsFile.read(path)) }
}
