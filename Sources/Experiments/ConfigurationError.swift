/// A problem with a project file or a name given on the command line: one line naming the file, the key
/// and the value at fault.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
  public var message: String

  public init(_ message: String) { self.message = message }

  /// An error located in `file`, at `key` (with line number when known).
  public init(file: String, key: String? = nil, line: Int? = nil, _ message: String) {
    var where_ = file
    if let line { where_ += ":\(line)" }
    if let key { where_ += ": key '\(key)'" }
    self.message = "\(where_): \(message)"
  }

  public var description: String { message }
}

/// The candidate closest to `word` by edit distance, if it is plausibly a typo of it.
func nearest(_ word: String, in candidates: [String]) -> String? {
  func distance(_ a: [Character], _ b: [Character]) -> Int {
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in stride(from: 1, through: b.count, by: 1) {
        let current = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].lowercased() == b[j - 1].lowercased() ? 0 : 1))
        previous = current
      }
    }
    return row[b.count]
  }
  let w = Array(word)
  let scored = candidates.map { ($0, distance(w, Array($0))) }.min { $0.1 < $1.1 }
  guard let (best, d) = scored, d <= max(2, word.count / 3) else { return nil }
  return best
}

/// "did you mean 'x'?" or the list of valid names.
func suggestion(for word: String, in candidates: [String]) -> String {
  if let n = nearest(word, in: candidates) { return "did you mean '\(n)'?" }
  return "valid keys: " + candidates.joined(separator: ", ")
}
