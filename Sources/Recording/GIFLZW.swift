import EnvironmentCore

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
/// fresh dictionary. The dictionary is a trie kept as lists: each code's first child and each child's next
/// sibling and last index. Codes are taken in order, so an image's dictionary sits in a few compact lines of
/// memory (a flat table indexed by prefix and index would scatter it over 128 KB and miss the cache on
/// almost every lookup), and starting afresh only empties the literal codes' lists.
///
/// Input comes as runs, and a run costs per code sent rather than per pixel: the strings of one repeated
/// index (k, kk, kkk, …) are kept apart as a chain per index, so walking the trie along a run is a jump to
/// the longest such string the dictionary has. The codes are exactly those of the pixel-by-pixel coder.
/// Nothing is allocated per image once the tables exist.
package struct GIFLZWCompressor: Sendable {
  private static let maximumCode = 4096
  /// One allocation for everything a compression touches, laid out by ``Layout``.
  private var storage: [UInt32] = []
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
  /// - Complexity: O(runs + codes sent × siblings visited); the tables take 32 KB + `8 KB << minimumCodeSize`.
  package mutating func compress(runs: UnsafeBufferPointer<GIFRun>, minimumCodeSize: Int, into output: inout [UInt8]) {
    precondition((2...8).contains(minimumCodeSize), "GIF minimum code size must be 2...8")
    precondition(!runs.isEmpty, "an image needs at least one pixel")
    let codeSize = minimumCodeSize
    let clear = 1 << codeSize, endOfInformation = clear + 1
    let layout = Layout(codeSize: codeSize)
    if storage.count < layout.words { storage = [UInt32](repeating: 0, count: layout.words) }
    output.append(UInt8(codeSize))

    // Everything the loop changes is a local, so that it lives in registers.
    storage.withUnsafeMutableBufferPointer { storage in
      let firstChild = storage.baseAddress!, node = firstChild + layout.nodes, lengths = firstChild + layout.lengths
      let chains = UnsafeMutableRawPointer(firstChild + layout.chains), stride = Layout.chainStride
      @inline(__always) func chain(_ k: Int, _ j: Int) -> Int {  // the code of k repeated j times
        j == 1 ? k : Int(chains.load(fromByteOffset: 2 &* (k &* stride &+ j), as: UInt16.self))
      }
      var writer = LZWBitWriter(width: codeSize + 1, staging: UnsafeMutableRawPointer(firstChild + layout.staging))
      var next = clear + 2
      Self.freshDictionary(firstChild, lengths, codeSize: codeSize)
      writer.emit(clear, into: &output)
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
          // Follow k's chain as far as it goes. Past its end, each string sent is the whole chain and the
          // chain grows by one, the new string's code being the next free one: no search, no load.
          // Counts stay below 4096 and pending below the run's count: wrapping arithmetic is exact.
          var longest = Int(lengths[k])
          var step = min(pending, longest &- pure)
          pure &+= step
          pending &-= step
          var code = chain(k, pure)
          while pending > 0 {
            writer.emit(code, into: &output)
            if let added = Self.newCode(&next, &writer, firstChild, lengths, codeSize: codeSize, into: &output) {
              longest &+= 1
              chains.storeBytes(of: UInt16(truncatingIfNeeded: added), toByteOffset: 2 &* (k &* stride &+ longest), as: UInt16.self)
              code = added
            } else {
              longest = 1
              code = k
            }
            pending &-= 1  // k starts the next string
            step = min(pending, longest &- 1)
            pure = 1 &+ step
            pending &-= step
            if pure < longest { code = chain(k, pure) }
          }
          lengths[k] = UInt32(longest)
          prefix = code
          continue
        }
        // node[c] = next sibling << 8 | last index of c's string.
        var child = Int(firstChild[prefix])
        while child != 0 && Int(node[child] & 0xFF) != k { child = Int(node[child] >> 8) }
        if child != 0 {
          prefix = child
          pure = 0
          pending -= 1
          continue
        }
        writer.emit(prefix, into: &output)
        if let added = Self.newCode(&next, &writer, firstChild, lengths, codeSize: codeSize, into: &output) {
          node[added] = firstChild[prefix] << 8 | UInt32(k)
          firstChild[prefix] = UInt32(added)
        }
        prefix = k
        pure = 1
        pureIndex = k
        pending -= 1
      }
      writer.emit(prefix, into: &output)
      writer.emit(endOfInformation, into: &output)
      writer.finish(into: &output)
    }
  }

  /// Takes the next free code for a new string (with no children yet); when none is left, sends a clear
  /// code, starts a fresh dictionary and returns nil.
  @inline(__always)
  private static func newCode(_ next: inout Int, _ writer: inout LZWBitWriter, _ firstChild: UnsafeMutablePointer<UInt32>,
                              _ lengths: UnsafeMutablePointer<UInt32>, codeSize: Int, into output: inout [UInt8]) -> Int? {
    if next < maximumCode {
      let code = next
      firstChild[code] = 0
      next &+= 1
      // The decoder adds each entry one code later than the encoder, so it widens when `next` passes a
      // power of two, not when it reaches it.
      if next > 1 &<< writer.width && writer.width < 12 { writer.width &+= 1 }
      return code
    }
    writer.emit(1 << codeSize, into: &output)
    freshDictionary(firstChild, lengths, codeSize: codeSize)
    writer.width = codeSize + 1
    next = (1 << codeSize) + 2
    return nil
  }

  /// Empties the dictionary: no literal code has children (0 is never a child, so it means none), every
  /// chain is its head alone.
  private static func freshDictionary(_ firstChild: UnsafeMutablePointer<UInt32>, _ lengths: UnsafeMutablePointer<UInt32>,
                                      codeSize: Int) {
    firstChild.update(repeating: 0, count: 1 << codeSize)
    lengths.update(repeating: 1, count: 1 << codeSize)
  }

  /// Where the parts live in ``storage``, in 32-bit words: each code's first child, each code's sibling
  /// and index, the chain lengths, a staging area for output bytes, then the chains as 16-bit codes: k
  /// repeated j times at `k * chainStride + j`, so that a run walks one or two cache lines. (A chain's head,
  /// j = 1, is k itself and is not stored; the stride is padded off a power of two so that chains of
  /// different indices do not compete for cache sets.)
  private struct Layout {
    static let chainStride = GIFLZWCompressor.maximumCode + 32
    let nodes: Int, lengths: Int, staging: Int, chains: Int, words: Int
    init(codeSize: Int) {
      nodes = GIFLZWCompressor.maximumCode
      lengths = 2 * GIFLZWCompressor.maximumCode
      staging = lengths + (1 << codeSize)
      chains = staging + LZWBitWriter.stagingBytes / 4
      words = chains + (Self.chainStride << codeSize) / 2
    }
  }
}

