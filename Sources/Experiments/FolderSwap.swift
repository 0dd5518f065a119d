import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Replaces a folder's contents as one step: its new files are written into a staging folder beside it, which
/// then trades places with it (`renameat2` with `RENAME_EXCHANGE`), so a reader or a kill sees either the old
/// set of files or the new one, never a mix.
public enum FolderSwap {
  /// A fresh staging folder for `folder`: `.<name>.tmp-<pid>` beside it.
  public static func staging(for folder: URL) throws -> URL {
    let staging = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).tmp-\(getpid())")
    try? FileManager.default.removeItem(at: staging)
    do { try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true) } catch {
      throw ConfigurationError("cannot create \(staging.path): \(OutputFolder.reason(error))")
    }
    return staging
  }

  /// Puts `staging` in the place of `folder`. Entries of the old folder that the new one lacks (files the
  /// command did not write this time) are moved into it afterwards, so nothing of the user's is lost.
  public static func commit(_ staging: URL, to folder: URL) throws {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
      guard rename(staging.path, folder.path) == 0 else { throw failure(folder) }
      return
    }
    if exchange(staging.path, folder.path) != 0 {
      // No RENAME_EXCHANGE (old kernel, some file systems): two renames, with a short window between them.
      let old = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).old.tmp-\(getpid())")
      guard rename(folder.path, old.path) == 0 else { throw failure(folder) }
      guard rename(staging.path, folder.path) == 0 else { _ = rename(old.path, folder.path); throw failure(folder) }
      _ = rename(old.path, staging.path)
    }
    let kept = Set((try? manager.contentsOfDirectory(atPath: folder.path)) ?? [])
    for name in (try? manager.contentsOfDirectory(atPath: staging.path)) ?? [] where !kept.contains(name) {
      try? manager.moveItem(at: staging.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
    try? manager.removeItem(at: staging)
  }

  private static func failure(_ folder: URL) -> ConfigurationError {
    ConfigurationError("cannot write \(folder.path): \(String(cString: strerror(errno)))")
  }

  private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
  /// glibc's `renameat2`, looked up at run time (the Swift Glibc module does not declare it).
  private static let renameat2: RenameAt2? = dlsym(nil, "renameat2").map { unsafeBitCast($0, to: RenameAt2.self) }

  /// Atomically exchanges two existing paths; -1 when the system cannot.
  static func exchange(_ a: String, _ b: String) -> Int32 {
    guard let renameat2 else { return -1 }
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, 2)  // RENAME_EXCHANGE
  }
}
