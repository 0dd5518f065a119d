/// One channel of a grid: an entity kind, and which class of that kind when a variant splits one kind
/// into several (five platform textures, six distractor colours).
public struct GridChannel: Hashable, Sendable, CustomStringConvertible {
  public var kind: EntityKind
  /// 0...7.
  public var index: Int

  public init(_ kind: EntityKind, _ index: Int = 0) {
    precondition((0...7).contains(index), "a channel index is 0...7")
    self.kind = kind
    self.index = index
  }

  public var description: String { index == 0 ? kind.description : "\(kind)-\(index)" }

  var code: UInt8 { kind.rawValue << 3 | UInt8(index) }
  init(code: UInt8) { self.init(EntityKind(rawValue: code >> 3)!, Int(code & 7)) }
}

/// Up to 32 grid channels in order, stored inline (no allocation, so hot loops can build layouts freely).
public struct GridChannels: RandomAccessCollection, Sendable, Hashable, ExpressibleByArrayLiteral, CustomStringConvertible {
  private var codes = SIMD32<UInt8>()
  public private(set) var count = 0

  public init() {}
  public init(arrayLiteral kinds: EntityKind...) { for k in kinds { append(GridChannel(k)) } }
  public init<S: Sequence>(_ channels: S) where S.Element == GridChannel { for c in channels { append(c) } }

  public var startIndex: Int { 0 }
  public var endIndex: Int { count }
  public subscript(position: Int) -> GridChannel {
    precondition(position >= 0 && position < count, "channel index out of range")
    return GridChannel(code: codes[position])
  }

  public mutating func append(_ channel: GridChannel) {
    precondition(count < 32, "at most 32 channels")
    codes[count] = channel.code
    count += 1
  }

  public var description: String { "[" + map(\.description).joined(separator: ", ") + "]" }

  /// These channels minus any void one, then void. On codes, not ``GridChannel`` values: every grid observation
  /// builds its layout, so this runs once per step.
  func withVoidLast() -> GridChannels {
    var all = GridChannels()
    for i in 0..<count where codes[i] >> 3 != EntityKind.void.rawValue {
      all.codes[all.count] = codes[i]
      all.count += 1
    }
    all.append(GridChannel(.void))
    return all
  }
}

/// The shape of a grid observation: one bit plane per channel over the game's lattice (pixels for
/// Breakout, tiles for the platformer), possibly pooled.
///
/// Planes are stored one after another, each padded to whole 64-bit words; inside a plane bits run
/// row-major (bit `row * width + column`). Pooling max-pools `pool × pool` blocks of the pixel lattice,
/// so a one-pixel ball never vanishes. The last channel is always ``EntityKind/void``: set exactly where
/// no other plane is set.
public struct GridLayout: Sendable, Hashable {
  /// The channels, in order; the last is `.void`.
  public let channels: GridChannels
  /// Cells per row.
  public let width: Int
  /// Rows of cells.
  public let height: Int
  /// Lattice points per cell side (1 = the game's full lattice).
  public let pool: Int
  /// 64-bit words per plane.
  public let wordsPerPlane: Int

  /// The layout for a `pixelWidth × pixelHeight` lattice pooled by `pool`, with planes for `channels` and void.
  public init(channels: GridChannels, pixelWidth: Int, pixelHeight: Int, pool: Int = 1) {
    precondition(pool >= 1, "pool must be at least 1")
    self.channels = channels.withVoidLast()
    self.pool = pool
    width = (pixelWidth + pool - 1) / pool
    height = (pixelHeight + pool - 1) / pool
    wordsPerPlane = (width * height + 63) / 64
  }

  public var channelCount: Int { channels.count }
  /// Words of the whole observation.
  public var wordCount: Int { wordsPerPlane * channelCount }
  /// The first channel of `kind`, or `nil` when the grid has no plane for it.
  public func channel(of kind: EntityKind) -> Int? {
    for i in 0..<channels.count where channels[i].kind == kind { return i }
    return nil
  }
  /// The position of `channel`, or `nil` when the grid has no such plane.
  public func index(of channel: GridChannel) -> Int? {
    for i in 0..<channels.count where channels[i] == channel { return i }
    return nil
  }
}

/// A grid observation: bit planes laid out by a ``GridLayout``.
public struct GridObservation: Sendable, Hashable {
  public let layout: GridLayout
  /// The packed planes, `layout.wordCount` words.
  public var words: [UInt64]

  public init(layout: GridLayout, words: [UInt64]) {
    precondition(words.count == layout.wordCount, "word count does not match the layout")
    self.layout = layout
    self.words = words
  }

