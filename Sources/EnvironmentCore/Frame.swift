/// An RGB24 image: `height` rows of `width` pixels, row 0 at the top, three bytes per pixel.
public struct Frame: Sendable, Hashable {
  public let width: Int
  public let height: Int
  /// Row-major RGB bytes, `width * height * 3` of them.
  public var pixels: [UInt8]

  /// A frame filled with `color`.
  public init(width: Int, height: Int, color: RGB = .black) {
    precondition(width > 0 && height > 0, "a frame needs a positive size")
    self.width = width
    self.height = height
    var bytes = [UInt8](repeating: 0, count: width * height * 3)
    if color != .black {
      for i in stride(from: 0, to: bytes.count, by: 3) {
        bytes[i] = color.red
        bytes[i + 1] = color.green
        bytes[i + 2] = color.blue
      }
    }
    pixels = bytes
  }

  /// A frame over existing bytes; `pixels.count` must be `width * height * 3`.
  public init(width: Int, height: Int, pixels: [UInt8]) {
    precondition(pixels.count == width * height * 3, "pixel buffer does not match \(width)x\(height) RGB")
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// The colour at column `x`, row `y`.
  public subscript(x: Int, y: Int) -> RGB {
    get {
      let i = (y * width + x) * 3
      return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
    }
    set {
      let i = (y * width + x) * 3
      pixels[i] = newValue.red
      pixels[i + 1] = newValue.green
      pixels[i + 2] = newValue.blue
    }
  }

  /// The frame enlarged `factor` times with nearest-neighbour sampling (crisp pixels for figures).
  public func scaled(by factor: Int) -> Frame {
    precondition(factor >= 1, "scale factor must be at least 1")
    if factor == 1 { return self }
    let w = width * factor
    var out = [UInt8](repeating: 0, count: w * height * factor * 3)
    for y in 0..<(height * factor) {
      let sourceRow = (y / factor) * width
      for x in 0..<w {
        let s = (sourceRow + x / factor) * 3
        let d = (y * w + x) * 3
        out[d] = pixels[s]
        out[d + 1] = pixels[s + 1]
        out[d + 2] = pixels[s + 2]
      }
    }
    return Frame(width: w, height: height * factor, pixels: out)
  }
}

/// Drawing into an RGB24 buffer; shared by games and the viewer.
package struct FrameCanvas {
  package let base: UnsafeMutablePointer<UInt8>
  package let width: Int
  package let height: Int

  package init(_ buffer: UnsafeMutableBufferPointer<UInt8>, width: Int, height: Int) {
    precondition(buffer.count >= width * height * 3, "frame buffer too small")
    base = buffer.baseAddress!
    self.width = width
    self.height = height
  }

  /// Copies `box` (clipped to the frame) from `source`, a frame of the same size.
  package func copy(_ box: FrameBox, from source: UnsafeBufferPointer<UInt8>) {
    let left = max(box.x0, 0), right = min(box.x1, width - 1)
    let top = max(box.y0, 0), bottom = min(box.y1, height - 1)
    guard left <= right, top <= bottom else { return }
    for y in top...bottom {
      let start = (y * width + left) * 3
      (base + start).update(from: source.baseAddress! + start, count: (right - left + 1) * 3)
    }
  }

  /// Fills the box with columns `x0...x1` and rows `y0...y1` (clipped to the frame).
  @inlinable
  package func fill(x0: Int, y0: Int, x1: Int, y1: Int, color: RGB) {
    let left = max(x0, 0), right = min(x1, width - 1)
    let top = max(y0, 0), bottom = min(y1, height - 1)
    guard left <= right, top <= bottom else { return }
    let first = base + (top * width + left) * 3, rowBytes = (right - left + 1) * 3
    var p = first
    for _ in left...right {
      p[0] = color.red
      p[1] = color.green
      p[2] = color.blue
      p += 3
    }
    // The other rows are copies of the first.
    for y in stride(from: top + 1, through: bottom, by: 1) { (base + (y * width + left) * 3).update(from: first, count: rowBytes) }
  }
}
