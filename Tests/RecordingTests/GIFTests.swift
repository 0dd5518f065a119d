import Recording
import EnvironmentCore
import EnvironmentTesting
import Testing

/// A frame of random pixels drawn from `colors`.
private func noise(width: Int, height: Int, colors: [RGB], seed: UInt64) -> Frame {
  var rng = SplitMix64(seed: seed)
  var frame = Frame(width: width, height: height)
  for y in 0..<height { for x in 0..<width { frame[x, y] = colors[rng.nextInt(below: colors.count)] } }
  return frame
}

/// `count` distinct colours spread over the RGB cube.
private func distinctColors(_ count: Int) -> [RGB] {
  (0..<count).map { (i: Int) -> RGB in
    let blue: Int = ((i >> 8) * 97 + (i % 7) * 31) & 0xFF
    return RGB(UInt8(i & 0xFF), UInt8((i * 37) & 0xFF), UInt8(blue))
  }
}

@Test func noiseFramesDecodeToTheSamePixels() throws {
  for (count, seed) in [(2, 1), (5, 2), (16, 3), (200, 4), (256, 5)] as [(Int, UInt64)] {
    let colors = distinctColors(count)
    #expect(Set(colors).count == count)
    let frames = (0..<3).map { noise(width: 37, height: 23, colors: colors, seed: seed &* 10 &+ UInt64($0)) }
    var encoder = GIFEncoder(width: 37, height: 23, delayCentiseconds: 7)
    for frame in frames { encoder.append(frame) }
    let decoded = try GIFDecoder.decode(encoder.data())
    #expect(decoded.frames == frames, "\(count) colours")
    #expect(decoded.delays == [7, 7, 7])
    #expect(decoded.loopCount == 0)
    #expect(decoded.localTables == 0)
  }
}

@Test func batchEncodingDecodesToTheSamePixels() throws {
  let colors = distinctColors(100)
  let frames = (0..<4).map { noise(width: 20, height: 30, colors: colors, seed: UInt64($0)) }
  let decoded = try GIFDecoder.decode(GIFEncoder.encode(frames, delayCentiseconds: 3))
  #expect(decoded.frames == frames)
  #expect(decoded.globalColorCount == 128)
}

@Test func scalingRepeatsEveryPixelAsABlock() throws {
  let frames = (0..<3).map { noise(width: 9, height: 7, colors: distinctColors(6), seed: UInt64($0)) }
  var encoder = GIFEncoder(width: 9, height: 7, scale: 3)
  for frame in frames { encoder.append(frame) }
  let decoded = try GIFDecoder.decode(encoder.data())
  #expect(decoded.frames == frames.map { $0.scaled(by: 3) })
}

@Test func unchangedAndPartlyChangedFramesKeepOneImagePerFrame() throws {
  var frame = noise(width: 30, height: 20, colors: distinctColors(4), seed: 9)
  var frames = [frame, frame]
  frame[17, 11] = RGB(250, 1, 2)
  frames.append(frame)
  frame[3, 2] = RGB(1, 250, 2)
  frame[29, 19] = RGB(1, 250, 2)
  frames += [frame, frame]
  var encoder = GIFEncoder(width: 30, height: 20)
  for f in frames { encoder.append(f) }
  let bytes = encoder.data()
  let decoded = try GIFDecoder.decode(bytes)
  #expect(decoded.frames == frames)
  #expect(encoder.frameCount == 5)
}

@Test func codesWidenToTwelveBitsAndTheDictionaryIsCleared() throws {
  // 256 × 256 noise over 4 colours: far more than 4096 strings, so the dictionary fills and is cleared
  // several times, and codes pass every width from 3 to 12 bits.
  let frame = noise(width: 256, height: 256, colors: distinctColors(4), seed: 42)
  var runs = 1
  for i in stride(from: 3, to: frame.pixels.count, by: 3) where frame.pixels[i..<(i + 3)] != frame.pixels[(i - 3)..<i] { runs += 1 }
  #expect(runs > 4096)
  var encoder = GIFEncoder(width: 256, height: 256)
  encoder.append(frame)
  let bytes = encoder.data()
  #expect(try GIFDecoder.decode(bytes).frames == [frame])

  let indices = frame.pixels.withUnsafeBufferPointer { p in
    (0..<(256 * 256)).map { i -> UInt8 in UInt8(distinctColors(4).firstIndex(of: RGB(p[3 * i], p[3 * i + 1], p[3 * i + 2]))!) }
  }
  var compressor = GIFLZWCompressor()
  var block: [UInt8] = []
  indices.withUnsafeBufferPointer { compressor.compress($0, minimumCodeSize: 2, into: &block) }
  let codes = try LZWCodeReader.codes(block)
  #expect(codes.clears >= 3, "clear codes: \(codes.clears)")
  #expect(codes.widths == Set(3...12))
  #expect(try GIFDecoderTestAccess.decompress(block, pixels: indices.count) == indices)
}

