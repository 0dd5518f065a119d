import Checksums
import EnvironmentCore

/// PNG encoding of frames, so episodes and figures can be saved in a format every viewer opens.
public enum PNG {
  /// The frame as a complete PNG file: 8-bit RGB, not interlaced.
  ///
  /// Each row gets the filter that suits it best and the rows are deflated, so a mostly flat game frame
  /// takes a few kilobytes rather than its raw `width * height * 3` bytes.
  public static func encode(_ frame: Frame) -> [UInt8] {
    var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var header: [UInt8] = []
    appendBigEndian(UInt32(frame.width), to: &header)
    appendBigEndian(UInt32(frame.height), to: &header)
    header += [8, 2, 0, 0, 0]  // 8 bits per sample, colour type 2 (RGB), deflate, adaptive filters, no interlace
    appendChunk("IHDR", header, to: &file)
    appendChunk("IDAT", Deflate.zlibCompress(filteredScanlines(frame)), to: &file)
    appendChunk("IEND", [], to: &file)
    return file
  }

  private static let bytesPerPixel = 3

  /// The image data before compression: each row prefixed with its filter type and replaced by its residuals.
  ///
  /// A row can be sent as is (0, None), as differences from the pixel to the left (1, Sub) or from the pixel
  /// above (2, Up). The choice is the usual heuristic: the smallest sum of residuals read as signed bytes,
  /// since residuals near zero are what compresses well. Ties go to None, which keeps runs of zero rows
  /// (a black background) one long run.
  private static func filteredScanlines(_ frame: Frame) -> [UInt8] {
    let rowBytes = frame.width * bytesPerPixel
    // The format defines the row above the first one as zeros, which makes Up the same as None there.
    let zeroRow = [UInt8](repeating: 0, count: rowBytes)
    return [UInt8](unsafeUninitializedCapacity: frame.height * (rowBytes + 1)) { output, initialized in
      frame.pixels.withUnsafeBufferPointer { pixels in
        zeroRow.withUnsafeBufferPointer { zeroRow in
          for y in 0..<frame.height {
            let row = pixels.baseAddress! + y * rowBytes
            let above = y == 0 ? zeroRow.baseAddress! : row - rowBytes
            let target = output.baseAddress! + y * (rowBytes + 1)
            target[0] = bestFilter(row, above, count: rowBytes)
            let residuals = target + 1
            switch target[0] {
            case 0:
              residuals.update(from: row, count: rowBytes)
            case 1:
              residuals.update(from: row, count: bytesPerPixel)
              for i in bytesPerPixel..<rowBytes { residuals[i] = row[i] &- row[i - bytesPerPixel] }
            default:
              for i in 0..<rowBytes { residuals[i] = row[i] &- above[i] }
            }
          }
        }
      }
      initialized = output.count
    }
  }

  private static func bestFilter(_ row: UnsafePointer<UInt8>, _ above: UnsafePointer<UInt8>, count: Int) -> UInt8 {
    // |residual| as a signed byte: 0xFF counts as 1, not 255.
    func magnitude(_ residual: UInt8) -> Int { Int(min(residual, 0 &- residual)) }
    var none = 0, sub = 0, up = 0
    for i in 0..<count {
      let left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0
      none += magnitude(row[i])
      sub += magnitude(row[i] &- left)
      up += magnitude(row[i] &- above[i])
    }
    if none <= sub && none <= up { return 0 }
    return sub <= up ? 1 : 2
  }

  private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
    let typeBytes = Array(type.utf8)
    appendBigEndian(UInt32(data.count), to: &file)
    file += typeBytes
    file += data
    // The CRC covers the type and the data, not the length.
    appendBigEndian(Checksum.crc32(data, initial: Checksum.crc32(typeBytes)), to: &file)
  }

  private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
    bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
  }
}

extension Frame {
  /// This frame as a PNG file (8-bit RGB); the bytes can be written straight to a `.png`.
  public func pngData() -> [UInt8] {
    PNG.encode(self)
  }
}
