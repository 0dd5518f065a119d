/// One target's learning problem, ready for fast queries: the rows that matter (seen in a negative or a
/// positive bag), each row's negative count, the positive bags, and one bitset column per feature that any
/// positive row has (the spec's §7.2 column bitsets), so "which rows contain this conjunction" is an AND of a
/// few columns.
struct TargetProblem {
  /// What a conjunction covers.
  struct Coverage {
    /// Positive examples (bags, weighted by count) with a row the conjunction fires on.
    var truePositives = 0
    /// Negative examples (rows, weighted by count) it fires on.
    var falsePositives = 0
    /// The part of `truePositives` not yet explained by earlier schemas.
    var gain = 0
    /// Systematic negative bags it fires on (see ``TargetProblem/init(rows:bags:target:hardSightings:)``).
    var hardFalsePositives = 0

    var precision: Double { truePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives) }
  }

  let rows: RowTable
  /// Global row id of each local row.
  private(set) var rowIDs: [Int32] = []
  /// Negative count of each local row.
  private(set) var negatives: [Int] = []
  /// Positive bags: local rows (CSR by `bagStarts`) and counts.
  private(set) var bagRows: [Int32] = []
  private(set) var bagStarts: [Int] = [0]
  private(set) var bagCounts: [Int] = []
  /// Positive bags holding each local row (CSR by `rowBagStarts`).
  private var rowBags: [Int32] = []
  private var rowBagStarts: [Int] = []
  /// Systematic negative bags holding each local row (CSR by `rowHardStarts`).
  private var rowHard: [Int32] = []
  private var rowHardStarts: [Int] = []
  private var hardRows: [Int32] = []
  private var hardStarts: [Int] = [0]
  private var hardStamps: [UInt32] = []
  /// Column of each feature (−1: no positive row has it, so no schema can use it).
  private var columnOf: [Int32]
  private var columns: [[UInt64]] = []
  private var columnCounts: [Int] = []
  /// Whether each positive bag is explained by an accepted schema.
  var isCovered: [Bool] = []
  private var stamps: [UInt32] = []
  private var stamp: UInt32 = 0

  /// The problem of target `target` of `bags`. A bag seen at least `hardSightings` times, never with the target,
  /// that shares a row with a positive bag but also has a row no positive bag has, is a *systematic* negative:
  /// its outcome is decided by that row (the paddle's pixel beside a wall, while its inner pixels look as when
  /// it moves), so a likely schema must not fire on it — noise cannot explain it away. A one-row bag is never
  /// systematic, so single-pixel objects keep the full noise tolerance.
  init(rows: RowTable, bags: BagTable, target: Int, hardSightings: Int = .max) {
    self.rows = rows
    columnOf = [Int32](repeating: -1, count: rows.width * 64)
    var local = [Int32](repeating: -1, count: rows.count)
    func localRow(_ id: Int32) -> Int32 {
      if local[Int(id)] < 0 {
        local[Int(id)] = Int32(rowIDs.count)
        rowIDs.append(id)
        negatives.append(0)
      }
      return local[Int(id)]
    }
    let t = bags.targetCount
    var isPositiveRow = [Bool](repeating: false, count: rows.count)
    for b in 0..<bags.count where bags.positive[b * t + target] > 0 { for r in bags.rows(of: b) { isPositiveRow[Int(r)] = true } }
    for b in 0..<bags.count {
      let (pos, neg) = (Int(bags.positive[b * t + target]), Int(bags.negative[b * t + target]))
      if neg > 0 { for r in bags.rows(of: b) { negatives[Int(localRow(r))] += neg } }
      if pos > 0 {
        for r in bags.rows(of: b) { bagRows.append(localRow(r)) }
        bagStarts.append(bagRows.count)
        bagCounts.append(pos)
      } else if neg >= hardSightings && bags.rows(of: b).contains(where: { isPositiveRow[Int($0)] })
                  && bags.rows(of: b).contains(where: { !isPositiveRow[Int($0)] }) {
        for r in bags.rows(of: b) { hardRows.append(localRow(r)) }
        hardStarts.append(hardRows.count)
      }
    }
    finish()
  }

  /// The bags of positive examples, mapped rows and the column bitsets.
  private mutating func finish() {
    let n = rowIDs.count, bagCount = bagCounts.count
    var perRow = [Int](repeating: 0, count: n + 1)
    for r in bagRows { perRow[Int(r) + 1] += 1 }
    for i in 0..<n { perRow[i + 1] += perRow[i] }
    rowBagStarts = perRow
    rowBags = [Int32](repeating: 0, count: bagRows.count)
    var fill = perRow
    for b in 0..<bagCount {
      for k in bagStarts[b]..<bagStarts[b + 1] {
        let r = Int(bagRows[k])
        rowBags[fill[r]] = Int32(b)
        fill[r] += 1
      }
    }
    isCovered = [Bool](repeating: false, count: bagCount)
    stamps = [UInt32](repeating: 0, count: bagCount)
    var perHard = [Int](repeating: 0, count: n + 1)
    for r in hardRows { perHard[Int(r) + 1] += 1 }
    for i in 0..<n { perHard[i + 1] += perHard[i] }
    rowHardStarts = perHard
    rowHard = [Int32](repeating: 0, count: hardRows.count)
    var fillHard = perHard
    for h in 0..<(hardStarts.count - 1) {
      for k in hardStarts[h]..<hardStarts[h + 1] {
        let r = Int(hardRows[k])
        rowHard[fillHard[r]] = Int32(h)
        fillHard[r] += 1
      }
    }
    hardStamps = [UInt32](repeating: 0, count: hardStarts.count - 1)
    // Columns only for features some positive row has: every schema is a subset of a positive row.
    let width = rows.width
    var mask = [UInt64](repeating: 0, count: width)
    rows.words.withUnsafeBufferPointer { w in
      for r in bagRows { for k in 0..<width { mask[k] |= w[Int(rowIDs[Int(r)]) * width + k] } }
    }
    for k in 0..<width {
      var bits = mask[k]
      while bits != 0 {
        columnOf[k * 64 + bits.trailingZeroBitCount] = Int32(columns.count)
        columns.append([])
        bits &= bits - 1
      }
    }
    let wordsPerColumn = (n + 63) / 64
    for c in columns.indices { columns[c] = [UInt64](repeating: 0, count: wordsPerColumn) }
    columnCounts = [Int](repeating: 0, count: columns.count)
    rows.words.withUnsafeBufferPointer { w in
      for r in 0..<n {
        let base = Int(rowIDs[r]) * width
        for k in 0..<width {
          var bits = w[base + k] & mask[k]
          while bits != 0 {
            let c = Int(columnOf[k * 64 + bits.trailingZeroBitCount])
            columns[c][r >> 6] |= 1 << UInt64(r & 63)
            columnCounts[c] += 1
            bits &= bits - 1
          }
        }
      }
    }
  }

  var rowCount: Int { rowIDs.count }
  var bagCount: Int { bagCounts.count }

  /// Local rows of positive bag `b`.
  func rows(ofBag b: Int) -> ArraySlice<Int32> { bagRows[bagStarts[b]..<bagStarts[b + 1]] }

  /// Positive bags holding local row `r`.
  func bags(ofRow r: Int) -> ArraySlice<Int32> { rowBags[rowBagStarts[r]..<rowBagStarts[r + 1]] }

  /// Whether local row `r` has `feature`.
  @inline(__always)
  func has(_ r: Int, _ feature: Int) -> Bool { rows.has(Int(rowIDs[r]), feature) }

  /// How many kinds other than the row's own appear in its window.
  func contextKinds(ofRow r: Int, layout: CellLayout) -> Int {
    let base = Int(rowIDs[r]) * rows.width
    var kinds: UInt64 = 0
    for k in 0..<layout.windowCells { kinds |= rows.words[base + k] }
    return (kinds & layout.kindBits & ~rows.words[base + layout.selfWord]).nonzeroBitCount
  }

  /// The features of local row `r`.
  func features(ofRow r: Int) -> [Int] {
    var found: [Int] = []
    let base = Int(rowIDs[r]) * rows.width
    for k in 0..<rows.width {
      var bits = rows.words[base + k]
      while bits != 0 { found.append(k * 64 + bits.trailingZeroBitCount); bits &= bits - 1 }
    }
    return found
  }

  /// What the conjunction of `literals` covers; with `mark`, the positive bags it covers become explained.
  mutating func coverage(of literals: [Int], mark: Bool = false) -> Coverage {
    var rarest = -1, rarestCount = Int.max
    for f in literals {
      let c = Int(columnOf[f])
      if c < 0 { return Coverage() }
      if columnCounts[c] < rarestCount { (rarest, rarestCount) = (c, columnCounts[c]) }
    }
    stamp &+= 1
    if stamp == 0 {
      stamps = [UInt32](repeating: 0, count: stamps.count)
      hardStamps = [UInt32](repeating: 0, count: hardStamps.count)
      stamp = 1
    }
    let stamp = self.stamp, width = rows.width
    var candidates: [UInt64]
    var checkRows: Bool
    if rarest < 0 {
      candidates = [UInt64](repeating: ~0, count: (rowCount + 63) / 64)
      if rowCount % 64 != 0 { candidates[candidates.count - 1] = (1 << UInt64(rowCount % 64)) - 1 }
      checkRows = false
    } else {
      candidates = columns[rarest]
      // Few candidates are checked row by row; many are narrowed by ANDing the other columns.
      checkRows = rarestCount <= 512
      if !checkRows {
        for f in literals {
          let column = columns[Int(columnOf[f])]
          var any: UInt64 = 0
          for w in candidates.indices where candidates[w] != 0 { candidates[w] &= column[w]; any |= candidates[w] }
          if any == 0 { return Coverage() }
        }
      }
    }
    var result = Coverage()
    stamps.withUnsafeMutableBufferPointer { stamps in
      hardStamps.withUnsafeMutableBufferPointer { hardStamps in
        isCovered.withUnsafeMutableBufferPointer { isCovered in
          rows.words.withUnsafeBufferPointer { words in
            for (w, word) in candidates.enumerated() where word != 0 {
              var bits = word
              while bits != 0 {
                let r = w << 6 | bits.trailingZeroBitCount
                bits &= bits - 1
                if checkRows {
                  let base = Int(rowIDs[r]) * width
                  var ok = true
                  for f in literals where words[base + f >> 6] & (1 << UInt64(f & 63)) == 0 { ok = false; break }
                  if !ok { continue }
                }
                result.falsePositives += negatives[r]
                for k in rowHardStarts[r]..<rowHardStarts[r + 1] {
                  let h = Int(rowHard[k])
                  if hardStamps[h] != stamp { hardStamps[h] = stamp; result.hardFalsePositives += 1 }
                }
                for k in rowBagStarts[r]..<rowBagStarts[r + 1] {
                  let b = Int(rowBags[k])
                  guard stamps[b] != stamp else { continue }
                  stamps[b] = stamp
                  result.truePositives += bagCounts[b]
                  if !isCovered[b] { result.gain += bagCounts[b] }
                  if mark { isCovered[b] = true }
                }
              }
            }
          }
        }
      }
    }
    return result
  }
}
