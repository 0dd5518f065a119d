import Checksums
import Testing

@Test func crc32MatchesTheCheckValue() {
  #expect(Checksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
  #expect(Checksum.crc32([UInt8]()) == 0)
}

@Test func crc32ContinuesFromAnEarlierResult() {
  let start = Checksum.crc32(Array("1234".utf8))
  #expect(Checksum.crc32("56789".utf8, initial: start) == 0xCBF4_3926)
}

@Test func adler32MatchesTheCheckValue() {
  #expect(Checksum.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
  #expect(Checksum.adler32([UInt8]()) == 1)
  #expect(Checksum.adler32("pedia".utf8, initial: Checksum.adler32(Array("Wiki".utf8))) == 0x11E6_0398)
}

@Test func crc32OfATensorFileIsTheOneChecksum() {
  // WeightsFormat and PNG share this one CRC-32; its check value pins the polynomial and the final complement.
  #expect(Checksum.crc32(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
}
