import Recording
import EnvironmentCore
import EnvironmentTesting
import Testing

/// The textbook GIF LZW coder, one dictionary lookup per pixel: what the run-based compressor must match
/// byte for byte.
private func referenceLZW(_ pixels: [UInt8], codeSize: Int) -> [UInt8] {
  let clear = 1 << codeSize
  var codes: [(code: Int, width: Int)] = [(clear, codeSize + 1)]
  var dictionary: [Int: Int] = [:]
  var width = codeSize + 1, next = clear + 2
  var prefix = Int(pixels[0])
  for pixel in pixels.dropFirst() {
    let k = Int(pixel)
    if let code = dictionary[prefix << 8 | k] { prefix = code; continue }
    codes.append((prefix, width))
    if next < 4096 {
      dictionary[prefix << 8 | k] = next
      next += 1
      if next > 1 << width && width < 12 { width += 1 }
    } else {
      codes.append((clear, width))
      dictionary = [:]
      width = codeSize + 1
      next = clear + 2
    }
    prefix = k
  }
  codes += [(prefix, width), (clear + 1, width)]
  var data: [UInt8] = [], bits = 0, count = 0
  for (code, width) in codes {
    bits |= code << count
    count += width
    while count >= 8 { data.append(UInt8(bits & 0xFF)); bits >>= 8; count -= 8 }
  }
  if count > 0 { data.append(UInt8(bits & 0xFF)) }
  var block = [UInt8(codeSize)]
  for start in stride(from: 0, to: data.count, by: 255) {
    let end = min(start + 255, data.count)
    block += [UInt8(end - start)] + data[start..<end]
  }
  return block + [0]
}

/// Pixels in runs of random lengths (up to `longest`) over `colors` indices.
private func runs(_ count: Int, colors: Int, longest: Int, seed: UInt64) -> [UInt8] {
  var rng = SplitMix64(seed: seed)
  var pixels: [UInt8] = []
  while pixels.count < count {
    pixels += [UInt8](repeating: UInt8(rng.nextInt(below: colors)), count: 1 + rng.nextInt(below: longest))
  }
  return Array(pixels.prefix(count))
}

@Test(arguments: [2, 3, 5, 8])
func runCompressionSendsTheTextbookCodes(codeSize: Int) {
  var compressor = GIFLZWCompressor()
  let colors = 1 << codeSize
  let cases: [[UInt8]] = [
    runs(5_000, colors: colors, longest: 1, seed: 1),              // noise: the trie alone
    runs(200_000, colors: min(colors, 3), longest: 9_000, seed: 2),  // long runs: chains, clears
    runs(60_000, colors: colors, longest: 40, seed: 3),            // both, dictionary refilled often
    [UInt8](repeating: 1, count: 1), [UInt8](repeating: 0, count: 100_000),
  ]
  for (i, pixels) in cases.enumerated() {
    var block: [UInt8] = []
    pixels.withUnsafeBufferPointer { compressor.compress($0, minimumCodeSize: codeSize, into: &block) }
    #expect(block == referenceLZW(pixels, codeSize: codeSize), "code size \(codeSize), case \(i)")
  }
}

/// Frames of rectangles moving over a striped background, with the boxes where each frame can differ
/// from the one before (the old and new place of every rectangle).
func movingRectangles(count: Int) -> [(frame: Frame, boxes: [FrameBox])] {
  let width = 40, height = 30
  var background = Frame(width: width, height: height)
  for y in 0..<height where y % 4 == 0 { for x in 0..<width { background[x, y] = RGB(30, 60, 90) } }
  var rng = SplitMix64(seed: 4)
  var places = [(x: 3, y: 2, w: 5, h: 2), (x: 20, y: 25, w: 1, h: 1), (x: 30, y: 10, w: 9, h: 3)]
  var result: [(frame: Frame, boxes: [FrameBox])] = []
  for _ in 0..<count {
    var frame = background, boxes: [FrameBox] = []
    for (i, p) in places.enumerated() {
      boxes.append(FrameBox(x0: p.x, y0: p.y, x1: p.x + p.w - 1, y1: p.y + p.h - 1))
      places[i].x = max(-2, min(width - 1, p.x + rng.nextInt(in: -2...2)))
      places[i].y = max(0, min(height - 1, p.y + rng.nextInt(in: -1...1)))
    }
    for (i, p) in places.enumerated() {
      let color = [RGB(250, 0, 0), RGB(255, 255, 255), RGB(0, 200, 0)][i]
      for y in p.y..<min(p.y + p.h, height) { for x in max(p.x, 0)..<min(p.x + p.w, width) { frame[x, y] = color } }
      boxes.append(FrameBox(x0: p.x, y0: p.y, x1: p.x + p.w - 1, y1: p.y + p.h - 1))
    }
    result.append((frame, boxes))
  }
  return result
}

@Test(arguments: [1, 2, 3])
func knownDamageGivesTheSameBytes(scale: Int) throws {
  let frames = movingRectangles(count: 60)
  var searched = GIFEncoder(width: 40, height: 30, scale: scale), told = searched
  for (frame, boxes) in frames {
    searched.append(frame)
    told.append(frame, changedWithin: boxes)
  }
  #expect(told.data() == searched.data())
  #expect(try GIFDecoder.decode(told.data()).frames == frames.map { $0.frame.scaled(by: scale) })
}

@Test func aFullGlobalPaletteLeavesNoIndexForTransparency() throws {
  // 256 colours in the first frame: later changes must be drawn opaque, with the global table.
  var first = Frame(width: 16, height: 16)
  for i in 0..<256 { first[i % 16, i / 16] = RGB(UInt8(i), UInt8(255 - i), UInt8(i / 2)) }
  var second = first
  second[3, 4] = first[9, 9]
  second[12, 1] = first[0, 0]
  var encoder = GIFEncoder(width: 16, height: 16, scale: 2)
  for frame in [first, second, second, first] { encoder.append(frame) }
  let decoded = try GIFDecoder.decode(encoder.data())
  #expect(decoded.frames == [first, second, second, first].map { $0.scaled(by: 2) })
  #expect(decoded.localTables == 0)
  #expect(decoded.globalColorCount == 256)
}

@Test func sidesAndOffsetsPast255PixelsKeepTheirHighBytes() throws {
  var first = Frame(width: 150, height: 140, color: RGB(10, 20, 30))
  first[3, 3] = RGB(200, 0, 0)
  var second = first
  second[140, 135] = RGB(0, 0, 200)  // at scale 2: an image at (280, 270)
  var encoder = GIFEncoder(width: 150, height: 140, scale: 2)
  for frame in [first, second] { encoder.append(frame) }
  #expect(try GIFDecoder.decode(encoder.data()).frames == [first, second].map { $0.scaled(by: 2) })
}
