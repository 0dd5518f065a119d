import EnvironmentCore

/// Unique grounded rows, each stored once in one contiguous buffer (Kansky et al. 2017 §3.1: duplicate rows are
/// merged first; real data is dominated by repeats such as "wall pixel among wall pixels").
struct RowTable: Sendable {
  /// Words per row.
  let width: Int
  /// Row `i` is `words[i * width ..< (i + 1) * width]`.
  private(set) var words: [UInt64] = []
  private var slots: [Int32] = [Int32](repeating: -1, count: 1024)
  private var hashes: [UInt64] = []

  init(width: Int) { self.width = width }

  /// Rows stored.
  var count: Int { hashes.count }

  /// The id of the row `row` (``width`` words), adding it if it is new.
  mutating func insert(_ row: UnsafePointer<UInt64>) -> Int32 {
    let h = Self.hash(row, width)
    let mask = slots.count - 1
    var s = Int(truncatingIfNeeded: h) & mask
    while true {
      let id = slots[s]
      if id < 0 { break }
      if hashes[Int(id)] == h && equals(Int(id), row) { return id }
      s = (s + 1) & mask
    }
    let id = Int32(count)
    words.append(contentsOf: UnsafeBufferPointer(start: row, count: width))
    hashes.append(h)
    slots[s] = id
    if count * 2 > slots.count { rehash() }
    return id
  }

  /// Whether stored row `id` equals `row`.
  private func equals(_ id: Int, _ row: UnsafePointer<UInt64>) -> Bool {
    words.withUnsafeBufferPointer { w in
      let base = id * width
      for i in 0..<width where w[base + i] != row[i] { return false }
      return true
    }
  }

  private mutating func rehash() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    let mask = slots.count - 1
    for (id, h) in hashes.enumerated() {
      var s = Int(truncatingIfNeeded: h) & mask
      while slots[s] >= 0 { s = (s + 1) & mask }
      slots[s] = Int32(id)
    }
  }

  /// Whether row `id` has feature `feature` on.
  @inline(__always)
  func has(_ id: Int, _ feature: Int) -> Bool {
    words[id * width + feature >> 6] & (1 << UInt64(feature & 63)) != 0
  }

  /// A 64-bit hash of `count` words (`seed` picks an independent function).
  @inline(__always)
  static func hash(_ row: UnsafePointer<UInt64>, _ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
    var h = seed
    for i in 0..<count {
      h = (h ^ row[i]) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 29
    }
    return SplitMix64.mix(h &+ UInt64(count))
  }
}
