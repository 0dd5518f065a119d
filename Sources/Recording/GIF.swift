import EnvironmentCore

/// An animated GIF (GIF89a) built frame by frame, for recordings of episodes.
///
/// Each ``append(_:)`` encodes its frame at once, so a recording holds compressed bytes, never a list of
/// frames. Colours get global palette indices in the order they first appear; games use few colours, so
/// the palette is exact. Only the rectangle that changed since the previous frame is stored (the frames
/// are drawn over each other, disposal "do not dispose"), and inside it the pixels that did not change are
/// transparent, which keeps both the file and the work small: a Breakout step changes a ball, a paddle and
/// perhaps a brick. An unchanged frame is a one-pixel image, so the file has exactly one image per appended
/// frame. If the global palette fills up (more than 256 colours in the recording), a frame whose colours it
/// cannot hold carries its own local table, quantised like ``GIFPalette/quantizing(_:)`` when that frame
/// alone has more than 256 colours.
///
/// ```swift
/// var gif = GIFEncoder(width: frame.width, height: frame.height, scale: 2, delayCentiseconds: 4)
/// gif.append(frame)
/// try Data(gif.data()).write(to: url)
/// ```
///
/// The LZW coder follows the GIF89a specification; the file loops forever (NETSCAPE2.0 extension). The
/// bytes depend only on the frames and the settings.
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

  var palette: [UInt32] = []
  var paletteIndex: [UInt32: UInt8] = [:]
  /// A palette fixed up front (``encode(_:scale:delayCentiseconds:)``): every colour maps into it.
  var fixed: GIFPalette?
  /// Recently mapped colours, `key << 8 | index`, direct-mapped by key: most lookups skip the dictionary.
  var recentColors = [UInt64](repeating: .max, count: 64)
  /// Entries the global table must have: the palette, and any transparent index an image used past it.
  private var tableCount = 0
  private var body: [UInt8] = []
  /// The previous frame, RGB.
  var previous: [UInt8] = []
  /// The rows that changed since the previous frame, in order, and each row's first and last changed
  /// column at `2y`, `2y + 1` (``GIFChange/unset(width:)`` for the others).
  var changedRows: [Int] = []
  var spans: [Int] = []
  private var mergedBoxes: [FrameBox] = []
  /// The image being built, as runs of indices (scaled), and one source row of it.
  var runs: [GIFRun] = []
  var rowRuns: [GIFRun] = []
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
  /// - Complexity: O(changed pixels) plus a comparison with the previous frame; runs of equal pixels in the
  ///   changed rectangle, however large `scale` makes them, cost per LZW code rather than per pixel.
  public mutating func append(_ frame: Frame) {
    append(frame, changedWithin: nil as ArraySlice<FrameBox>?)
  }

  /// Encodes `frame` as the next image, knowing that it differs from the previous one only inside `boxes`
  /// (`nil`: anywhere), as ``FrameDrawing/damage`` tells after a redraw. The bytes are those of
  /// ``append(_:)``; only the search for changes is shorter.
  public mutating func append(_ frame: Frame, changedWithin boxes: [FrameBox]?) {
    append(frame, changedWithin: boxes?[...])
  }

  mutating func append(_ frame: Frame, changedWithin boxes: ArraySlice<FrameBox>?) {
    precondition(frame.width == width && frame.height == height,
                 "frame is \(frame.width)x\(frame.height), the animation \(width)x\(height)")
    frame.pixels.withUnsafeBufferPointer { appendImage($0.baseAddress!, changedWithin: boxes) }
    frameCount += 1
  }

  /// The complete file: header, global colour table, loop extension, the images, trailer.
  public func data() -> [UInt8] {
    var file = Array("GIF89a".utf8)
    appendLittleEndian(width * scale, to: &file)
    appendLittleEndian(height * scale, to: &file)
    let colors = palette.isEmpty ? [0] : palette
    let sizeBits = Self.tableBits(max(colors.count, tableCount))
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

  private mutating func appendImage(_ pixels: UnsafePointer<UInt8>, changedWithin boxes: ArraySlice<FrameBox>?) {
    let rowBytes = width * 3
    if spans.count != 2 * height {
      let unset = GIFChange.unset(width: width)
      spans = (0..<(2 * height)).map { $0 % 2 == 0 ? unset.first : unset.last }
    }
    var change: GIFChange
    if frameCount == 0 {
      previous = Array(UnsafeBufferPointer(start: pixels, count: height * rowBytes))
      change = GIFChange(left: 0, top: 0, right: width - 1, bottom: height - 1)
    } else {
      var rows: [Int] = []
      swap(&rows, &changedRows)
      let found = previous.withUnsafeBufferPointer { old in
        spans.withUnsafeMutableBufferPointer { spans in
          if let boxes {
            GIFChange.find(old.baseAddress!, pixels, width: width, height: height, within: boxes, merged: &mergedBoxes,
                           spans: spans.baseAddress!, rows: &rows)
          } else {
            GIFChange.find(old.baseAddress!, pixels, width: width, height: height, spans: spans.baseAddress!, rows: &rows)
          }
        }
      }
      swap(&rows, &changedRows)
      // An unchanged frame is one transparent (or repeated) pixel.
      change = found ?? GIFChange(left: 0, top: 0, right: 0, bottom: 0)
    }

    var transparent: UInt8?
    var local: GIFPalette?
    if frameCount > 0, let index = transparentRuns(pixels, change) {
      transparent = index
      tableCount = max(tableCount, Int(index) + 1)
    } else if !opaqueRuns(pixels, change, palette: nil) {
      let chosen = localPalette(pixels, change)
      _ = opaqueRuns(pixels, change, palette: chosen)
      local = chosen
    }
    writeImage(change, transparent: transparent, local: local)
    // The changed rows become the previous frame's, and their spans unset for the next search.
    let unset = GIFChange.unset(width: width)
    previous.withUnsafeMutableBufferPointer { old in
      for y in changedRows {
        let start = (y * width + spans[2 * y]) * 3
        (old.baseAddress! + start).update(from: pixels + start, count: (spans[2 * y + 1] - spans[2 * y] + 1) * 3)
        spans[2 * y] = unset.first
        spans[2 * y + 1] = unset.last
      }
    }
    changedRows.removeAll(keepingCapacity: true)
  }

  private mutating func writeImage(_ change: GIFChange, transparent: UInt8?, local: GIFPalette?) {
    var colorCount = local?.colors.count ?? palette.count
    if let transparent { colorCount = max(colorCount, Int(transparent) + 1) }
    let tableBits = local.map { Self.tableBits($0.colors.count) }
    // Graphic control (disposal 1: leave in place; the transparent index if any; the delay), then the
    // image descriptor.
    let left = change.left * scale, top = change.top * scale
    let w = (change.right - change.left + 1) * scale, h = (change.bottom - change.top + 1) * scale
    let header: [UInt8] = [
      0x21, 0xF9, 0x04, transparent == nil ? 0x04 : 0x05, UInt8(delayCentiseconds & 0xFF), UInt8(delayCentiseconds >> 8),
      transparent ?? 0, 0,
      0x2C, UInt8(left & 0xFF), UInt8(left >> 8), UInt8(top & 0xFF), UInt8(top >> 8),
      UInt8(w & 0xFF), UInt8(w >> 8), UInt8(h & 0xFF), UInt8(h >> 8),
      tableBits.map { 0x80 | UInt8($0 - 1) } ?? 0,
    ]
    body.append(contentsOf: header)
    if let local, let tableBits { appendTable(local.colors, bits: tableBits, to: &body) }
    runs.withUnsafeBufferPointer { runs in
      compressor.compress(runs: runs, minimumCodeSize: max(2, Self.tableBits(colorCount)), into: &body)
    }
  }

  // MARK: - Bytes

  /// Bits of the smallest GIF colour table (2, 4, …, 256 entries) holding `count` colours.
  static func tableBits(_ count: Int) -> Int {
    var bits = 1
    while 1 << bits < count { bits += 1 }
    return bits
  }

  private func appendTable(_ colors: [UInt32], bits: Int, to bytes: inout [UInt8]) {
    for color in colors {
      bytes.append(UInt8(color >> 16 & 0xFF))
      bytes.append(UInt8(color >> 8 & 0xFF))
      bytes.append(UInt8(color & 0xFF))
    }
    bytes.append(contentsOf: repeatElement(0, count: ((1 << bits) - colors.count) * 3))
  }

  private func appendLittleEndian(_ value: Int, to bytes: inout [UInt8]) {
    bytes.append(UInt8(value & 0xFF))
    bytes.append(UInt8(value >> 8 & 0xFF))
  }
}
