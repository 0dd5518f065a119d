/// SHA-256 (FIPS 180-4) in plain Swift, for fingerprinting files and results without a crypto dependency.
package enum SHA256 {
  /// The 32-byte digest of `bytes`.
  package static func hash(_ bytes: [UInt8]) -> [UInt8] {
    var state = initialState
    bytes.withUnsafeBufferPointer { input in
      let wholeBlocks = input.count / 64
      for block in 0..<wholeBlocks {
        compress(&state, UnsafeBufferPointer(rebasing: input[(block * 64)..<(block * 64 + 64)]))
      }
      // Padding: a 1 bit, zeros, then the message length in bits as a big-endian 64-bit number,
      // in one block if it fits after the tail, otherwise in two.
      var tail = Array(input[(wholeBlocks * 64)...])
      tail.append(0x80)
      tail += repeatElement(0, count: (tail.count <= 56 ? 56 : 120) - tail.count)
      let bitLength = UInt64(input.count) &* 8
      for shift in stride(from: 56, through: 0, by: -8) {
        tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
      }
      tail.withUnsafeBufferPointer { padded in
        for start in stride(from: 0, to: padded.count, by: 64) {
          compress(&state, UnsafeBufferPointer(rebasing: padded[start..<(start + 64)]))
        }
      }
    }
    return state.flatMap { word in
      [UInt8(word >> 24), UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)]
    }
  }

  /// The digest of `bytes` as 64 lowercase hexadecimal digits.
  package static func hexDigest(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    let text = hash(bytes).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }
    return String(decoding: text, as: UTF8.self)
  }

  /// First 32 bits of the fractional parts of the square roots of the first 8 primes.
  private static let initialState: [UInt32] = [
    0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A, 0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19,
  ]

  /// First 32 bits of the fractional parts of the cube roots of the first 64 primes.
  private static let roundConstants: [UInt32] = [
    0x428A_2F98, 0x7137_4491, 0xB5C0_FBCF, 0xE9B5_DBA5, 0x3956_C25B, 0x59F1_11F1, 0x923F_82A4, 0xAB1C_5ED5,
    0xD807_AA98, 0x1283_5B01, 0x2431_85BE, 0x550C_7DC3, 0x72BE_5D74, 0x80DE_B1FE, 0x9BDC_06A7, 0xC19B_F174,
    0xE49B_69C1, 0xEFBE_4786, 0x0FC1_9DC6, 0x240C_A1CC, 0x2DE9_2C6F, 0x4A74_84AA, 0x5CB0_A9DC, 0x76F9_88DA,
    0x983E_5152, 0xA831_C66D, 0xB003_27C8, 0xBF59_7FC7, 0xC6E0_0BF3, 0xD5A7_9147, 0x06CA_6351, 0x1429_2967,
    0x27B7_0A85, 0x2E1B_2138, 0x4D2C_6DFC, 0x5338_0D13, 0x650A_7354, 0x766A_0ABB, 0x81C2_C92E, 0x9272_2C85,
    0xA2BF_E8A1, 0xA81A_664B, 0xC24B_8B70, 0xC76C_51A3, 0xD192_E819, 0xD699_0624, 0xF40E_3585, 0x106A_A070,
    0x19A4_C116, 0x1E37_6C08, 0x2748_774C, 0x34B0_BCB5, 0x391C_0CB3, 0x4ED8_AA4A, 0x5B9C_CA4F, 0x682E_6FF3,
    0x748F_82EE, 0x78A5_636F, 0x84C8_7814, 0x8CC7_0208, 0x90BE_FFFA, 0xA450_6CEB, 0xBEF9_A3F7, 0xC671_78F2,
  ]

  private static func rotateRight(_ x: UInt32, _ n: UInt32) -> UInt32 {
    x >> n | x << (32 - n)
  }

  /// Mixes one 64-byte block into the state.
  private static func compress(_ state: inout [UInt32], _ block: UnsafeBufferPointer<UInt8>) {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
      for t in 0..<16 {
        schedule[t] = UInt32(block[4 * t]) << 24 | UInt32(block[4 * t + 1]) << 16
          | UInt32(block[4 * t + 2]) << 8 | UInt32(block[4 * t + 3])
      }
      for t in 16..<64 {
        let s0 = rotateRight(schedule[t - 15], 7) ^ rotateRight(schedule[t - 15], 18) ^ schedule[t - 15] >> 3
        let s1 = rotateRight(schedule[t - 2], 17) ^ rotateRight(schedule[t - 2], 19) ^ schedule[t - 2] >> 10
        schedule[t] = schedule[t - 16] &+ s0 &+ schedule[t - 7] &+ s1
      }
      var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
      roundConstants.withUnsafeBufferPointer { k in
        for t in 0..<64 {
          let sum1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
          let choice = (e & f) ^ (~e & g)
          let temp1 = h &+ sum1 &+ choice &+ k[t] &+ schedule[t]
          let sum0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
          let majority = (a & b) ^ (a & c) ^ (b & c)
          let temp2 = sum0 &+ majority
          (h, g, f, e, d, c, b, a) = (g, f, e, d &+ temp1, c, b, a, temp1 &+ temp2)
        }
      }
      for (index, value) in [a, b, c, d, e, f, g, h].enumerated() {
        state[index] &+= value
      }
    }
  }
}
