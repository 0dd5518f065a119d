#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one RGB frame differs from the one before, found without touching most of it twice: `memcmp`
/// (vectorised by the C library) clears bands of equal rows, and only rows that differ are searched for
/// their first and last changed pixel, eight bytes at a time from each end.
struct GIFChange {
  var left: Int
  var top: Int
  var right: Int
  var bottom: Int

  /// Rows compared in one `memcmp` while looking for changes.
  private static let band = 8

  /// The smallest rectangle holding every pixel of `new` that differs from `old` (both `width × height`
  /// RGB), or nil if none does. For each row `y` in `top...bottom`, `spans[2y]` and `spans[2y + 1]` get its
  /// first and last changed column, or -1 and -2 when the row is unchanged.
  static func find(_ old: UnsafePointer<UInt8>, _ new: UnsafePointer<UInt8>, width: Int, height: Int,
                   spans: UnsafeMutablePointer<Int>) -> GIFChange? {
    let rowBytes = width * 3
    @inline(__always) func equal(_ y: Int, _ rows: Int) -> Bool {
      memcmp(old + y * rowBytes, new + y * rowBytes, rows * rowBytes) == 0
    }
    var top = 0
    while top < height {
      let n = min(band, height - top)
      if !equal(top, n) { break }
      top += n
    }
    if top == height { return nil }
    while equal(top, 1) { top += 1 }
    var bottom = height - 1
    while bottom > top {
      let n = min(band, bottom - top)
      if !equal(bottom - n + 1, n) { break }
      bottom -= n
    }
    while equal(bottom, 1) { bottom -= 1 }

    var left = width, right = -1
    var y = top
    while y <= bottom {
      let n = min(band, bottom - y + 1)
      let skip = n > 2 && equal(y, n)
      for row in y..<(y + n) {
        spans[2 * row] = -1
        spans[2 * row + 1] = -2
        if skip { continue }
        let a = old + row * rowBytes, b = new + row * rowBytes
        let first = firstDifference(a, b, rowBytes)
        if first == rowBytes { continue }
        let last = lastDifference(a, b, rowBytes)
        spans[2 * row] = first / 3
        spans[2 * row + 1] = last / 3
        left = min(left, first / 3)
        right = max(right, last / 3)
      }
      y += n
    }
    return GIFChange(left: left, top: top, right: right, bottom: bottom)
  }
}

/// The offset of the first byte where `a` and `b` differ, or `count` if none does.
@inline(__always)
private func firstDifference(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Int {
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
