import Checksums
import EnvironmentCore

/// A small DEFLATE (RFC 1951) compressor in a zlib (RFC 1950) wrapper, as PNG needs it.
///
/// It finds repeats with LZ77 over hash chains and writes them with the fixed Huffman code (no code tables
/// to build or transmit). Game frames are long runs of a few colours, where matching does nearly all the work.
package enum Deflate {
  /// `bytes` as a zlib stream: header, DEFLATE blocks, Adler-32 of the input.
  package static func zlibCompress(_ bytes: [UInt8]) -> [UInt8] {
    var writer = BitWriter()
    writer.bytes.reserveCapacity(bytes.count / 8 + 64)
    // CMF 0x78: method 8 (deflate) with a 32 KiB window; FLG 0x9C makes CMF·256 + FLG a multiple of 31.
    writer.bytes += [0x78, 0x9C]
    bytes.withUnsafeBufferPointer { compress($0, into: &writer) }
    writer.alignToByte()
    let adler = Checksum.adler32(bytes)
    writer.bytes += [UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF)]
    return writer.bytes
  }

  static let minMatch = 3
  static let maxMatch = 258
  static let windowSize = 32_768
  /// One less than the format allows, so a chain never follows a link that a newer position overwrote.
  static let maxDistance = windowSize - 1
  /// The input covered by one block: the most a stored block can hold, should compression not pay.
  static let blockInputLimit = 65_535

  private static func compress(_ input: UnsafeBufferPointer<UInt8>, into writer: inout BitWriter) {
    if input.isEmpty {
      writeFixedBlock(UnsafeBufferPointer(start: nil, count: 0), isLast: true, into: &writer)
      return
    }
    let finder = MatchFinder(input)
    defer { finder.deallocate() }
    // At most one token per input byte of a block.
    let tokens = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: blockInputLimit)
    defer { tokens.deallocate() }
    var start = 0
    while start < input.count {
      let end = min(start + blockInputLimit, input.count)
      var tokenCount = 0
      var fixedBits = 3 + 7  // block header and end-of-block code
      var position = start
      while position < end {
        var match = (length: 0, distance: 0)
        if end - position >= minMatch {
          match = finder.longestMatch(at: position, limit: min(maxMatch, end - position))
        }
        finder.insert(position)
        if match.length >= minMatch {
          // A match token: length in bits 16...24, distance (at most 32767) below.
          tokens[tokenCount] = UInt32(match.length) << 16 | UInt32(match.distance)
          let lengthBits = (match.length < 115 ? 7 : 8) + lengthExtraBits(match.length)
          fixedBits += lengthBits + Int(distanceCode(match.distance) >> 24)
          for covered in (position + 1)..<(position + match.length) { finder.insert(covered) }
          position += match.length
        } else {
          let literal = input[position]
          tokens[tokenCount] = UInt32(literal)
          fixedBits += literal < 144 ? 8 : 9
          position += 1
        }
        tokenCount += 1
      }
      let isLast = end == input.count
      if 3 + 7 + 32 + 8 * (end - start) < fixedBits {
        writeStoredBlock(UnsafeBufferPointer(rebasing: input[start..<end]), isLast: isLast, into: &writer)
      } else {
        writeFixedBlock(UnsafeBufferPointer(rebasing: tokens[..<tokenCount]), isLast: isLast, into: &writer)
      }
      start = end
    }
  }

  private static func writeStoredBlock(
    _ bytes: UnsafeBufferPointer<UInt8>, isLast: Bool, into writer: inout BitWriter
  ) {
    writer.write(isLast ? 1 : 0, count: 3)  // BFINAL, BTYPE 00
    writer.alignToByte()
    let length = UInt16(bytes.count)
    writer.bytes += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
    writer.bytes.append(contentsOf: bytes)
  }

  private static func writeFixedBlock(
    _ tokens: UnsafeBufferPointer<UInt32>, isLast: Bool, into writer: inout BitWriter
  ) {
    literalCodes.withUnsafeBufferPointer { literals in
      lengthCodes.withUnsafeBufferPointer { lengths in
        writer.write(isLast ? 0b011 : 0b010, count: 3)  // BFINAL, BTYPE 01 (low bit first)
        for token in tokens {
          if token < 256 {
            writer.write(packed: literals[Int(token)])
          } else {
            writer.write(packed: lengths[Int(token >> 16) - minMatch])
            writer.write(packed: distanceCode(Int(token & 0xFFFF)))
          }
        }
        writer.write(packed: literals[256])
      }
    }
  }

  // MARK: Fixed Huffman code
  //
  // Codes are "packed": the bits to send in the low 24 bits, already reversed because Huffman codes go out
  // most significant bit first while everything else in DEFLATE goes out least significant bit first,
  // and the number of bits in the top 8.

  private static let lengthBases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]

  /// Extra bits after the length symbol: none below 11 and for 258, then one more every four symbols.
  private static func lengthExtraBits(_ length: Int) -> Int {
    if length < 11 || length == 258 { return 0 }
    return (Int.bitWidth - 1 - (length - 3).leadingZeroBitCount) - 2
  }

  /// Literal/length symbols 0...287 with their fixed codes (RFC 1951, 3.2.6).
  private static let literalCodes: [UInt32] = (0..<288).map { symbol in
    switch symbol {
    case 0...143: packedCode(0x30 + symbol, length: 8)
    case 144...255: packedCode(0x190 + symbol - 144, length: 9)
    case 256...279: packedCode(symbol - 256, length: 7)
    default: packedCode(0xC0 + symbol - 280, length: 8)
    }
  }

  /// Lengths 3...258 as their symbol's code followed by the extra bits.
  private static let lengthCodes: [UInt32] = (minMatch...maxMatch).map { length in
    let index = lengthBases.lastIndex { $0 <= length }!
    let symbol = literalCodes[257 + index]
    let symbolBits = symbol >> 24
    let extraBits = UInt32(lengthExtraBits(length))
    return (symbol & 0xFF_FFFF) | UInt32(length - lengthBases[index]) << symbolBits | (symbolBits + extraBits) << 24
  }

  /// A distance 1...32768 as its 5-bit fixed code followed by the extra bits.
  private static func distanceCode(_ distance: Int) -> UInt32 {
    let offset = distance - 1
    // Codes 0...3 are distances 1...4; after that each power of two is split into two codes.
    var symbol = offset
    var extraBits = 0
    if offset >= 4 {
      let top = Int.bitWidth - 1 - offset.leadingZeroBitCount
      extraBits = top - 1
      symbol = 2 * top + ((offset >> extraBits) & 1)
    }
    let extra = UInt32(offset & ((1 << extraBits) - 1))
    return (packedCode(symbol, length: 5) & 0xFF_FFFF) | extra << 5 | UInt32(5 + extraBits) << 24
  }

  private static func packedCode(_ code: Int, length: Int) -> UInt32 {
    var reversed: UInt32 = 0
    for bit in 0..<length where code >> bit & 1 == 1 {
      reversed |= 1 << UInt32(length - 1 - bit)
    }
    return reversed | UInt32(length) << 24
  }
}

