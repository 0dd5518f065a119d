import Foundation

/// The neighbourhoods the model was trained in: one 64-bit hash per distinct *context*, the part of a row that
/// says what is near a pixel and how it moves (kinds, `outside`, velocities; not parts, `void`, `still` or the
/// action), recorded only for rows with something moving in them.
///
/// Schemas generalise, so a rule learned at the top wall fires under Middle Wall's wall too; but where no
/// schema fires the model predicts "nothing changes", and in a neighbourhood it never saw that is a guess, not
/// knowledge. A forecast in an unseen context therefore lists every outcome as possible
/// (``ObjectForecast/isNovel``) while its most likely outcome stays what the schemas say.
///
/// Encoded as one base64 string of the sorted hashes (little-endian), so `rules.json` stays small.
public struct ContextSet: Codable, Sendable, Hashable {
  /// The hashes, sorted and unique.
  public private(set) var hashes: [UInt64]

  public init<S: Sequence>(_ hashes: S) where S.Element == UInt64 {
    self.hashes = Array(Set(hashes)).sorted()
  }

  public var count: Int { hashes.count }

  /// Whether `hash` was seen (binary search).
  func contains(_ hash: UInt64) -> Bool {
    var (low, high) = (0, hashes.count)
    while low < high {
      let mid = (low + high) / 2
      if hashes[mid] < hash { low = mid + 1 } else { high = mid }
    }
    return low < hashes.count && hashes[low] == hash
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let data = Data(base64Encoded: text), data.count % 8 == 0 else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a base64 list of 64-bit hashes"))
    }
    let values = data.withUnsafeBytes { raw in
      (0..<(data.count / 8)).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
    }
    guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "context hashes are not sorted"))
    }
    hashes = values
  }

  public func encode(to encoder: any Encoder) throws {
    var data = Data(capacity: hashes.count * 8)
    for h in hashes { withUnsafeBytes(of: h.littleEndian) { data.append(contentsOf: $0) } }
    var container = encoder.singleValueContainer()
    try container.encode(data.base64EncodedString())
  }
}

extension CellLayout {
  /// The bits of a window cell that make up a context: what is there, and how it moves.
  private var contextMask: UInt64 { kindBits | outsideWord | velocityMask }

  /// The context hash of `row` (see ``ContextSet``), or `nil` when nothing in it moves (a still neighbourhood
  /// changes only when something moves into it, and that row has the mover).
  func context(of row: UnsafePointer<UInt64>) -> UInt64? {
    let mask = contextMask
    var h: UInt64 = 0x243F_6A88_85A3_08D3, moving: UInt64 = 0
    for k in 0...selfWord {
      let w = row[k] & (k == selfWord ? kindBits | velocityMask : mask)
      moving |= w & velocityMask
      h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 29
    }
    return moving == 0 ? nil : h &* 0x94D0_49BB_1331_11EB ^ (h >> 31)
  }
}