  /// Whether plane `channel` is set at cell (`x`, `y`).
  public subscript(channel: Int, x: Int, y: Int) -> Bool {
    let bit = y * layout.width + x
    return words[channel * layout.wordsPerPlane + bit >> 6] >> UInt64(bit & 63) & 1 == 1
  }

  /// Whether the plane of `kind` is set at (`x`, `y`); `false` when the grid has no such plane.
  public func contains(_ kind: EntityKind, x: Int, y: Int) -> Bool {
    guard let c = layout.channel(of: kind) else { return false }
    return self[c, x, y]
  }

  /// Number of set cells in plane `channel`.
  public func count(channel: Int) -> Int {
    let start = channel * layout.wordsPerPlane
    return words[start..<(start + layout.wordsPerPlane)].reduce(0) { $0 + $1.nonzeroBitCount }
  }

  /// The planes as 0/1 bytes in (channel, row, column) order — the usual network input layout.
  public func bytes() -> [UInt8] {
    var out = [UInt8](repeating: 0, count: layout.channelCount * layout.width * layout.height)
    let cells = layout.width * layout.height
    for c in 0..<layout.channelCount {
      for cell in 0..<cells where words[c * layout.wordsPerPlane + cell >> 6] >> UInt64(cell & 63) & 1 == 1 {
        out[c * cells + cell] = 1
      }
    }
    return out
  }
}

/// Setting rectangles of bits in grid planes; shared by games.
package struct GridCanvas {
  package let words: UnsafeMutablePointer<UInt64>
  package let layout: GridLayout

  package init(_ buffer: UnsafeMutableBufferPointer<UInt64>, layout: GridLayout) {
    precondition(buffer.count >= layout.wordCount, "grid buffer too small")
    words = buffer.baseAddress!
    self.layout = layout
  }

  /// Marks the pixel box `x0...x1` × `y0...y1` (clipped) in plane `channel`, pooled to cells.
  @inlinable
  package func fill(channel: Int, x0: Int, y0: Int, x1: Int, y1: Int) {
    apply(channel: channel, x0: x0, y0: y0, x1: x1, y1: y1, set: true)
  }

  /// Unmarks the pooled cells of the pixel box in plane `channel`.
  @inlinable
  package func clear(channel: Int, x0: Int, y0: Int, x1: Int, y1: Int) {
    apply(channel: channel, x0: x0, y0: y0, x1: x1, y1: y1, set: false)
  }

  /// Marks the box in plane `channel` and clears it from the void plane (the last): what a game does when
  /// it draws a moving object over a cached static layer whose void plane is already right.
  @inlinable
  package func draw(channel: Int, x0: Int, y0: Int, x1: Int, y1: Int) {
    fill(channel: channel, x0: x0, y0: y0, x1: x1, y1: y1)
    clear(channel: layout.channelCount - 1, x0: x0, y0: y0, x1: x1, y1: y1)
  }

  @inlinable
  func apply(channel: Int, x0: Int, y0: Int, x1: Int, y1: Int, set: Bool) {
    let p = layout.pool
    let left = max(x0, 0) / p, right = min(x1 / p, layout.width - 1)
    let top = max(y0, 0) / p, bottom = min(y1 / p, layout.height - 1)
    guard left <= right, top <= bottom else { return }
    let plane = words + channel * layout.wordsPerPlane
    for row in top...bottom {
      var first = row * layout.width + left
      let last = row * layout.width + right
      while first <= last {
        let word = first >> 6
        let low = first & 63
        let high = min(63, low + (last - first))
        let span = high - low + 1
        let mask: UInt64 = span == 64 ? ~0 : ((1 << UInt64(span)) - 1) << UInt64(low)
        if set { plane[word] |= mask } else { plane[word] &= ~mask }
        first += span
      }
    }
  }

  /// Sets the void plane (the last) to the complement of the union of all other planes.
  package func fillVoid() {
    let n = layout.wordsPerPlane, planes = layout.channelCount - 1
    let voidPlane = words + planes * n
    voidPlane.update(repeating: 0, count: n)
    for c in 0..<planes {
      let plane = words + c * n
      for w in 0..<n { voidPlane[w] |= plane[w] }
    }
    for w in 0..<n { voidPlane[w] = ~voidPlane[w] }
    let cells = layout.width * layout.height
    if cells & 63 != 0 { voidPlane[n - 1] &= (UInt64(1) << UInt64(cells & 63)) - 1 }
  }
}
