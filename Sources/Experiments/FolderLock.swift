import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a run or report folder: `flock` on `.<name>.lock` beside it, which holds the owner's
/// pid. Two commands writing the same folder would otherwise overwrite each other's files silently. The lock
/// lasts until the process exits (the kernel drops it even after `kill -9`).
public enum FolderLock {
  nonisolated(unsafe) private static var held: [String: Int32] = [:]
  private static let guardLock = NSLock()

  /// Locks `folder` for this process (again is a no-op), first removing temporary files that killed processes
  /// left in it; throws one line naming the folder and the holder's pid when another process has it.
  public static func acquire(_ folder: URL) throws {
    let folder = folder.standardizedFileURL
    let parent = folder.deletingLastPathComponent()
    let lockPath = parent.appendingPathComponent(".\(folder.lastPathComponent).lock").path
    guardLock.lock()
    defer { guardLock.unlock() }
    guard held[lockPath] == nil else { return }
    try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw ConfigurationError("cannot lock \(folder.path): \(String(cString: strerror(errno)))") }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let holder = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: lockPath))) ?? Data(), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      close(fd)
      throw ConfigurationError("\(folder.path) is in use by another arcade process (pid \(holder.isEmpty ? "unknown" : holder));"
                               + " wait for it to finish or choose another folder")
    }
    let pid = Data("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    held[lockPath] = fd
    StaleTemporaries.remove(in: folder)
    StaleTemporaries.remove(in: parent, prefix: ".\(folder.lastPathComponent).")  // only this folder's staging copies
  }
}

/// Temporary files and folders (`.<name>.tmp-<pid>`) that a killed process left behind.
public enum StaleTemporaries {
  /// Removes the entries of `folder` named `.<name>.tmp-<pid>` (starting with `prefix`) whose process no longer
  /// exists; returns their names.
  @discardableResult
  public static func remove(in folder: URL, prefix: String = ".") -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    var removed: [String] = []
    for name in names where name.hasPrefix(prefix) {
      guard let range = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[range.upperBound...]), pid > 0,
            !isAlive(pid) else { continue }
      if (try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))) != nil { removed.append(name) }
    }
    return removed
  }

  /// Whether a process `pid` exists (one we may not signal still exists).
  static func isAlive(_ pid: Int32) -> Bool { pid == getpid() || kill(pid, 0) == 0 || errno == EPERM }
}
