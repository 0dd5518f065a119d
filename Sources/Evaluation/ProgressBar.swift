import Foundation

/// A progress line on standard error: done/total, rate, ETA. Redrawn in place on a terminal; on a pipe
/// (CI logs) it prints a line at every tenth of the way instead.
public final class ProgressBar: @unchecked Sendable {
  private let total: Int
  private let label: String
  private let unit: String
  private let start = Date()
  private let lock = NSLock()
  private var done = 0
  private var lastDraw = Date.distantPast
  private var lastDecile = -1
  private let isTerminal = isatty(STDERR_FILENO) != 0
  private let isEnabled: Bool
  private var detailText = ""

  /// Extra text shown after the rate (e.g. ε and the recent return while training).
  public var detail: String {
    get { lock.lock(); defer { lock.unlock() }; return detailText }
    set { lock.lock(); detailText = newValue; lock.unlock() }
  }

  public init(total: Int, label: String, unit: String = "episodes", enabled: Bool = true) {
    self.total = max(total, 1)
    self.label = label
    self.unit = unit
    isEnabled = enabled
  }

  /// Records `count` more units done.
  public func advance(by count: Int = 1) {
    lock.lock()
    defer { lock.unlock() }
    done += count
    guard isEnabled else { return }
    let now = Date()
    if isTerminal {
      if done == total || now.timeIntervalSince(lastDraw) > 0.1 {
        lastDraw = now
        write("\r\(line(now))\u{1B}[K")
      }
    } else {
      let decile = done * 10 / total
      if decile != lastDecile {
        lastDecile = decile
        write(line(now) + "\n")
      }
    }
  }

  /// Ends the line.
  public func finish() {
    lock.lock()
    defer { lock.unlock() }
    if isEnabled && isTerminal { write("\n") }
  }

  private func line(_ now: Date) -> String {
    let elapsed = max(now.timeIntervalSince(start), 1e-9)
    let rate = Double(done) / elapsed
    let remaining = rate > 0 ? Double(total - done) / rate : 0
    let width = 24
    let filled = done * width / total
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let extra = detailText.isEmpty ? "" : "  \(detailText)"
    return "\(label) [\(bar)] \(done)/\(total) \(unit)  \(Summary.fixed(rate, 1))/s\(extra)  ETA \(Self.clock(remaining))"
  }

  static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
  }

  private func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
