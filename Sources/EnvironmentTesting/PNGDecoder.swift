import EnvironmentCore

/// Why a PNG file could not be decoded.
public struct PNGDecodingError: Error, CustomStringConvertible {
  public let message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { "PNG decoding failed: \(message)" }
}

/// A strict PNG reader for tests, to prove that written files decode back to the same pixels.
///
/// It shares no code with the encoder (its own INFLATE and checksums) so that a bug there cannot hide itself,
/// and it reads what other tools write too: stored, fixed and dynamic Huffman blocks, all five filters,
/// 8-bit RGB and RGBA (alpha dropped), not interlaced. Every chunk CRC and the zlib Adler-32 are checked.
public enum PNGDecoder {
  /// The image in `bytes`, or a `PNGDecodingError` saying what is wrong with it.
  public static func decode(_ bytes: [UInt8]) throws -> Frame {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard bytes.starts(with: signature) else { throw PNGDecodingError("missing PNG signature") }
    var offset = signature.count
    var header: Header?
    var compressed: [UInt8] = []
    var ended = false
    while !ended {
      guard bytes.count - offset >= 12 else { throw PNGDecodingError("file ends inside a chunk at byte \(offset)") }
      let length = Int(bigEndian(bytes, at: offset))
      guard length <= bytes.count - offset - 12 else { throw PNGDecodingError("chunk at byte \(offset) is truncated") }
      let typeBytes = Array(bytes[(offset + 4)..<(offset + 8)])
      let type = String(decoding: typeBytes, as: UTF8.self)
      let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
      guard crc32(typeBytes + data) == bigEndian(bytes, at: offset + 8 + length) else {
        throw PNGDecodingError("CRC mismatch in \(type) chunk at byte \(offset)")
      }
      offset += 12 + length
      guard header != nil || type == "IHDR" else { throw PNGDecodingError("first chunk is \(type), not IHDR") }
      switch type {
      case "IHDR":
        guard header == nil else { throw PNGDecodingError("more than one IHDR chunk") }
        header = try Header(data)
      case "IDAT":
        compressed += data
      case "IEND":
        ended = true
      case "PLTE":
        break  // a suggested palette for truecolour images; the pixels do not depend on it
      default:
        // Bit 5 of the first letter (lowercase) marks an ancillary chunk, which may be skipped.
        guard typeBytes[0] & 0x20 != 0 else { throw PNGDecodingError("unknown critical chunk \(type)") }
      }
    }
    guard offset == bytes.count else { throw PNGDecodingError("\(bytes.count - offset) bytes after IEND") }
    guard let header else { throw PNGDecodingError("no IHDR chunk") }
    guard !compressed.isEmpty else { throw PNGDecodingError("no IDAT chunk") }

    let filtered = try zlibDecompress(compressed)
    let rowBytes = header.width * header.channels
    guard filtered.count == header.height * (rowBytes + 1) else {
      throw PNGDecodingError("image data is \(filtered.count) bytes, expected \(header.height * (rowBytes + 1))")
    }
    let samples = try unfilter(filtered, rowBytes: rowBytes, height: header.height, bytesPerPixel: header.channels)
    if header.channels == 3 {
      return Frame(width: header.width, height: header.height, pixels: samples)
    }
    var rgb: [UInt8] = []
    rgb.reserveCapacity(header.width * header.height * 3)
    for start in stride(from: 0, to: samples.count, by: 4) {
      rgb += samples[start..<(start + 3)]
    }
    return Frame(width: header.width, height: header.height, pixels: rgb)
  }

  private struct Header {
    let width: Int
    let height: Int
    let channels: Int

    init(_ data: [UInt8]) throws {
      guard data.count == 13 else { throw PNGDecodingError("IHDR has \(data.count) bytes, not 13") }
      width = Int(bigEndian(data, at: 0))
      height = Int(bigEndian(data, at: 4))
      guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24, width * height <= 1 << 28 else {
        throw PNGDecodingError("unsupported size \(width)x\(height)")
      }
      guard data[8] == 8 else { throw PNGDecodingError("unsupported bit depth \(data[8])") }
      switch data[9] {
      case 2: channels = 3
      case 6: channels = 4
      default: throw PNGDecodingError("unsupported colour type \(data[9]) (only RGB and RGBA)")
      }
      guard data[10] == 0, data[11] == 0 else { throw PNGDecodingError("unknown compression or filter method") }
      guard data[12] == 0 else { throw PNGDecodingError("interlaced images are not supported") }
    }
  }

  // MARK: Filters

