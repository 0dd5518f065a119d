import EnvironmentCore

/// A colour table of at most 256 colours and the way every other colour maps into it.
///
/// Games draw with a handful of colours, so a recording's palette is usually exact. When an image holds
/// more than 256 colours, ``quantizing(_:)`` keeps the 255 most frequent and sends each other colour to
/// its nearest kept colour (squared RGB distance): deterministic, and exact for the colours that matter.
public struct GIFPalette: Sendable, Hashable {
  /// The table's colours as `0xRRGGBB`, in index order (at most 256).
  public private(set) var colors: [UInt32]
  /// The index of every colour the palette was built from (exact or nearest).
  public private(set) var indexOf: [UInt32: UInt8]

  /// Colours that can be kept when quantising: 255, one short of a full table.
  public static let quantizedSize = 255

  /// A palette for colours counted in an image, given in first-seen order with their pixel counts.
  ///
  /// Up to 256 colours: all of them, in that order. More: the 255 most frequent (ties to the smaller
  /// `0xRRGGBB`), each other colour mapped to its nearest kept colour (ties to the lower index).
  public static func quantizing(_ counted: [(color: UInt32, count: Int)]) -> GIFPalette {
    if counted.count <= 256 {
      var index: [UInt32: UInt8] = [:]
      for (i, entry) in counted.enumerated() { index[entry.color] = UInt8(i) }
      return GIFPalette(colors: counted.map(\.color), indexOf: index)
    }
    let ranked = counted.sorted { $0.count != $1.count ? $0.count > $1.count : $0.color < $1.color }
    let kept = ranked.prefix(quantizedSize).map(\.color)
    var index: [UInt32: UInt8] = [:]
    for (i, color) in kept.enumerated() { index[color] = UInt8(i) }
    for entry in ranked.dropFirst(quantizedSize) { index[entry.color] = nearest(entry.color, in: kept) }
    return GIFPalette(colors: kept, indexOf: index)
  }

  /// The index of the colour in `colors` closest to `color`.
  public static func nearest(_ color: UInt32, in colors: [UInt32]) -> UInt8 {
    var best = 0, bestDistance = Int.max
    for (i, candidate) in colors.enumerated() {
      let dr = Int(color >> 16 & 0xFF) - Int(candidate >> 16 & 0xFF)
      let dg = Int(color >> 8 & 0xFF) - Int(candidate >> 8 & 0xFF)
      let db = Int(color & 0xFF) - Int(candidate & 0xFF)
      let distance = dr * dr + dg * dg + db * db
      if distance < bestDistance { best = i; bestDistance = distance }
    }
    return UInt8(best)
  }

  /// `0xRRGGBB` of an RGB colour.
  @inlinable
  public static func key(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> UInt32 {
    UInt32(red) << 16 | UInt32(green) << 8 | UInt32(blue)
  }
}
