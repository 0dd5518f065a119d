/// `count` pixels of colour index `index` in a row; images reach the LZW coder as runs. The index is wider
/// than a byte so that an encoder can mark pixels whose index it has not chosen yet.
package struct GIFRun: Sendable, Equatable {
  package var index: UInt16
  package var count: Int

  package init(index: UInt16, count: Int) {
    self.index = index
    self.count = count
  }
}

/// The variable-width LZW compression of GIF image data (GIF89a specification, appendix F).
///
/// Codes start `minimumCodeSize + 1` bits wide and grow by one bit each time the dictionary outgrows the
/// current width, up to 12 bits; when all 4096 codes are taken the encoder sends a clear code and starts a
/// fresh dictionary. The dictionary is a trie stored as a flat table indexed by (prefix code, next index);
/// each entry carries the generation it was written in, so starting a fresh dictionary (every image, every
/// clear code) is a counter increment rather than a fill.
///
/// Input comes as runs, and a run costs per code sent rather than per pixel: the strings of one repeated
/// index (k, kk, kkk, …) are kept apart as a chain per index, so walking the trie along a run is a jump to
/// the longest such string the dictionary has. The codes are exactly those of the pixel-by-pixel coder.
package struct GIFLZWCompressor: Sendable {
  private static let maximumCode = 4096
  /// Entry = generation << 12 | code; an entry of an older generation is empty.
  private var table: [UInt32] = []
  private var generation: UInt32 = 0
  /// `chains[k << 12 | j]`: the code of index k repeated j times, for j up to `chainLengths[k]`.
  private var chains: [UInt16] = []
  private var chainLengths: [Int] = []
  private var packed: [UInt8] = []
  private var scratchRuns: [GIFRun] = []

  package init() {}

  /// Compresses `indices` (each below `1 << minimumCodeSize`); see ``compress(runs:minimumCodeSize:into:)``.
  package mutating func compress(_ indices: UnsafeBufferPointer<UInt8>, minimumCodeSize: Int, into output: inout [UInt8]) {
    precondition(!indices.isEmpty, "an image needs at least one pixel")
    var runs: [GIFRun] = []
    swap(&runs, &scratchRuns)
    defer { swap(&runs, &scratchRuns) }
    runs.removeAll(keepingCapacity: true)
    for pixel in indices {
      let index = UInt16(pixel)
      if runs.last?.index == index { runs[runs.count - 1].count += 1 } else { runs.append(GIFRun(index: index, count: 1)) }
    }
    runs.withUnsafeBufferPointer { compress(runs: $0, minimumCodeSize: minimumCodeSize, into: &output) }
  }

  /// Compresses the pixels `runs` spell out (indices below `1 << minimumCodeSize`, counts positive) and
  /// appends the LZW minimum code size byte, the data sub-blocks and the block terminator to `output`:
  /// a complete GIF table-based image data block.
  ///
  /// - Complexity: O(runs + codes sent); the tables take `24 KB << minimumCodeSize` (6 MB for 256 colours).
  package mutating func compress(runs: UnsafeBufferPointer<GIFRun>, minimumCodeSize: Int, into output: inout [UInt8]) {
    precondition((2...8).contains(minimumCodeSize), "GIF minimum code size must be 2...8")
    precondition(!runs.isEmpty, "an image needs at least one pixel")
    let codeSize = minimumCodeSize
    let clear = 1 << codeSize, endOfInformation = clear + 1
    if table.count < Self.maximumCode << codeSize {
      table = [UInt32](repeating: 0, count: Self.maximumCode << codeSize)
      chains = [UInt16](repeating: 0, count: Self.maximumCode << codeSize)
      chainLengths = [Int](repeating: 1, count: clear)
      generation = 0
    }
    var writer = LZWBitWriter(width: codeSize + 1)
    swap(&writer.bytes, &packed)
    writer.bytes.removeAll(keepingCapacity: true)
    var next = clear + 2
    var generation = self.generation

    table.withUnsafeMutableBufferPointer { table in
      chains.withUnsafeMutableBufferPointer { chains in
        chainLengths.withUnsafeMutableBufferPointer { lengths in
          Self.freshDictionary(&generation, table, chains, lengths, clear: clear)
          writer.emit(clear)
          // The string read so far: its code, and pure = j > 0 when it is `pureIndex` repeated j times.
          var prefix = Int(runs[0].index), pure = 1, pureIndex = prefix
          var pending = runs[0].count - 1  // pixels of run r not read yet
          var r = 0
          while true {
            if pending == 0 {
              r += 1
              if r == runs.count { break }
              pending = runs[r].count
            }
            let k = Int(runs[r].index)
            if pure > 0 && pureIndex == k {
              let longest = lengths[k]
              let jump = min(pending, longest - pure)
              pure += jump
              pending -= jump
              prefix = Int(chains[k << 12 | pure])
              if pending == 0 { continue }
              // k repeated longest + 1 times is new. Only its chain records it: the trie is never asked
              // for a repeated index, since this branch follows the chain instead.
              writer.emit(prefix)
              if next < Self.maximumCode {
                chains[k << 12 | (longest + 1)] = UInt16(next)
                lengths[k] = longest + 1
              }
            } else {
              let slot = prefix << codeSize | k
              let entry = table[slot]
              if entry >> 12 == generation {
                prefix = Int(entry & 0xFFF)
                pure = 0
                pending -= 1
                continue
              }
              writer.emit(prefix)
              if next < Self.maximumCode { table[slot] = generation << 12 | UInt32(next) }
            }
            if next < Self.maximumCode {
              next += 1
              writer.widen(after: next)
            } else {
              writer.emit(clear)
              Self.freshDictionary(&generation, table, chains, lengths, clear: clear)
              writer.width = codeSize + 1
              next = clear + 2
            }
            prefix = k
            pure = 1
            pureIndex = k
            pending -= 1
          }
          writer.emit(prefix)
          writer.emit(endOfInformation)
          writer.flush()
        }
      }
    }
    self.generation = generation
    swap(&writer.bytes, &packed)

    output.append(UInt8(codeSize))
    packed.withUnsafeBufferPointer { packed in
      var start = 0
      while start < packed.count {
        let end = min(start + 255, packed.count)
        output.append(UInt8(end - start))
        output.append(contentsOf: UnsafeBufferPointer(rebasing: packed[start..<end]))
        start = end
      }
    }
    output.append(0)
  }
}