  private static func unfilter(_ data: [UInt8], rowBytes: Int, height: Int, bytesPerPixel bpp: Int) throws -> [UInt8] {
    var out = [UInt8](repeating: 0, count: rowBytes * height)
    for y in 0..<height {
      let source = y * (rowBytes + 1)
      let filter = data[source]
      guard filter <= 4 else { throw PNGDecodingError("unknown filter type \(filter) in row \(y)") }
      let row = y * rowBytes
      for i in 0..<rowBytes {
        // Left, up and up-left neighbours of the same channel; zero outside the image.
        let a = i >= bpp ? Int(out[row + i - bpp]) : 0
        let b = y > 0 ? Int(out[row - rowBytes + i]) : 0
        let c = i >= bpp && y > 0 ? Int(out[row - rowBytes + i - bpp]) : 0
        let prediction = switch filter {
        case 0: 0
        case 1: a
        case 2: b
        case 3: (a + b) / 2
        default: paeth(a, b, c)
        }
        out[row + i] = data[source + 1 + i] &+ UInt8(prediction)
      }
    }
    return out
  }

  private static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
    let estimate = a + b - c
    let (da, db, dc) = (abs(estimate - a), abs(estimate - b), abs(estimate - c))
    if da <= db && da <= dc { return a }
    return db <= dc ? b : c
  }

  // MARK: zlib and INFLATE

  private static func zlibDecompress(_ data: [UInt8]) throws -> [UInt8] {
    guard data.count >= 6 else { throw PNGDecodingError("zlib stream too short") }
    guard data[0] & 0x0F == 8, data[0] >> 4 <= 7 else { throw PNGDecodingError("zlib stream is not deflate") }
    guard (Int(data[0]) << 8 | Int(data[1])) % 31 == 0 else { throw PNGDecodingError("bad zlib header check") }
    guard data[1] & 0x20 == 0 else { throw PNGDecodingError("zlib preset dictionary not allowed in PNG") }
    var reader = BitReader(bytes: data, position: 2)
    let output = try inflate(&reader)
    reader.alignToByte()
    guard reader.position + 4 == data.count else {
      throw PNGDecodingError("zlib stream has \(data.count - reader.position) bytes after the deflate data, not 4")
    }
    guard adler32(output) == bigEndian(data, at: reader.position) else { throw PNGDecodingError("Adler-32 mismatch") }
    return output
  }

  private static func inflate(_ reader: inout BitReader) throws -> [UInt8] {
    var output: [UInt8] = []
    var isLast = false
    while !isLast {
      isLast = try reader.bits(1) == 1
      switch try reader.bits(2) {
      case 0:
        reader.alignToByte()
        let length = try reader.bits(16)
        guard try reader.bits(16) == length ^ 0xFFFF else { throw PNGDecodingError("stored block length check failed") }
        // Reading whole bytes after the alignment leaves no buffered bits, so the bytes can be copied directly.
        guard reader.bytes.count - reader.position >= length else { throw PNGDecodingError("stored block truncated") }
        output += reader.bytes[reader.position..<(reader.position + length)]
        reader.position += length
      case 1:
        try inflateBlock(&reader, literals: fixedLiterals, distances: fixedDistances, into: &output)
      case 2:
        let (literals, distances) = try readDynamicCodes(&reader)
        try inflateBlock(&reader, literals: literals, distances: distances, into: &output)
      default:
        throw PNGDecodingError("invalid deflate block type 3")
      }
    }
    return output
  }

  private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                   35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
  private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
  private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                     257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                     8193, 12289, 16385, 24577]
  private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                      7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

  private static func inflateBlock(
    _ reader: inout BitReader, literals: HuffmanCode, distances: HuffmanCode, into output: inout [UInt8]
  ) throws {
    while true {
      let symbol = try literals.decode(&reader)
      if symbol < 256 {
        output.append(UInt8(symbol))
        continue
      }
      if symbol == 256 { return }
      guard symbol <= 285 else { throw PNGDecodingError("invalid length symbol \(symbol)") }
      let length = lengthBase[symbol - 257] + (try reader.bits(lengthExtra[symbol - 257]))
      let distanceSymbol = try distances.decode(&reader)
      guard distanceSymbol < 30 else { throw PNGDecodingError("invalid distance symbol \(distanceSymbol)") }
      let distance = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
      guard distance <= output.count else { throw PNGDecodingError("distance \(distance) reaches before the start") }
      // Byte by byte, because a copy may overlap the bytes it produces (a run).
      let from = output.count - distance
      for k in 0..<length { output.append(output[from + k]) }
    }
  }

  private static let fixedLiterals = try! HuffmanCode(
    lengths: Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112)
      + Array(repeating: 7, count: 24) + Array(repeating: 8, count: 8))
  private static let fixedDistances = try! HuffmanCode(lengths: Array(repeating: 5, count: 30))

  /// The order in which a dynamic block lists the code lengths of its code-length alphabet.
  private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

  private static func readDynamicCodes(_ reader: inout BitReader) throws -> (HuffmanCode, HuffmanCode) {
    let literalCount = try reader.bits(5) + 257
    let distanceCount = try reader.bits(5) + 1
    let codeLengthCount = try reader.bits(4) + 4
    guard literalCount <= 286, distanceCount <= 30 else { throw PNGDecodingError("too many codes in dynamic block") }
    var codeLengthLengths = [Int](repeating: 0, count: 19)
    for index in 0..<codeLengthCount {
      codeLengthLengths[codeLengthOrder[index]] = try reader.bits(3)
    }
    let codeLengthCode = try HuffmanCode(lengths: codeLengthLengths)
    var lengths: [Int] = []
    while lengths.count < literalCount + distanceCount {
      let symbol = try codeLengthCode.decode(&reader)
      switch symbol {
      case 0...15:
        lengths.append(symbol)
      case 16:
        guard let previous = lengths.last else { throw PNGDecodingError("repeat code with nothing to repeat") }
        lengths += repeatElement(previous, count: 3 + (try reader.bits(2)))
      case 17:
        lengths += repeatElement(0, count: 3 + (try reader.bits(3)))
      default:
        lengths += repeatElement(0, count: 11 + (try reader.bits(7)))
      }
    }
    guard lengths.count == literalCount + distanceCount else { throw PNGDecodingError("code lengths overrun") }
    guard lengths[256] > 0 else { throw PNGDecodingError("dynamic block has no end-of-block code") }
    return (
      try HuffmanCode(lengths: Array(lengths[..<literalCount])),
      try HuffmanCode(lengths: Array(lengths[literalCount...]))
    )
  }

  // MARK: Checksums (bitwise, unlike the encoder's tables)

  private static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 {
        crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
      }
    }
    return ~crc
  }

  private static func adler32(_ bytes: [UInt8]) -> UInt32 {
    var (a, b): (UInt32, UInt32) = (1, 0)
    for byte in bytes {
      a = (a + UInt32(byte)) % 65_521
      b = (b + a) % 65_521
    }
    return b << 16 | a
  }

  private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
  }
}

