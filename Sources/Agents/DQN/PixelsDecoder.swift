import EnvironmentCore

/// RGB frames (``Frame``, the `pixels` observation) stored as their bytes and fed to the network as three
/// planes, red, green and blue, of intensities in [0, 1].
///
/// Colour is kept rather than turned grey: the replay then stores the observation's bytes unchanged (no
/// conversion in the acting loop), and colour tells apart objects a grey level nearly merges (Breakout's
/// grey wall, 142, and a yellow brick, grey 148). The price is 3 bytes a pixel in the replay, small at
/// downsampled sizes. Breakout's background is black, yet the walls and a full set of bricks light 29%
/// (standard) to 50% (small) of the inputs, so ``Conv2D``'s scatter path (at most a quarter nonzero) takes
/// over only as bricks go; grey would not change that fraction.
public struct PixelsDecoder: FrameDecoder {
  public let width: Int
  public let height: Int

  /// Decodes frames of `width` × `height` pixels.
  public init(width: Int, height: Int) {
    precondition(width > 0 && height > 0, "a frame needs a positive size")
    self.width = width
    self.height = height
  }

  public var frameBytes: Int { width * height * 3 }
  public var frameShape: [Int] { [3, height, width] }

  /// Byte → intensity, so decoding is a lookup and 255 maps to exactly 1.
  private static let intensity: [Float] = (0...255).map { Float($0) / 255 }

  /// Splits the interleaved RGB bytes into the three planes.
  public func decode(_ frame: UnsafeRawBufferPointer, into inputs: UnsafeMutablePointer<Float>) {
    let cells = width * height
    let green = inputs + cells, blue = inputs + 2 * cells
    Self.intensity.withUnsafeBufferPointer { level in
      for i in 0..<cells {
        inputs[i] = level[Int(frame[3 * i])]
        green[i] = level[Int(frame[3 * i + 1])]
        blue[i] = level[Int(frame[3 * i + 2])]
      }
    }
  }
}
