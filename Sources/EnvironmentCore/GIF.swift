/// An animated GIF (GIF89a) built frame by frame, for recordings of episodes.
///
/// Each ``append(_:)`` encodes its frame at once, so a recording holds compressed bytes, never a list of
/// frames. Colours get global palette indices in the order they first appear; games use few colours, so
/// the palette is exact. Only the rectangle that changed since the previous frame is stored (the frames
/// are drawn over each other, disposal "do not dispose"), which keeps both the file and the work small:
/// a Breakout step changes a ball, a paddle and perhaps a brick. An unchanged frame is a one-pixel image,
/// so the file has exactly one image per appended frame. If the global palette fills up (more than 256
/// colours in the recording), a frame whose colours it cannot hold carries its own local table, quantised
/// like ``GIFPalette/quantizing(_:)`` when that frame alone has more than 256 colours.
///
/// ```swift
/// var gif = GIFEncoder(width: frame.width, height: frame.height, scale: 2, delayCentiseconds: 4)
/// gif.append(frame)
/// try Data(gif.data()).write(to: url)
/// ```
///
/// The LZW coder follows the GIF89a specification; the file loops forever (NETSCAPE2.0 extension).
public struct GIFEncoder: Sendable {
  /// Width of the appended frames (before scaling).
  public let width: Int
  /// Height of the appended frames (before scaling).
  public let height: Int
  /// Each pixel becomes a `scale × scale` block (nearest neighbour).
  public let scale: Int
  /// Display time of each frame in hundredths of a second.
  public let delayCentiseconds: Int
  /// Frames appended so far.
  public private(set) var frameCount = 0

  private var palette: [UInt32] = []
  private var paletteIndex: [UInt32: UInt8] = [:]
  /// A palette fixed up front (``encode(_:scale:delayCentiseconds:)``): every colour maps into it.
  private var fixed: GIFPalette?
  private var body: [UInt8] = []
  private var previous: [UInt8] = []
  private var indices: [UInt8] = []
  /// The previous frame as palette indices, while every frame so far fitted the global palette: unchanged
  /// rows of a changed rectangle are copied from here instead of being looked up again.
  private var cachedIndices: [UInt8] = []
  private var cacheValid = false
  private var changedRows: [Bool] = []
  private var scaled: [UInt8] = []
  private var compressor = GIFLZWCompressor()

  /// An empty animation of `width × height` frames, shown `scale` times larger.
  public init(width: Int, height: Int, scale: Int = 1, delayCentiseconds: Int = 4) {
    precondition(width > 0 && height > 0, "a GIF needs a positive size")
    precondition(scale >= 1 && width * scale <= 0xFFFF && height * scale <= 0xFFFF, "GIF sides are at most 65535 pixels")
    precondition((0...0xFFFF).contains(delayCentiseconds), "GIF delays are 0...65535 centiseconds")
    self.width = width
    self.height = height
    self.scale = scale
    self.delayCentiseconds = delayCentiseconds
  }

  /// The frame delay closest to `fps` frames per second (GIF counts in hundredths of a second).
  public static func delay(fps: Double) -> Int {
    precondition(fps > 0, "fps must be positive")
    return max(1, Int((100 / fps).rounded()))
  }

  /// Encodes `frame` as the next image.
  ///
  /// - Complexity: O(changed pixels × scale²) plus a row comparison with the previous frame.
  public mutating func append(_ frame: Frame) {
    precondition(frame.width == width && frame.height == height,
                 "frame is \(frame.width)x\(frame.height), the animation \(width)x\(height)")
    frame.pixels.withUnsafeBufferPointer { appendImage($0) }
    frameCount += 1
  }

  /// The complete file: header, global colour table, loop extension, the images, trailer.
  public func data() -> [UInt8] {
    var file = Array("GIF89a".utf8)
    appendLittleEndian(width * scale, to: &file)
    appendLittleEndian(height * scale, to: &file)
    let colors = palette.isEmpty ? [0] : palette
    let sizeBits = Self.tableBits(colors.count)
    file += [0x80 | 0x70 | UInt8(sizeBits - 1), 0, 0]  // global table, 8 bits per primary, its size
    appendTable(colors, bits: sizeBits, to: &file)
    file += [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00]  // loop forever
    file += body
    file.append(0x3B)
    return file
  }