extension GIFLZWCompressor {
  /// Empties the dictionary: a new generation for the trie, chains of length one.
  private static func freshDictionary(_ generation: inout UInt32, _ table: UnsafeMutableBufferPointer<UInt32>,
                                      _ chains: UnsafeMutableBufferPointer<UInt16>, _ lengths: UnsafeMutableBufferPointer<Int>, clear: Int) {
    generation += 1
    if generation >= 1 << 20 {
      table.update(repeating: 0)
      generation = 1
    }
    for k in 0..<clear {
      lengths[k] = 1
      chains[k << 12 | 1] = UInt16(k)
    }
  }
}

/// Packs codes least significant bit first, as GIF wants.
private struct LZWBitWriter {
  var width: Int
  var bytes: [UInt8] = []
  private var bits: UInt64 = 0
  private var count = 0

  init(width: Int) { self.width = width }

  @inline(__always) mutating func emit(_ code: Int) {
    bits |= UInt64(code) << UInt64(count)
    count += width
    while count >= 8 {
      bytes.append(UInt8(truncatingIfNeeded: bits))
      bits >>= 8
      count -= 8
    }
  }

  /// The decoder adds each entry one code later than the encoder, so it widens when `next` passes a power
  /// of two, not when it reaches it.
  @inline(__always) mutating func widen(after next: Int) {
    if next > 1 << width && width < 12 { width += 1 }
  }

  mutating func flush() {
    if count > 0 { bytes.append(UInt8(truncatingIfNeeded: bits)) }
    bits = 0
    count = 0
  }
}
