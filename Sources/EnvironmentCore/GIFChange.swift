#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one RGB frame differs from the one before, as the rows that changed and each one's first and last
/// changed column. Over a whole frame, `memcmp` (vectorised by the C library) clears bands of equal rows;
/// rows that differ are searched eight bytes at a time from each end.
struct GIFChange {
  var left: Int
  var top: Int
  var right: Int
  var bottom: Int

  /// Rows compared in one `memcmp` while looking for changes.
  private static let band = 8

  /// The smallest rectangle holding every pixel of `new` that differs from `old` (both `width × height`
  /// RGB), or nil if none does. Appends the rows that differ to `rows`, in order, and sets `spans[2y]` and
  /// `spans[2y + 1]` to the first and last changed column of each; `spans` must hold `unset` for them.
  static func find(_ old: UnsafePointer<UInt8>, _ new: UnsafePointer<UInt8>, width: Int, height: Int,
                   spans: UnsafeMutablePointer<Int>, rows: inout [Int]) -> GIFChange? {
    let rowBytes = width * 3
    @inline(__always) func equal(_ y: Int, _ count: Int) -> Bool {
      memcmp(old + y * rowBytes, new + y * rowBytes, count * rowBytes) == 0
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
  static func find(_ old: UnsafePointer<UInt8>, _ new: UnsafePointer<UInt8>, width: Int, height: Int,
                   within boxes: ArraySlice<FrameBox>, spans: UnsafeMutablePointer<Int>, rows: inout [Int]) -> GIFChange? {
    for box in boxes {
      let x0 = max(box.x0, 0), x1 = min(box.x1, width - 1), y0 = max(box.y0, 0), y1 = min(box.y1, height - 1)
      guard x0 <= x1 && y0 <= y1 else { continue }
      for y in y0...y1 { mark(y, x0, x1, old, new, width: width, spans: spans, rows: &rows) }
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
