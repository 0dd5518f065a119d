/// The variable-width LZW compression of GIF image data (GIF89a specification, appendix F).
///
/// Codes start `minimumCodeSize + 1` bits wide and grow by one bit each time the dictionary outgrows the
/// current width, up to 12 bits; when all 4096 codes are taken the encoder sends a clear code and starts a
/// fresh dictionary. The dictionary is an open-addressing hash table of (prefix code, next index) pairs,
/// as in giflib, so resetting it for each frame costs a 32 KB fill rather than a per-string allocation.
package struct GIFLZWCompressor: Sendable {
  private static let tableSize = 8192  // twice the 4096 codes: probes stay short
  private static let maximumCode = 4096
  private var keys = [Int32](repeating: -1, count: tableSize)
  private var values = [UInt16](repeating: 0, count: tableSize)

  package init() {}

  /// Compresses `indices` (each below `1 << minimumCodeSize`) and appends the LZW minimum code size byte,
  /// the data sub-blocks and the block terminator to `output`: a complete GIF table-based image data block.
  package mutating func compress(_ indices: UnsafeBufferPointer<UInt8>, minimumCodeSize: Int, into output: inout [UInt8]) {
    precondition((2...8).contains(minimumCodeSize), "GIF minimum code size must be 2...8")
    precondition(!indices.isEmpty, "an image needs at least one pixel")
    let clear = 1 << minimumCodeSize, endOfInformation = clear + 1
    var packed: [UInt8] = []
    packed.reserveCapacity(indices.count / 2 + 16)
    var bits: UInt64 = 0, bitCount = 0
    var width = minimumCodeSize + 1
    var next = clear + 2

    @inline(__always) func emit(_ code: Int) {
      bits |= UInt64(code) << UInt64(bitCount)
      bitCount += width
      while bitCount >= 8 {
        packed.append(UInt8(truncatingIfNeeded: bits))
        bits >>= 8
        bitCount -= 8
      }
    }

    keys.withUnsafeMutableBufferPointer { keys in
      values.withUnsafeMutableBufferPointer { values in
        keys.update(repeating: -1)
        emit(clear)
        var prefix = Int(indices[0])
        for i in 1..<indices.count {
          let k = Int(indices[i])
          let key = Int32(prefix << 8 | k)
          var slot = Int((UInt32(bitPattern: key) &* 2_654_435_761) >> 19)
          while true {
            let stored = keys[slot]
            if stored == key || stored == -1 { break }
            slot = (slot + 1) & (Self.tableSize - 1)
          }
          if keys[slot] == key {
            prefix = Int(values[slot])
            continue
          }
          emit(prefix)
          if next < Self.maximumCode {
            keys[slot] = key
            values[slot] = UInt16(next)
            next += 1
            // The decoder adds each entry one code later than the encoder, so it widens when `next`
            // passes a power of two, not when it reaches it.
            if next > 1 << width && width < 12 { width += 1 }
          } else {
            emit(clear)
            keys.update(repeating: -1)
            width = minimumCodeSize + 1
            next = clear + 2
          }
          prefix = k
        }
        emit(prefix)
        emit(endOfInformation)
        if bitCount > 0 { packed.append(UInt8(truncatingIfNeeded: bits)) }
      }
    }

    output.append(UInt8(minimumCodeSize))
    var start = 0
    while start < packed.count {
      let end = min(start + 255, packed.count)
      output.append(UInt8(end - start))
      output.append(contentsOf: packed[start..<end])
      start = end
    }
    output.append(0)
  }
}
