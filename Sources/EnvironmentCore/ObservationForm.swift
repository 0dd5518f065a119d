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

/// The RGB frame (``Frame``), optionally downsampled by area averaging (e.g. to 84 × 84 for a DQN).
public struct Pixels: ObservationForm {
  /// Output width and height; `nil` keeps the game's frame size.
  public var width: Int?
  public var height: Int?

  public init(width: Int? = nil, height: Int? = nil) {
    precondition((width ?? 1) > 0 && (height ?? 1) > 0, "a downsampled frame needs a positive size")
    self.width = width
    self.height = height
  }

  public var name: String { width == nil && height == nil ? "pixels" : "pixels/\(width ?? 0)x\(height ?? 0)" }

  /// The frame size this form produces for `game`: the requested size, never larger than the game's frame.
  public func size<G: Game>(_ game: G) -> (width: Int, height: Int) {
    (min(width ?? game.frameWidth, game.frameWidth), min(height ?? game.frameHeight, game.frameHeight))
  }

  public func byteCount<G: Game>(for game: G) -> Int {
    let full = game.frameWidth * game.frameHeight * 3
    let (w, h) = size(game)
    // A downsampled slot keeps the full frame after the result as scratch, so writing allocates nothing.
    return roundedUpToWords(w * h * 3) + (w == game.frameWidth && h == game.frameHeight ? 0 : roundedUpToWords(full))
  }

  public func write<G: Game>(_ game: inout G, into buffer: UnsafeMutableRawBufferPointer) {
    let (fw, fh) = (game.frameWidth, game.frameHeight)
    let (w, h) = size(game)
    let bytes = buffer.bindMemory(to: UInt8.self)
    guard w != fw || h != fh else { return game.render(into: UnsafeMutableBufferPointer(rebasing: bytes[0..<(fw * fh * 3)])) }
    let offset = roundedUpToWords(w * h * 3)
    let full = UnsafeMutableBufferPointer(rebasing: bytes[offset..<(offset + fw * fh * 3)])
    game.render(into: full)
    // Output pixel (x, y) averages the source box [x·fw/w, (x+1)·fw/w) × [y·fh/h, (y+1)·fh/h).
    for y in 0..<h {
      let y0 = y * fh / h, y1 = max(y0 + 1, (y + 1) * fh / h)
      for x in 0..<w {
        let x0 = x * fw / w, x1 = max(x0 + 1, (x + 1) * fw / w)
        var sum = (0, 0, 0)
        for sy in y0..<y1 {
          var p = (sy * fw + x0) * 3
          for _ in x0..<x1 {
            sum.0 += Int(full[p]); sum.1 += Int(full[p + 1]); sum.2 += Int(full[p + 2])
            p += 3
          }
        }
        let n = (y1 - y0) * (x1 - x0), d = (y * w + x) * 3
        bytes[d] = UInt8((sum.0 + n / 2) / n)
        bytes[d + 1] = UInt8((sum.1 + n / 2) / n)
        bytes[d + 2] = UInt8((sum.2 + n / 2) / n)
      }
    }
  }

  public func read<G: Game>(_ buffer: UnsafeRawBufferPointer, for game: G) -> Frame {
    let (w, h) = size(game)
    return Frame(width: w, height: h, pixels: Array(buffer[0..<(w * h * 3)]))
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
