import NeuralNetworks
import Testing

/// A weights file whose header announces one tensor of `shape` and no values, with a valid checksum: only the
/// shape can make decoding fail.
private func craftedFile(shape: [UInt32]) -> [UInt8] {
  var bytes = Array("SAWT".utf8)
  func append(_ value: UInt32) { bytes += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
  append(WeightsFormat.version)
  append(1)
  append(UInt32(shape.count))
  shape.forEach(append)
  append(crc32(bytes))
  return bytes
}

/// CRC-32 (IEEE), bit by bit: the checksum the format stores.
private func crc32(_ bytes: [UInt8]) -> UInt32 {
  var crc: UInt32 = 0xFFFF_FFFF
  for byte in bytes {
    crc ^= UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
  }
  return ~crc
}

@Test(arguments: [
  [UInt32.max, UInt32.max, UInt32.max],  // 2⁹⁶: the product overflows Int
  [65_536, 65_536, 65_536, 65_536],  // exactly 2⁶⁴: wraps to 0 with unchecked arithmetic
  [1 << 31, 1 << 31],  // 2⁶²: fits Int, but far more values than the file holds
])
func craftedShapesAreTruncatedNotTrapped(shape: [UInt32]) {
  #expect(throws: WeightsError.truncated) { try WeightsFormat.decode(craftedFile(shape: shape)) }
}

@Test func theCraftedFileIsOtherwiseWellFormed() throws {
  // The same header with an empty shape of one value and that value present decodes: the checksum is right.
  var bytes = Array(craftedFile(shape: [1]).dropLast(4))
  bytes += [0, 0, 128, 63]  // 1.0
  bytes += (0..<4).map { UInt8(truncatingIfNeeded: crc32(bytes) >> (8 * $0)) }
  let tensors = try WeightsFormat.decode(bytes)
  #expect(tensors.count == 1 && tensors[0].scalars == [1])
}
