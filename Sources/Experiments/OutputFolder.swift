import Foundation

/// Output folders are checked before any training or evaluation: a folder that cannot be written should cost
/// one line at the start, not a Foundation error after the work.
public enum OutputFolder {
  /// Creates `url` (and its parents) if missing; throws one line naming the path and the reason when it is a
  /// file, has a name too long for the file system, or cannot be created or written.
  public static func prepare(_ url: URL) throws {
    let path = url.path
    func fail(_ reason: String) -> ConfigurationError { ConfigurationError("output folder \(path): \(reason)") }
    guard !path.isEmpty else { throw fail("is an empty path") }
    // NAME_MAX: temporary names add a prefix and a suffix to the files inside, so the folder's own parts are checked here.
    if let long = url.pathComponents.first(where: { $0.utf8.count > 255 }) {
      throw fail("the name '\(long.prefix(24))…' is \(long.utf8.count) bytes; the file system allows 255")
    }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      guard isFolder.boolValue else { throw fail("is a file, not a folder") }
    } else {
      do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
        throw fail("cannot be created (\(reason(error)))")
      }
    }
    guard access(path, W_OK | X_OK) == 0 else { throw fail("is not writable (\(String(cString: strerror(errno))))") }
  }

  /// The operating system's words for `error` (strerror of its POSIX code) when it has one.
  static func reason(_ error: any Error) -> String {
    let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
    if let code = underlying?.domain == NSPOSIXErrorDomain ? underlying?.code : nil { return String(cString: strerror(Int32(code))) }
    if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    return (error as NSError).localizedDescription
  }
}
