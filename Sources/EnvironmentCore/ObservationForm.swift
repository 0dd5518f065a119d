/// One way of observing a ``Game``: how many bytes an observation takes, how to write it into a buffer
/// (the allocation-free path used by vectorised environments), and how to read it back as a value.
///
/// The forms are ``NoObservation``, ``Pixels``, ``Grid`` and ``Entities``.
public protocol ObservationForm: Sendable {
  associatedtype Observation: Sendable
  /// A short name for command lines and reports (`none`, `pixels`, `grid`, `entities`).
  var name: String { get }
  /// Bytes one observation of `game` occupies; a multiple of 8.
  func byteCount<G: Game>(for game: G) -> Int
  /// Writes the observation of `game` into `buffer`, which holds `byteCount(for:)` bytes, 8-byte aligned.
  func write<G: Game>(_ game: inout G, into buffer: UnsafeMutableRawBufferPointer)
  /// The observation stored in a buffer filled by ``write(_:into:)``.
  func read<G: Game>(_ buffer: UnsafeRawBufferPointer, for game: G) -> Observation
}

@inlinable
func roundedUpToWords(_ bytes: Int) -> Int { (bytes + 7) & ~7 }

/// No observation at all: for benchmarks of the dynamics alone and for agents that act blind.
public struct NoObservation: ObservationForm {
  public init() {}
  public var name: String { "none" }
  public func byteCount<G: Game>(for game: G) -> Int { 0 }
  public func write<G: Game>(_ game: inout G, into buffer: UnsafeMutableRawBufferPointer) {}
  public func read<G: Game>(_ buffer: UnsafeRawBufferPointer, for game: G) {}
}

/// The RGB frame (``Frame``).
public struct Pixels: ObservationForm {
  public init() {}
  public var name: String { "pixels" }
  public func byteCount<G: Game>(for game: G) -> Int {
    roundedUpToWords(game.frameWidth * game.frameHeight * 3)
  }
  public func write<G: Game>(_ game: inout G, into buffer: UnsafeMutableRawBufferPointer) {
    let count = game.frameWidth * game.frameHeight * 3
    let bytes = buffer.bindMemory(to: UInt8.self)
    game.render(into: UnsafeMutableBufferPointer(rebasing: bytes[0..<count]))
  }
  public func read<G: Game>(_ buffer: UnsafeRawBufferPointer, for game: G) -> Frame {
    let count = game.frameWidth * game.frameHeight * 3
    return Frame(width: game.frameWidth, height: game.frameHeight, pixels: Array(buffer[0..<count]))
  }
}

/// One-hot kind planes as bits (``GridObservation``), optionally max-pooled.
public struct Grid: ObservationForm {
  /// Pixels per cell side.
  public var pool: Int

  public init(pool: Int = 1) {
    precondition(pool >= 1, "pool must be at least 1")
    self.pool = pool
  }

  public var name: String { pool == 1 ? "grid" : "grid/\(pool)" }

  /// The layout of this form's observations of `game`.
  public func layout<G: Game>(for game: G) -> GridLayout {
    GridLayout(channels: game.gridChannels, pixelWidth: game.gridWidth, pixelHeight: game.gridHeight, pool: pool)
  }

  public func byteCount<G: Game>(for game: G) -> Int { layout(for: game).wordCount * 8 }

  public func write<G: Game>(_ game: inout G, into buffer: UnsafeMutableRawBufferPointer) {
    let layout = layout(for: game)
    let words = UnsafeMutableBufferPointer(rebasing: buffer.bindMemory(to: UInt64.self)[0..<layout.wordCount])
    game.drawGrid(into: words, layout: layout)
  }

  public func read<G: Game>(_ buffer: UnsafeRawBufferPointer, for game: G) -> GridObservation {
    let layout = layout(for: game)
    let words = buffer.bindMemory(to: UInt64.self)
    return GridObservation(layout: layout, words: Array(words[0..<layout.wordCount]))
  }
}

/// The object list (``Entity``): one per object, or one per object pixel with `expandPixels`
/// (the reference's `report_nzis_as_entities = 'all'`). Buffers hold a count word, then the entities.
public struct Entities: ObservationForm {
  public var expandPixels: Bool

  public init(expandPixels: Bool = false) { self.expandPixels = expandPixels }

  public var name: String { expandPixels ? "entities/pixels" : "entities" }

  public func byteCount<G: Game>(for game: G) -> Int {
    8 + roundedUpToWords(game.entityCapacity(expandPixels: expandPixels) * MemoryLayout<Entity>.stride)
  }

  public func write<G: Game>(_ game: inout G, into buffer: UnsafeMutableRawBufferPointer) {
    let capacity = game.entityCapacity(expandPixels: expandPixels)
    let slots = UnsafeMutableRawBufferPointer(rebasing: buffer[8...]).bindMemory(to: Entity.self)
    let count = game.writeEntities(into: UnsafeMutableBufferPointer(rebasing: slots[0..<capacity]), expandPixels: expandPixels)
    buffer.storeBytes(of: UInt64(count), as: UInt64.self)
  }

  public func read<G: Game>(_ buffer: UnsafeRawBufferPointer, for game: G) -> [Entity] {
    let count = Int(buffer.load(as: UInt64.self))
    let slots = UnsafeRawBufferPointer(rebasing: buffer[8...]).bindMemory(to: Entity.self)
    return Array(slots[0..<count])
  }
}
