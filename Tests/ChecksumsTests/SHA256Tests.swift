import Checksums
import Testing

@Test(arguments: [
  ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
  ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
  // 56 bytes: the padding no longer fits in the last block, so a second one is needed.
  ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
])
func sha256MatchesFIPSExamples(message: String, digest: String) {
  #expect(SHA256.hexDigest(Array(message.utf8)) == digest)
}

@Test func sha256OfOneMillionA() {
  let digest = SHA256.hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
  #expect(digest == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func hashIsTheBytesOfTheHexDigest() {
  let hash = SHA256.hash(Array("abc".utf8))
  #expect(hash.count == 32)
  #expect(hash.prefix(4) == [0xBA, 0x78, 0x16, 0xBF])
}