/// Reads DEFLATE bit fields, least significant bit first.
private struct BitReader {
  let bytes: [UInt8]
  var position: Int
  private var buffer: UInt32 = 0
  private var count = 0

  init(bytes: [UInt8], position: Int) {
    self.bytes = bytes
    self.position = position
  }

  mutating func bits(_ needed: Int) throws -> Int {
    while count < needed {
      guard position < bytes.count else { throw PNGDecodingError("compressed data ends early") }
      buffer |= UInt32(bytes[position]) << UInt32(count)
      position += 1
      count += 8
    }
    let value = Int(buffer & (1 << UInt32(needed) - 1))
    buffer >>= UInt32(needed)
    count -= needed
    return value
  }

  /// Drops the rest of the current byte; fewer than 8 bits are ever buffered between reads.
  mutating func alignToByte() {
    buffer = 0
    count = 0
  }
}

/// A canonical Huffman code, decoded one bit at a time: slow but short and easy to check against RFC 1951.
private struct HuffmanCode {
  /// How many codes have each length 0...15.
  private var counts = [Int](repeating: 0, count: 16)
  /// The symbols in code order: by length, then by symbol value.
  private var symbols: [Int] = []

  init(lengths: [Int]) throws {
    for length in lengths { counts[length] += 1 }
    var unused = 1
    for length in 1...15 {
      unused = unused * 2 - counts[length]
      guard unused >= 0 else { throw PNGDecodingError("over-subscribed Huffman code") }
    }
    var next = [Int](repeating: 0, count: 16)
    for length in 1..<15 { next[length + 1] = next[length] + counts[length] }
    symbols = [Int](repeating: 0, count: lengths.count - counts[0])
    for (symbol, length) in lengths.enumerated() where length > 0 {
      symbols[next[length]] = symbol
      next[length] += 1
    }
  }

  func decode(_ reader: inout BitReader) throws -> Int {
    // `code` is the bits read so far; `first` the first code of the current length; `index` its symbol's place.
    var code = 0
    var first = 0
    var index = 0
    for length in 1...15 {
      code |= try reader.bits(1)
      let count = counts[length]
      if code - first < count { return symbols[index + code - first] }
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    throw PNGDecodingError("invalid Huffman code")
  }
}
