/// The variable-width LZW compression of GIF image data (GIF89a specification, appendix F).
///
/// Codes start `minimumCodeSize + 1` bits wide and grow by one bit each time the dictionary outgrows the
/// current width, up to 12 bits; when all 4096 codes are taken the encoder sends a clear code and starts a
/// fresh dictionary. The dictionary is a trie stored as a flat table indexed by (prefix code, next index),
/// one probe per pixel; each entry carries the generation it was written in, so starting a fresh dictionary
/// (every frame, every clear code) is a counter increment rather than a fill.
package struct GIFLZWCompressor: Sendable {
  private static let maximumCode = 4096
  /// Entry = generation << 12 | code; an entry of an older generation is empty.
  private var table: [UInt32] = []
  private var generation: UInt32 = 0

  package init() {}

  /// Compresses `indices` (each below `1 << minimumCodeSize`) and appends the LZW minimum code size byte,
  /// the data sub-blocks and the block terminator to `output`: a complete GIF table-based image data block.
  ///
  /// - Complexity: O(`indices.count`); the table takes `16 KB << minimumCodeSize` (4 MB for 256 colours).
  package mutating func compress(_ indices: UnsafeBufferPointer<UInt8>, minimumCodeSize: Int, into output: inout [UInt8]) {
    precondition((2...8).contains(minimumCodeSize), "GIF minimum code size must be 2...8")
    precondition(!indices.isEmpty, "an image needs at least one pixel")
    let clear = 1 << minimumCodeSize, endOfInformation = clear + 1
    if table.count < Self.maximumCode << minimumCodeSize {
      table = [UInt32](repeating: 0, count: Self.maximumCode << minimumCodeSize)
      generation = 0
    }
    var packed: [UInt8] = []
    packed.reserveCapacity(indices.count / 4 + 16)
    var bits: UInt64 = 0, bitCount = 0
    var width = minimumCodeSize + 1
    var next = clear + 2
    var generation = self.generation

    @inline(__always) func emit(_ code: Int) {
      bits |= UInt64(code) << UInt64(bitCount)
      bitCount += width
      while bitCount >= 8 {
        packed.append(UInt8(truncatingIfNeeded: bits))
        bits >>= 8
        bitCount -= 8
      }
    }

    table.withUnsafeMutableBufferPointer { table in
      @inline(__always) func freshDictionary() {
        generation += 1
        if generation >= 1 << 20 {
          table.update(repeating: 0)
          generation = 1
        }
      }
      freshDictionary()
      emit(clear)
      var prefix = Int(indices[0])
      for i in 1..<indices.count {
        let k = Int(indices[i])
        let slot = prefix << minimumCodeSize | k
        let entry = table[slot]
        if entry >> 12 == generation {
          prefix = Int(entry & 0xFFF)
          continue
        }
        emit(prefix)
        if next < Self.maximumCode {
          table[slot] = generation << 12 | UInt32(next)
          next += 1
          // The decoder adds each entry one code later than the encoder, so it widens when `next`
          // passes a power of two, not when it reaches it.
          if next > 1 << width && width < 12 { width += 1 }
        } else {
          emit(clear)
          freshDictionary()
          width = minimumCodeSize + 1
          next = clear + 2
        }
        prefix = k
      }
      emit(prefix)
      emit(endOfInformation)
      if bitCount > 0 { packed.append(UInt8(truncatingIfNeeded: bits)) }
    }
    self.generation = generation

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