@Test func moreThan256ColoursAreQuantisedToTheMostFrequent255() throws {
  // 300 colours: colour i covers 300 - i pixels, so the first 255 are the most frequent.
  let colors = distinctColors(300)
  var pixels: [RGB] = []
  for (i, c) in colors.enumerated() { pixels += Array(repeating: c, count: 300 - i) }
  let width = 150, height = (pixels.count + width - 1) / width
  var frame = Frame(width: width, height: height, color: colors[0])
  for (i, c) in pixels.enumerated() { frame[i % width, i / width] = c }

  let decoded = try GIFDecoder.decode(GIFEncoder.encode([frame]))
  #expect(decoded.globalColorCount == 256)
  let out = decoded.frames[0]
  let kept = Set(colors.prefix(255))
  for y in 0..<height {
    for x in 0..<width {
      let original = frame[x, y], got = out[x, y]
      #expect(kept.contains(got))
      if kept.contains(original) { #expect(got == original) }
    }
  }
  // A dropped colour maps to its nearest kept colour.
  let palette = GIFPalette.quantizing(colors.enumerated().map { ($0.element.key, 300 - $0.offset) })
  #expect(palette.colors.count == 255)
  let dropped = colors[299].key
  let nearest = colors.prefix(255).min { distance($0.key, dropped) < distance($1.key, dropped) }!
  #expect(palette.colors[Int(palette.indexOf[dropped]!)] == nearest.key)
}

@Test func anIncrementalRecordingBeyond256ColoursFallsBackToLocalTables() throws {
  var first = Frame(width: 16, height: 16)
  for (i, color) in distinctColors(256).enumerated() { first[i % 16, i / 16] = color }  // every colour once
  let second = noise(width: 16, height: 16, colors: Array(distinctColors(300).suffix(44)), seed: 2)
  var encoder = GIFEncoder(width: 16, height: 16)
  encoder.append(first)
  encoder.append(second)
  let decoded = try GIFDecoder.decode(encoder.data())
  #expect(decoded.frames == [first, second])
  #expect(decoded.localTables == 1)
}

private func distance(_ a: UInt32, _ b: UInt32) -> Int {
  let dr = Int(a >> 16 & 0xFF) - Int(b >> 16 & 0xFF), dg = Int(a >> 8 & 0xFF) - Int(b >> 8 & 0xFF), db = Int(a & 0xFF) - Int(b & 0xFF)
  return dr * dr + dg * dg + db * db
}

extension RGB {
  fileprivate var key: UInt32 { GIFPalette.key(red, green, blue) }
}

/// Reads the code stream of one image data block, tracking widths the way a decoder does.
private enum LZWCodeReader {
  static func codes(_ block: [UInt8]) throws -> (clears: Int, widths: Set<Int>) {
    let minimum = Int(block[0])
    var data: [UInt8] = []
    var i = 1
    while block[i] != 0 { data += block[(i + 1)...(i + Int(block[i]))]; i += Int(block[i]) + 1 }
    let clear = 1 << minimum
    var width = minimum + 1, next = clear + 2, first = true, position = 0
    var clears = 0, widths: Set<Int> = []
    while position + width <= data.count * 8 {
      var code = 0
      for b in 0..<width where data[(position + b) >> 3] >> UInt8((position + b) & 7) & 1 != 0 { code |= 1 << b }
      widths.insert(width)
      position += width
      if code == clear { clears += 1; width = minimum + 1; next = clear + 2; first = true; continue }
      if code == clear + 1 { break }
      if first { first = false; continue }
      if next < 4096 { next += 1; if next == 1 << width && width < 12 { width += 1 } }
    }
    return (clears, widths)
  }
}

private enum GIFDecoderTestAccess {
  /// Wraps one image data block in a minimal GIF with a 4-colour palette and decodes its indices.
  static func decompress(_ block: [UInt8], pixels: Int) throws -> [UInt8] {
    var file = Array("GIF89a".utf8) + [0, 1, 0, 1, 0x81, 0, 0] + [UInt8](repeating: 0, count: 12)
    for i in 0..<4 { file[13 + 3 * i] = UInt8(i) }
    file += [0x2C, 0, 0, 0, 0, 0, 1, 0, 1, 0] + block + [0x3B]
    let frame = try GIFDecoder.decode(file).frames[0]
    return (0..<pixels).map { frame.pixels[3 * $0] }
  }
}
