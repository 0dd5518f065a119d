import EnvironmentCore

/// Turns anonymous grid planes into a state key that does not depend on the order or identity of the planes.
///
/// Each cell's set of planes is a bitmask; masks are renamed by first appearance in scan order, and the key
/// hashes the renamed sequence. Permuting the planes permutes the bits of every mask the same way, which the
/// renaming undoes, so a permuted grid gets the same key.
public struct AnonymousGrid: Sendable {
  private var masks: [UInt32] = []
  /// Distinct masks seen in the current grid, by first appearance.
  private var names: [UInt32] = []

  public init() {}

  /// The key of `observation`.
  public mutating func key(of observation: ExplorerObservation) -> UInt64 {
    let cells = observation.width * observation.height
    if masks.count != cells { masks = [UInt32](repeating: 0, count: cells) }
    masks.withUnsafeMutableBufferPointer { m in
      for i in m.indices { m[i] = 0 }
      observation.words.withUnsafeBufferPointer { words in
        for plane in 0..<min(observation.planes, 32) {
          let bit = UInt32(1) << UInt32(plane), first = plane * observation.wordsPerPlane
          for w in 0..<observation.wordsPerPlane {
            var bits = words[first + w]
            while bits != 0 {
              m[w << 6 | bits.trailingZeroBitCount] |= bit
              bits &= bits &- 1
            }
          }
        }
      }
    }
    names.removeAll(keepingCapacity: true)
    var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(observation.width) << 32 ^ UInt64(observation.height)
    for mask in masks {
      var name = names.firstIndex(of: mask) ?? -1
      if name < 0 { name = names.count; names.append(mask) }
      hash = SplitMix64.mix(hash &+ UInt64(name) &+ 1) // order-sensitive chain over cells
    }
    return hash
  }
}
