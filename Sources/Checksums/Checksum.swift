/// The checksums of the PNG and zlib formats: CRC-32 guards every PNG chunk, Adler-32 ends a zlib stream.
package enum Checksum {
  /// Remainders of every byte under the reflected CRC-32 polynomial 0xEDB88320 (the one PNG and zlib use).
  private static let crcTable: [UInt32] = (0..<256).map { byte in
    var remainder = UInt32(byte)
    for _ in 0..<8 {
      remainder = remainder & 1 == 1 ? 0xEDB8_8320 ^ (remainder >> 1) : remainder >> 1
    }
    return remainder
  }

  /// The CRC-32 of `bytes`.
  ///
  /// `initial` is the CRC of the bytes before these, so a checksum can be built piece by piece:
  /// `crc32(b, initial: crc32(a)) == crc32(a + b)`.
  package static func crc32(_ bytes: some Collection<UInt8>, initial: UInt32 = 0) -> UInt32 {
    if let crc = bytes.withContiguousStorageIfAvailable({ crc32Update($0, crc: initial) }) {
      return crc
    }
    return Array(bytes).withUnsafeBufferPointer { crc32Update($0, crc: initial) }
  }

  private static func crc32Update(_ bytes: UnsafeBufferPointer<UInt8>, crc: UInt32) -> UInt32 {
    crcTable.withUnsafeBufferPointer { table in
      // The register holds the complement, which is what makes leading zero bytes count.
      var register = ~crc
      for byte in bytes {
        register = table[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
      }
      return ~register
    }
  }

  /// The Adler-32 of `bytes`; `initial` continues a previous result the same way as for `crc32`.
  package static func adler32(_ bytes: some Collection<UInt8>, initial: UInt32 = 1) -> UInt32 {
    if let adler = bytes.withContiguousStorageIfAvailable({ adler32Update($0, adler: initial) }) {
      return adler
    }
    return Array(bytes).withUnsafeBufferPointer { adler32Update($0, adler: initial) }
  }

  private static func adler32Update(_ bytes: UnsafeBufferPointer<UInt8>, adler: UInt32) -> UInt32 {
    let modulus: UInt32 = 65_521
    // 5552 is the longest run for which the sums cannot overflow 32 bits before being reduced.
    let run = 5552
    var a = adler & 0xFFFF
    var b = adler >> 16
    var start = 0
    while start < bytes.count {
      let end = min(start + run, bytes.count)
      for index in start..<end {
        a &+= UInt32(bytes[index])
        b &+= a
      }
      a %= modulus
      b %= modulus
      start = end
    }
    return b << 16 | a
  }
}
