/// Which entity kinds the model tells apart: opaque codes (``EntityKind``'s raw values, or any other index)
/// mapped to kind slots in order of first sight. The learner never looks at what a kind is.
public struct KindTable: Codable, Sendable, Hashable {
  /// The code of each slot.
  public private(set) var codes: [UInt8] = []
  /// The most slots; codes seen after the table is full share the `other` bit.
  public let capacity: Int

  public init(capacity: Int) { self.capacity = capacity }

  /// The slot of `code`, or `nil` (the `other` bit) when the table has none for it.
  @inline(__always)
  public func slot(of code: UInt8) -> Int? {
    for (i, c) in codes.enumerated() where c == code { return i }
    return nil
  }

  /// The slot of `code`, giving it the next free slot if it has none.
  public mutating func register(_ code: UInt8) -> Int? {
    if let slot = slot(of: code) { return slot }
    guard codes.count < capacity else { return nil }
    codes.append(code)
    return codes.count - 1
  }
}
