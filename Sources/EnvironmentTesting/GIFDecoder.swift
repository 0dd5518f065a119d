import EnvironmentCore

/// Why a GIF file could not be decoded.
public struct GIFDecodingError: Error, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "GIF decoding failed: \(message)" }
}

/// A decoded GIF: the canvas after each image, with the per-image delays and the loop setting.
public struct GIFAnimation {
  /// The full canvas after each image was drawn (disposal applied as the file asks).
  public var frames: [Frame]
  /// Each image's delay in hundredths of a second (0 without a graphic control extension).
  public var delays: [Int]
  /// The NETSCAPE2.0 loop count (0 = forever), nil without that extension.
  public var loopCount: Int?
  /// Entries in the global colour table (0 without one).
  public var globalColorCount: Int
  /// How many images carried a local colour table.
  public var localTables: Int
}

/// A strict GIF87a/GIF89a reader for tests, written apart from the encoder so that a bug there cannot
/// hide itself: it reads any code size 2…8, local and global tables, sub-rectangles, disposal methods 0–2,
/// interlacing and unknown extensions, and rejects codes that are out of range.
public enum GIFDecoder {
  public static func decode(_ bytes: [UInt8]) throws -> GIFAnimation {
    var reader = Reader(bytes: bytes)
    let signature = String(decoding: try reader.take(6), as: UTF8.self)
    guard signature == "GIF89a" || signature == "GIF87a" else { throw GIFDecodingError("bad signature '\(signature)'") }
    let width = try reader.u16(), height = try reader.u16()
    guard width > 0 && height > 0 else { throw GIFDecodingError("empty logical screen") }
    let flags = try reader.byte()
    let background = Int(try reader.byte())
    _ = try reader.byte()
    var global: [RGB] = []
    if flags & 0x80 != 0 { global = try reader.colorTable(bits: Int(flags & 7) + 1) }

    var canvas = Frame(width: width, height: height, color: background < global.count ? global[background] : .black)
    var animation = GIFAnimation(frames: [], delays: [], loopCount: nil, globalColorCount: global.count, localTables: 0)
    var delay = 0, disposal = 0, transparent: Int?
    while true {
      let introducer = try reader.byte()
      switch introducer {
      case 0x3B:
        return animation
      case 0x21:
        let label = try reader.byte()
        let blocks = try reader.subBlocks()
        if label == 0xF9 {
          guard blocks.count == 4 else { throw GIFDecodingError("graphic control block of \(blocks.count) bytes") }
          disposal = Int(blocks[0] >> 2 & 7)
          delay = Int(blocks[1]) | Int(blocks[2]) << 8
          transparent = blocks[0] & 1 != 0 ? Int(blocks[3]) : nil
        } else if label == 0xFF, blocks.count >= 14, String(decoding: blocks[0..<11], as: UTF8.self) == "NETSCAPE2.0" {
          animation.loopCount = Int(blocks[12]) | Int(blocks[13]) << 8
        }
      case 0x2C:
        let left = try reader.u16(), top = try reader.u16(), w = try reader.u16(), h = try reader.u16()
        guard w > 0, h > 0, left + w <= width, top + h <= height else {
          throw GIFDecodingError("image \(w)x\(h) at (\(left),\(top)) outside the \(width)x\(height) screen")
        }
        let imageFlags = try reader.byte()
        var table = global
        if imageFlags & 0x80 != 0 {
          table = try reader.colorTable(bits: Int(imageFlags & 7) + 1)
          animation.localTables += 1
        }
        guard !table.isEmpty else { throw GIFDecodingError("image without a colour table") }
        let codeSize = Int(try reader.byte())
        guard (2...8).contains(codeSize) else { throw GIFDecodingError("LZW code size \(codeSize)") }
        let indices = try decompress(try reader.subBlocks(), codeSize: codeSize, pixelCount: w * h)
        let rows = imageFlags & 0x40 != 0 ? interlacedRows(h) : Array(0..<h)
        let before = canvas
        for (i, y) in rows.enumerated() {
          for x in 0..<w {
            let index = Int(indices[i * w + x])
            if index == transparent { continue }
            guard index < table.count else { throw GIFDecodingError("colour index \(index) beyond a table of \(table.count)") }
            canvas[left + x, top + y] = table[index]
          }
        }
        animation.frames.append(canvas)
        animation.delays.append(delay)
        if disposal == 2 {
          let fill = background < global.count ? global[background] : .black
          for y in top..<(top + h) { for x in left..<(left + w) { canvas[x, y] = fill } }
        } else if disposal == 3 {
          canvas = before
        }
        delay = 0; disposal = 0; transparent = nil
      default:
        throw GIFDecodingError("unexpected byte 0x\(String(introducer, radix: 16)) at \(reader.offset - 1)")
      }
    }
  }

