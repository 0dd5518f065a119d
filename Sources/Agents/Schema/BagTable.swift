/// Unique bags: sets of row ids, stored once each with how often every target was true or false for them.
///
/// A bag is the rows of one object at one step (its pixels' neighbourhoods), or for a rewarded step the rows of
/// every object that moved or changed. A target holds for the bag when a schema fires on *any* of its rows
/// (multiple-instance learning: Kansky et al. 2017 §3.5).
struct BagTable: Sendable {
  /// Targets counted per bag.
  let targetCount: Int
  /// Bag `i`'s sorted row ids are `members[starts[i] ..< starts[i + 1]]`.
  private(set) var members: [Int32] = []
  private(set) var starts: [Int] = [0]
  /// `positive[i * targetCount + t]`: times bag `i` was seen with target `t` true; `negative`: false.
  private(set) var positive: [UInt32] = []
  private(set) var negative: [UInt32] = []
  private var slots: [Int32] = [Int32](repeating: -1, count: 1024)
  private var hashes: [UInt64] = []

  init(targetCount: Int) { self.targetCount = targetCount }

  var count: Int { hashes.count }

  /// The row ids of bag `i`.
  func rows(of i: Int) -> ArraySlice<Int32> { members[starts[i]..<starts[i + 1]] }

  /// The id of the bag holding exactly `rows` (sorted, without repeats), adding it if new.
  mutating func insert(_ rows: [Int32]) -> Int {
    let h = rows.withUnsafeBufferPointer { b in
      var x: UInt64 = 0x51_7CC1_B727_220A
      for r in b { x = (x ^ UInt64(UInt32(bitPattern: r))) &* 0x9E37_79B9_7F4A_7C15; x ^= x >> 31 }
      return x ^ UInt64(b.count)
    }
    let mask = slots.count - 1
    var s = Int(truncatingIfNeeded: h) & mask
    while true {
      let id = slots[s]
      if id < 0 { break }
      if hashes[Int(id)] == h && rows.elementsEqual(self.rows(of: Int(id))) { return Int(id) }
      s = (s + 1) & mask
    }
    let id = count
    members += rows
    starts.append(members.count)
    hashes.append(h)
    positive += [UInt32](repeating: 0, count: targetCount)
    negative += [UInt32](repeating: 0, count: targetCount)
    slots[s] = Int32(id)
    if count * 2 > slots.count { rehash() }
    return id
  }

  /// Counts one sighting of bag `bag` with target `target` true or false.
  mutating func count(_ bag: Int, target: Int, _ value: Bool) {
    if value { positive[bag * targetCount + target] += 1 } else { negative[bag * targetCount + target] += 1 }
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
}