  /// All `frames` as one GIF whose global palette is built from the colours of every frame: exact up to
  /// 256 colours, otherwise quantised by ``GIFPalette/quantizing(_:)`` (the most frequent 255 are kept).
  public static func encode(_ frames: [Frame], scale: Int = 1, delayCentiseconds: Int = 4) -> [UInt8] {
    precondition(!frames.isEmpty, "a GIF needs at least one frame")
    var order: [UInt32] = [], counts: [UInt32: Int] = [:]
    for frame in frames {
      precondition(frame.width == frames[0].width && frame.height == frames[0].height, "frames differ in size")
      let p = frame.pixels
      for i in stride(from: 0, to: p.count, by: 3) {
        let key = GIFPalette.key(p[i], p[i + 1], p[i + 2])
        if let c = counts[key] { counts[key] = c + 1 } else { counts[key] = 1; order.append(key) }
      }
    }
    let chosen = GIFPalette.quantizing(order.map { ($0, counts[$0]!) })
    var encoder = GIFEncoder(width: frames[0].width, height: frames[0].height, scale: scale, delayCentiseconds: delayCentiseconds)
    encoder.fixed = chosen
    encoder.palette = chosen.colors
    encoder.paletteIndex = chosen.indexOf
    for frame in frames { encoder.append(frame) }
    return encoder.data()
  }

  // MARK: - Images

