/// What the grid shows of the agent's own motion, without knowing which plane is the self.
enum SelfMotion {
  /// Whether the self went down between the planes `old` and `new` (same layout): among the planes that changed and
  /// are set somewhere in both grids, those with the fewest cells (the self is small; the background plane it hides
  /// changes with it but covers the level) have a lower mean row in `new`. Reads plane sizes only, so permuting the
  /// planes does not change the answer.
  static func wentDown(from old: [UInt64], to new: ExplorerObservation) -> Bool {
    let n = new.wordsPerPlane
    guard old.count == new.words.count else { return false }
    var fewest = Int.max, rows = (old: 0, new: 0), cells = (old: 0, new: 0)
    for plane in 0..<new.planes {
      let range = plane * n ..< (plane + 1) * n
      var differs = false, count = (old: 0, new: 0)
      for w in range {
        differs = differs || old[w] != new.words[w]
        count.old += old[w].nonzeroBitCount
        count.new += new.words[w].nonzeroBitCount
      }
      let size = max(count.old, count.new)
      guard differs, count.old > 0, count.new > 0, size <= fewest else { continue }
      if size < fewest { (fewest, rows, cells) = (size, (0, 0), (0, 0)) }
      for w in range {
        let first = (w - range.lowerBound) << 6
        var bits = old[w]
        while bits != 0 {
          rows.old += (first | bits.trailingZeroBitCount) / new.width
          cells.old += 1
          bits &= bits &- 1
        }
        bits = new.words[w]
        while bits != 0 {
          rows.new += (first | bits.trailingZeroBitCount) / new.width
          cells.new += 1
          bits &= bits &- 1
        }
      }
    }
    // Mean rows compared without dividing: new / cells.new > old / cells.old.
    return cells.old > 0 && cells.new > 0 && rows.new * cells.old > rows.old * cells.new
  }
}