/// Packs codes least significant bit first, as GIF wants, and writes them out as data sub-blocks of 255
/// bytes as they fill.
private struct LZWBitWriter {
  static let stagingBytes = 264
  var width: Int
  private let staging: UnsafeMutableRawPointer
  private var staged = 0
  private var bits: UInt64 = 0
  private var count = 0

  init(width: Int, staging: UnsafeMutableRawPointer) {
    self.width = width
    self.staging = staging
  }

  /// Wrapping arithmetic throughout: a code is below 4096 and `count` below 32 between calls.
  @inline(__always) mutating func emit(_ code: Int, into output: inout [UInt8]) {
    bits |= UInt64(truncatingIfNeeded: code) &<< UInt64(truncatingIfNeeded: count)
    count &+= width
    if count >= 32 {
      staging.storeBytes(of: UInt32(truncatingIfNeeded: bits).littleEndian, toByteOffset: staged, as: UInt32.self)
      staged &+= 4
      bits &>>= 32
      count &-= 32
      if staged >= 255 { staged = Self.subBlock(staging, staged, into: &output) }
    }
  }

  /// Sends 255 staged bytes as one sub-block and returns how many are left. Static, so that the writer
  /// itself never leaves registers.
  @inline(never)
  private static func subBlock(_ staging: UnsafeMutableRawPointer, _ staged: Int, into output: inout [UInt8]) -> Int {
    output.append(255)
    output.append(contentsOf: UnsafeRawBufferPointer(start: staging, count: 255))
    staging.copyMemory(from: staging + 255, byteCount: staged - 255)
    return staged - 255
  }

  /// Sends what is left, then the block terminator.
  mutating func finish(into output: inout [UInt8]) {
    while count > 0 {
      staging.storeBytes(of: UInt8(truncatingIfNeeded: bits), toByteOffset: staged, as: UInt8.self)
      staged += 1
      bits >>= 8
      count -= 8
      if staged == 255 { staged = Self.subBlock(staging, staged, into: &output) }
    }
    if staged > 0 {
      output.append(UInt8(staged))
      output.append(contentsOf: UnsafeRawBufferPointer(start: staging, count: staged))
    }
    output.append(0)
  }
}