/// Appends bit fields least significant bit first, the order DEFLATE packs them into bytes.
private struct BitWriter {
  var bytes: [UInt8] = []
  private var buffer: UInt64 = 0
  private var count = 0

  mutating func write(_ bits: UInt32, count: Int) {
    buffer |= UInt64(bits) << UInt64(self.count)
    self.count += count
    while self.count >= 8 {
      bytes.append(UInt8(truncatingIfNeeded: buffer))
      buffer >>= 8
      self.count -= 8
    }
  }

  mutating func write(packed code: UInt32) {
    write(code & 0xFF_FFFF, count: Int(code >> 24))
  }

  /// Pads the last partial byte with zero bits.
  mutating func alignToByte() {
    if count > 0 {
      bytes.append(UInt8(truncatingIfNeeded: buffer))
      buffer = 0
      count = 0
    }
  }
}

/// LZ77 match search: for every hash of three bytes, a chain of the earlier positions that had it.
private struct MatchFinder {
  let input: UnsafeBufferPointer<UInt8>
  /// The latest position of each hash.
  let head: UnsafeMutableBufferPointer<Int32>
  /// For each position modulo the window, the previous position with the same hash.
  let previous: UnsafeMutableBufferPointer<Int32>

  static let hashBits = 16
  /// How many candidates to try per position: enough for flat images, bounded for noise.
  static let maxChain = 64
  /// Marks an empty slot; it is farther back than any allowed distance, so no special case is needed.
  static let none: Int32 = -0x1_0000

  init(_ input: UnsafeBufferPointer<UInt8>) {
    self.input = input
    head = .allocate(capacity: 1 << Self.hashBits)
    head.initialize(repeating: Self.none)
    previous = .allocate(capacity: Deflate.windowSize)
    previous.initialize(repeating: Self.none)
  }

  func deallocate() {
    head.deallocate()
    previous.deallocate()
  }

  private func hash(at position: Int) -> Int {
    let key = UInt32(input[position]) | UInt32(input[position + 1]) << 8 | UInt32(input[position + 2]) << 16
    return Int((key &* 0x9E37_79B1) >> UInt32(32 - Self.hashBits))
  }

  /// Records `position` as the newest start of its three bytes; positions must come in increasing order.
  func insert(_ position: Int) {
    guard position + Deflate.minMatch <= input.count else { return }
    let h = hash(at: position)
    previous[position & (Deflate.windowSize - 1)] = head[h]
    head[h] = Int32(position)
  }

  /// The longest earlier copy of the bytes at `position`, up to `limit` (≥ 3) bytes; length 0 if none.
  func longestMatch(at position: Int, limit: Int) -> (length: Int, distance: Int) {
    let base = input.baseAddress!
    let here = base + position
    var best = (length: 0, distance: 0)
    var candidate = Int(head[hash(at: position)])
    var chain = Self.maxChain
    while position - candidate <= Deflate.maxDistance && chain > 0 {
      let there = base + candidate
      // Only a candidate that also matches one byte past the current best can beat it.
      if there[best.length] == here[best.length] {
        var length = 0
        while length < limit && there[length] == here[length] { length += 1 }
        if length > best.length {
          best = (length, position - candidate)
          if length == limit { break }
        }
      }
      candidate = Int(previous[candidate & (Deflate.windowSize - 1)])
      chain -= 1
    }
    return best
  }
}
