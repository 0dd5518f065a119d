import EnvironmentCore

/// Where one RGB frame differs from the one before, as the rows that changed and each one's first and last
/// changed column. Over a whole frame, bands of rows are compared 32 bytes at a time and the equal ones
/// skipped; rows that differ are searched eight bytes at a time from each end.
struct GIFChange {
  var left: Int
  var top: Int
  var right: Int
  var bottom: Int

  /// Rows compared at once while looking for changes over a whole frame.
  private static let band = 8

  /// The smallest rectangle holding every pixel of `new` that differs from `old` (both `width × height`
  /// RGB), or nil if none does. Appends the rows that differ to `rows`, in order, and sets `spans[2y]` and
  /// `spans[2y + 1]` to the first and last changed column of each; `spans` must hold `unset` for them.
  static func find(_ old: UnsafePointer<UInt8>, _ new: UnsafePointer<UInt8>, width: Int, height: Int,
                   spans: UnsafeMutablePointer<Int>, rows: inout [Int]) -> GIFChange? {
    let rowBytes = width * 3
    @inline(__always) func equal(_ y: Int, _ count: Int) -> Bool {
      bytesEqual(old + y * rowBytes, new + y * rowBytes, count * rowBytes)
    }
    var top = 0
    while top < height {
      let n = min(band, height - top)
      if !equal(top, n) { break }
      top += n
    }
    if top == height { return nil }
    var bottom = height - 1
    while bottom > top {
      let n = min(band, bottom - top)
      if !equal(bottom - n + 1, n) { break }
      bottom -= n
    }
    var y = top
    while y <= bottom {
      let n = min(band, bottom - y + 1)
      if n == 1 || !equal(y, n) {
        for row in y..<(y + n) { mark(row, 0, width - 1, old, new, width: width, spans: spans, rows: &rows) }
      }
      y += n
    }
    return bounds(of: rows, spans: spans)
  }

  /// ``find(_:_:width:height:spans:rows:)`` when `new` can differ from `old` only inside `boxes`.
  /// Overlapping boxes (an object's old and new place) are searched once, as one: `merged` is scratch.
  static func find(_ old: UnsafePointer<UInt8>, _ new: UnsafePointer<UInt8>, width: Int, height: Int,
                   within boxes: ArraySlice<FrameBox>, merged: inout [FrameBox],
                   spans: UnsafeMutablePointer<Int>, rows: inout [Int]) -> GIFChange? {
    merged.removeAll(keepingCapacity: true)
    for box in boxes {
      var b = FrameBox(x0: max(box.x0, 0), y0: max(box.y0, 0), x1: min(box.x1, width - 1), y1: min(box.y1, height - 1))
      guard b.x0 <= b.x1 && b.y0 <= b.y1 else { continue }
      var i = 0
      while i < merged.count {
        let m = merged[i]
        if m.x0 <= b.x1 && b.x0 <= m.x1 && m.y0 <= b.y1 && b.y0 <= m.y1 {
          b = FrameBox(x0: min(b.x0, m.x0), y0: min(b.y0, m.y0), x1: max(b.x1, m.x1), y1: max(b.y1, m.y1))
          merged.swapAt(i, merged.count - 1)
          merged.removeLast()
          i = 0
        } else {
          i += 1
        }
      }
      merged.append(b)
    }
    for b in merged {
      for y in b.y0...b.y1 { mark(y, b.x0, b.x1, old, new, width: width, spans: spans, rows: &rows) }
    }
    // Boxes come in any order; there are a handful of rows.
    for i in rows.indices.dropFirst() {
      var j = i
      while j > 0 && rows[j - 1] > rows[j] { rows.swapAt(j - 1, j); j -= 1 }
    }
    return bounds(of: rows, spans: spans)
  }

  /// What `spans` hold for a row with no change found yet: first beyond any column, last before any.
  static func unset(width: Int) -> (first: Int, last: Int) { (width, -1) }

  /// Compares columns `x0...x1` of row `y` and widens the row's span to their changed columns, if any.
  @inline(__always)
  private static func mark(_ y: Int, _ x0: Int, _ x1: Int, _ old: UnsafePointer<UInt8>, _ new: UnsafePointer<UInt8>,
                           width: Int, spans: UnsafeMutablePointer<Int>, rows: inout [Int]) {
    let offset = (y * width + x0) * 3, count = (x1 - x0 + 1) * 3
    let first = firstDifference(old + offset, new + offset, count)
    if first == count { return }
    if spans[2 * y + 1] < 0 { rows.append(y) }
    spans[2 * y] = min(spans[2 * y], x0 + first / 3)
    spans[2 * y + 1] = max(spans[2 * y + 1], x0 + lastDifference(old + offset, new + offset, count) / 3)
  }

  private static func bounds(of rows: [Int], spans: UnsafeMutablePointer<Int>) -> GIFChange? {
    guard let top = rows.first, let bottom = rows.last else { return nil }
    var change = GIFChange(left: spans[2 * top], top: top, right: spans[2 * top + 1], bottom: bottom)
    for y in rows {
      change.left = min(change.left, spans[2 * y])
      change.right = max(change.right, spans[2 * y + 1])
    }
    return change
  }
}

/// Whether `count` bytes at `a` and `b` are equal, compared 32 at a time.
@inline(__always)
private func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
  var i = 0
  while i + 32 <= count {
    let x0 = ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: i, as: UInt64.self)
    let x1 = ra.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
    let x2 = ra.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
    let x3 = ra.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
    if x0 | x1 | x2 | x3 != 0 { return false }
    i += 32
  }
  return firstDifference(a + i, b + i, count - i) == count - i
}

/// The offset of the first byte where `a` and `b` differ, or `count` if none does.
@inline(__always)
func firstDifference(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Int {
  let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
  var i = 0
  while i + 8 <= count {
    let x = UInt64(littleEndian: ra.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      ^ UInt64(littleEndian: rb.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    if x != 0 { return i + x.trailingZeroBitCount / 8 }
    i += 8
  }
  while i < count && a[i] == b[i] { i += 1 }
  return i
}

/// The offset of the last byte where `a` and `b` differ, or -1 if none does.
@inline(__always)
private func lastDifference(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Int {
  let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
  var i = count
  while i >= 8 {
    let x = UInt64(littleEndian: ra.loadUnaligned(fromByteOffset: i - 8, as: UInt64.self))
      ^ UInt64(littleEndian: rb.loadUnaligned(fromByteOffset: i - 8, as: UInt64.self))
    if x != 0 { return i - 1 - x.leadingZeroBitCount / 8 }
    i -= 8
  }
  while i > 0 && a[i - 1] == b[i - 1] { i -= 1 }
  return i - 1
}