  private mutating func appendImage(_ pixels: UnsafeBufferPointer<UInt8>) {
    let rowBytes = width * 3
    var top = 0, bottom = height - 1, left = 0, right = width - 1
    if changedRows.count != height { changedRows = [Bool](repeating: true, count: height) }
    if frameCount > 0 {
      previous.withUnsafeBufferPointer { old in
        func same(_ y: Int) -> Bool {
          bytesEqual(old.baseAddress! + y * rowBytes, pixels.baseAddress! + y * rowBytes, rowBytes)
        }
        while top < height && same(top) { top += 1 }
        if top == height { return }
        while same(bottom) { bottom -= 1 }
        left = width; right = -1
        for y in top...bottom {
          let a = old.baseAddress! + y * rowBytes, b = pixels.baseAddress! + y * rowBytes
          changedRows[y] = y == top || y == bottom || !bytesEqual(a, b, rowBytes)
          if !changedRows[y] { continue }
          var x = 0
          while x < left && a[3 * x] == b[3 * x] && a[3 * x + 1] == b[3 * x + 1] && a[3 * x + 2] == b[3 * x + 2] { x += 1 }
          left = min(left, x)
          x = width - 1
          while x > right && a[3 * x] == b[3 * x] && a[3 * x + 1] == b[3 * x + 1] && a[3 * x + 2] == b[3 * x + 2] { x -= 1 }
          right = max(right, x)
        }
      }
      if top == height { top = 0; bottom = 0; left = 0; right = 0; changedRows[0] = false }  // unchanged: one pixel
      previous.withUnsafeMutableBufferPointer { old in
        let start = top * rowBytes, count = (bottom - top + 1) * rowBytes
        old.baseAddress!.advanced(by: start).update(from: pixels.baseAddress! + start, count: count)
      }
    } else {
      previous = Array(pixels)
      for y in 0..<height { changedRows[y] = true }
    }

    let w = right - left + 1, h = bottom - top + 1
    if indices.count < w * h { indices = [UInt8](repeating: 0, count: w * h) }
    var local: GIFPalette?
    if frameCount == 0 || cacheValid {
      if cachedIndices.count != width * height { cachedIndices = [UInt8](repeating: 0, count: width * height) }
      cacheValid = mapToGlobal(pixels, left: left, top: top, w: w, h: h, intoCache: true)
      if cacheValid {
        cachedIndices.withUnsafeBufferPointer { cache in
          indices.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
              (out.baseAddress! + y * w).update(from: cache.baseAddress! + (top + y) * width + left, count: w)
            }
          }
        }
      }
    }
    if !cacheValid && !mapToGlobal(pixels, left: left, top: top, w: w, h: h, intoCache: false) {
      let chosen = localPalette(pixels, left: left, top: top, w: w, h: h)
      mapWith(chosen, pixels, left: left, top: top, w: w, h: h)
      local = chosen
    }

    // Graphic control: disposal 1 (leave in place), no transparency, the delay.
    body += [0x21, 0xF9, 0x04, 0x04]
    appendLittleEndian(delayCentiseconds, to: &body)
    body += [0x00, 0x00]
    body.append(0x2C)
    appendLittleEndian(left * scale, to: &body)
    appendLittleEndian(top * scale, to: &body)
    appendLittleEndian(w * scale, to: &body)
    appendLittleEndian(h * scale, to: &body)
    let colorCount: Int
    if let local {
      let bits = Self.tableBits(local.colors.count)
      body.append(0x80 | UInt8(bits - 1))
      appendTable(local.colors, bits: bits, to: &body)
      colorCount = local.colors.count
    } else {
      body.append(0)
      colorCount = palette.count
    }
    let codeSize = max(2, Self.tableBits(colorCount))

    if scale == 1 {
      indices.withUnsafeBufferPointer { all in
        compressor.compress(UnsafeBufferPointer(rebasing: all[0..<(w * h)]), minimumCodeSize: codeSize, into: &body)
      }
    } else {
      let sw = w * scale, count = sw * h * scale
      if scaled.count < count { scaled = [UInt8](repeating: 0, count: count) }
      scaled.withUnsafeMutableBufferPointer { out in
        indices.withUnsafeBufferPointer { source in
          var row = out.baseAddress!
          for y in 0..<h {
            let line = row
            for x in 0..<w { (line + x * scale).update(repeating: source[y * w + x], count: scale) }
            row += sw
            for _ in 1..<scale { row.update(from: line, count: sw); row += sw }
          }
        }
        compressor.compress(UnsafeBufferPointer(rebasing: out[0..<count]), minimumCodeSize: codeSize, into: &body)
      }
    }
  }

  /// Fills `indices` with global palette indices of the rectangle, adding new colours while the table has
  /// room; false if a colour does not fit (the frame then needs a local table).
  /// With `intoCache`, only the rectangle's changed rows are looked up, into ``cachedIndices`` (full-frame layout).
  private mutating func mapToGlobal(_ pixels: UnsafeBufferPointer<UInt8>, left: Int, top: Int, w: Int, h: Int, intoCache: Bool) -> Bool {
    var lastKey = UInt32.max, lastIndex: UInt8 = 0
    var fits = true
    var target: [UInt8] = []
    if intoCache { swap(&target, &cachedIndices) } else { swap(&target, &indices) }
    defer { if intoCache { swap(&target, &cachedIndices) } else { swap(&target, &indices) } }
    let origin = intoCache ? top * width + left : 0, stride = intoCache ? width : w
    target.withUnsafeMutableBufferPointer { out in
      rows: for y in 0..<h {
        if intoCache && !changedRows[top + y] { continue }
        let row = pixels.baseAddress! + ((top + y) * width + left) * 3
        for x in 0..<w {
          let key = GIFPalette.key(row[3 * x], row[3 * x + 1], row[3 * x + 2])
          if key != lastKey {
            if let index = paletteIndex[key] {
              lastIndex = index
            } else if let fixed {
              lastIndex = GIFPalette.nearest(key, in: fixed.colors)
              paletteIndex[key] = lastIndex
            } else if palette.count < 256 {
              lastIndex = UInt8(palette.count)
              palette.append(key)
              paletteIndex[key] = lastIndex
            } else {
              fits = false
              break rows
            }
            lastKey = key
          }
          out[origin + y * stride + x] = lastIndex
        }
      }
    }
    return fits
  }

  private func localPalette(_ pixels: UnsafeBufferPointer<UInt8>, left: Int, top: Int, w: Int, h: Int) -> GIFPalette {
    var order: [UInt32] = [], counts: [UInt32: Int] = [:]
    for y in 0..<h {
      let row = pixels.baseAddress! + ((top + y) * width + left) * 3
      for x in 0..<w {
        let key = GIFPalette.key(row[3 * x], row[3 * x + 1], row[3 * x + 2])
        if let c = counts[key] { counts[key] = c + 1 } else { counts[key] = 1; order.append(key) }
      }
    }
    return GIFPalette.quantizing(order.map { ($0, counts[$0]!) })
  }

  private mutating func mapWith(_ chosen: GIFPalette, _ pixels: UnsafeBufferPointer<UInt8>, left: Int, top: Int, w: Int, h: Int) {
    indices.withUnsafeMutableBufferPointer { out in
      for y in 0..<h {
        let row = pixels.baseAddress! + ((top + y) * width + left) * 3
        for x in 0..<w {
          out[y * w + x] = chosen.indexOf[GIFPalette.key(row[3 * x], row[3 * x + 1], row[3 * x + 2])]!
        }
      }
    }
  }

  // MARK: - Bytes

  /// Bits of the smallest GIF colour table (2, 4, …, 256 entries) holding `count` colours.
  private static func tableBits(_ count: Int) -> Int {
    var bits = 1
    while 1 << bits < count { bits += 1 }
    return bits
  }

  private func appendTable(_ colors: [UInt32], bits: Int, to bytes: inout [UInt8]) {
    for color in colors { bytes += [UInt8(color >> 16 & 0xFF), UInt8(color >> 8 & 0xFF), UInt8(color & 0xFF)] }
    bytes += [UInt8](repeating: 0, count: ((1 << bits) - colors.count) * 3)
  }

  private func appendLittleEndian(_ value: Int, to bytes: inout [UInt8]) {
    bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)]
  }
}

/// Whether `count` bytes at `a` and `b` are equal, compared 32 at a time.
@inline(__always)
private func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  let a = UnsafeRawPointer(a), b = UnsafeRawPointer(b)
  var i = 0
  while i + 32 <= count {
    let x0 = a.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
    let x1 = a.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self) ^ b.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
    let x2 = a.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) ^ b.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
    let x3 = a.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self) ^ b.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
    if x0 | x1 | x2 | x3 != 0 { return false }
    i += 32
  }
  while i + 8 <= count {
    if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
    i += 8
  }
  while i < count {
    if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
    i += 1
  }
  return true
}
