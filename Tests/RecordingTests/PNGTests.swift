import EnvironmentCore
import Recording
import EnvironmentTesting
import Testing

// MARK: Encoding and decoding

/// Deterministic pseudo-random pixels: the worst case for compression, and every byte value occurs.
private func noiseFrame(width: Int, height: Int, seed: UInt64) -> Frame {
  var state = seed
  let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return UInt8(truncatingIfNeeded: state >> 56)
  }
  return Frame(width: width, height: height, pixels: pixels)
}

/// A game-like frame: black background, walls, rows of bricks, a paddle and a ball.
private func rectanglesFrame() -> Frame {
  var frame = Frame(width: 376, height: 468)
  func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: RGB) {
    for y in y0...y1 {
      for x in x0...x1 { frame[x, y] = color }
    }
  }
  let wall = RGB(142, 142, 142)
  fill(0, 0, 375, 7, wall)
  fill(0, 0, 7, 467, wall)
  fill(368, 0, 375, 467, wall)
  let brickColors = [RGB(200, 72, 72), RGB(198, 108, 58), RGB(180, 122, 48), RGB(162, 162, 42), RGB(72, 160, 72)]
  for (row, color) in brickColors.enumerated() {
    for column in 0..<18 {
      fill(8 + column * 20, 60 + row * 12, 26 + column * 20, 69 + row * 12, color)
    }
  }
  fill(170, 440, 209, 445, RGB(200, 72, 72))
  fill(201, 300, 204, 303, RGB(236, 236, 236))
  return frame
}

@Test func encodedFileHasSignatureAndRGBHeader() {
  let png = PNG.encode(Frame(width: 3, height: 2, color: RGB(1, 2, 3)))
  #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
  // IHDR: length 13, type, width 3, height 2, depth 8, colour type 2, then methods 0.
  #expect(Array(png[8..<29]) == [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0])
  #expect(Array(png.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
}

@Test func noiseFrameRoundTrips() throws {
  let frame = noiseFrame(width: 37, height: 23, seed: 1)
  #expect(try PNGDecoder.decode(PNG.encode(frame)) == frame)
}

@Test func rectanglesFrameRoundTrips() throws {
  let frame = rectanglesFrame()
  #expect(try PNGDecoder.decode(frame.pngData()) == frame)
}

@Test func tinyAndWideFramesRoundTrip() throws {
  let single = Frame(width: 1, height: 1, color: RGB(10, 200, 30))
  #expect(try PNGDecoder.decode(single.pngData()) == single)
  // Rows longer than the 32 KiB window: the row above is out of reach of LZ77.
  let wide = noiseFrame(width: 11_000, height: 2, seed: 2)
  #expect(try PNGDecoder.decode(wide.pngData()) == wide)
}

@Test func rectanglesFrameCompressesWell() {
  let frame = rectanglesFrame()
  #expect(frame.pngData().count * 10 < frame.pixels.count)
}

@Test func decodingRejectsACorruptedCRC() {
  var png = rectanglesFrame().pngData()
  png[30] ^= 0x01  // inside the IHDR CRC (bytes 29...32)
  #expect(throws: PNGDecodingError.self) { try PNGDecoder.decode(png) }
}

@Test func decodingRejectsCorruptedImageData() {
  var png = rectanglesFrame().pngData()
  png[45] ^= 0x10  // inside the IDAT data
  #expect(throws: PNGDecodingError.self) { try PNGDecoder.decode(png) }
}