  /// The classic LZW decoder: the dictionary as (prefix, suffix) pairs, widths growing at powers of two.
  static func decompress(_ data: [UInt8], codeSize: Int, pixelCount: Int) throws -> [UInt8] {
    let clear = 1 << codeSize, end = clear + 1
    var prefix = [Int](repeating: -1, count: 4096), suffix = [UInt8](repeating: 0, count: 4096)
    for i in 0..<clear { suffix[i] = UInt8(truncatingIfNeeded: i) }
    var width = codeSize + 1, next = clear + 2
    var previous: Int?
    var output: [UInt8] = []
    output.reserveCapacity(pixelCount)
    var bitPosition = 0
    var stack: [UInt8] = []

    func string(_ code: Int) -> [UInt8] {
      stack.removeAll(keepingCapacity: true)
      var c = code
      while c >= 0 { stack.append(suffix[c]); c = c < clear ? -1 : prefix[c] }
      return stack.reversed()
    }

    while true {
      guard bitPosition + width <= data.count * 8 else { throw GIFDecodingError("LZW data ends without an end code") }
      var code = 0
      for b in 0..<width {
        let bit = bitPosition + b
        if data[bit >> 3] >> UInt8(bit & 7) & 1 != 0 { code |= 1 << b }
      }
      bitPosition += width
      if code == clear {
        width = codeSize + 1; next = clear + 2; previous = nil
        continue
      }
      if code == end { break }
      guard let last = previous else {
        guard code < clear else { throw GIFDecodingError("code \(code) after a clear is not a colour") }
        output.append(UInt8(code))
        previous = code
        continue
      }
      let entry: [UInt8]
      if code < next {
        entry = string(code)
      } else if code == next {
        let head = string(last)
        entry = head + [head[0]]
      } else {
        throw GIFDecodingError("code \(code) beyond the dictionary (next \(next))")
      }
      if next < 4096 {
        prefix[next] = last
        suffix[next] = entry[0]
        next += 1
        if next == 1 << width && width < 12 { width += 1 }
      }
      output += entry
      previous = code
    }
    guard output.count == pixelCount else { throw GIFDecodingError("\(output.count) pixels decoded, \(pixelCount) expected") }
    return Array(output.prefix(pixelCount))
  }

  private static func interlacedRows(_ h: Int) -> [Int] {
    Array(stride(from: 0, to: h, by: 8)) + Array(stride(from: 4, to: h, by: 8))
      + Array(stride(from: 2, to: h, by: 4)) + Array(stride(from: 1, to: h, by: 2))
  }

  private struct Reader {
    let bytes: [UInt8]
    var offset = 0

    mutating func byte() throws -> UInt8 {
      guard offset < bytes.count else { throw GIFDecodingError("file ends at byte \(offset)") }
      defer { offset += 1 }
      return bytes[offset]
    }
    mutating func take(_ n: Int) throws -> [UInt8] {
      guard offset + n <= bytes.count else { throw GIFDecodingError("file ends at byte \(offset)") }
      defer { offset += n }
      return Array(bytes[offset..<(offset + n)])
    }
    mutating func u16() throws -> Int { let b = try take(2); return Int(b[0]) | Int(b[1]) << 8 }
    mutating func colorTable(bits: Int) throws -> [RGB] {
      let raw = try take(3 << bits)
      return stride(from: 0, to: raw.count, by: 3).map { RGB(raw[$0], raw[$0 + 1], raw[$0 + 2]) }
    }
    mutating func subBlocks() throws -> [UInt8] {
      var data: [UInt8] = []
      while true {
        let n = Int(try byte())
        if n == 0 { return data }
        data += try take(n)
      }
    }
  }
}
