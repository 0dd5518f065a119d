import EnvironmentCore

/// How an observation form's buffer (``ObservationForm/write(_:into:)``) becomes the array C callers get:
/// grid bits as 0/1 bytes, entities as int32 rows, pixels as RGB bytes. Fixed per environment.
struct ObservationPlan {
  enum Layout {
    case none
    case bits(planes: Int, cells: Int, wordsPerPlane: Int)
    case entities(capacity: Int)
    case bytes(Int)
    /// The form writes the exported bytes itself (full-size pixels), straight into the caller's buffer.
    case direct
  }

  let layout: Layout
  /// The array's dimensions (rank 1 to 3). A tuple, not an Array: workers copy plans, and an Array's shared
  /// reference count would be a cache line they fight over on every step.
  let dims: (Int, Int, Int)
  let rank: Int
  /// `ARCADE_DTYPE_UINT8` (0) or `ARCADE_DTYPE_INT32` (1).
  let dtype: Int32
  /// Bytes of one exported observation.
  let byteCount: Int

  init(layout: Layout, shape: [Int], dtype: Int32) {
    self.layout = layout
    rank = shape.count
    dims = (shape[0], shape.count > 1 ? shape[1] : 1, shape.count > 2 ? shape[2] : 1)
    self.dtype = dtype
    byteCount = dims.0 * dims.1 * dims.2 * (dtype == 1 ? 4 : 1)
  }

  var shape: [Int] { Array([dims.0, dims.1, dims.2].prefix(rank)) }

  /// Columns of an entity row: present, id, kind, red, green, blue, x, y, width, height, part x, part y.
  static let entityColumns = 12

  /// Converts `slot` (written by the form) into `out` (``byteCount`` bytes).
  func export(_ slot: UnsafeRawPointer, into out: UnsafeMutableRawPointer) {
    switch layout {
    case .none, .direct: return
    case .bytes(let count): out.copyMemory(from: slot, byteCount: count)
    case .bits(let planes, let cells, let wordsPerPlane):
      unpack(slot.assumingMemoryBound(to: UInt64.self), planes, cells, wordsPerPlane, out.assumingMemoryBound(to: UInt8.self))
    case .entities(let capacity):
      let count = min(Int(slot.load(as: UInt64.self)), capacity)
      let entities = (slot + 8).assumingMemoryBound(to: Entity.self)
      let rows = out.assumingMemoryBound(to: Int32.self)
      rows.update(repeating: 0, count: capacity * Self.entityColumns)
      for i in 0..<count {
        let e = entities[i], row = rows + i * Self.entityColumns
        row[0] = 1
        row[1] = e.id
        row[2] = Int32(e.kind.rawValue)
        (row[3], row[4], row[5]) = (Int32(e.color.red), Int32(e.color.green), Int32(e.color.blue))
        (row[6], row[7], row[8], row[9]) = (Int32(e.x), Int32(e.y), Int32(e.width), Int32(e.height))
        (row[10], row[11]) = (Int32(e.partX), Int32(e.partY))
      }
    }
  }

  /// Bytes of the packed bit planes ``exportChanges(_:mirror:into:)`` keeps per observation (0 unless `.bits`).
  var mirrorBytes: Int {
    if case .bits(let planes, _, let wordsPerPlane) = layout { return planes * wordsPerPlane * 8 }
    return 0
  }

  /// Like ``export(_:into:)``, for a `.bits` layout whose `out` already holds the observation packed in `mirror`
  /// (``mirrorBytes``): rewrites only the runs of eight cells whose bits changed, and updates `mirror`. Between two
  /// steps a few cells of a grid change, so this stores tens of bytes where a full export stores every cell.
  func exportChanges(_ slot: UnsafeRawPointer, mirror: UnsafeMutableRawPointer, into out: UnsafeMutableRawPointer) {
    guard case .bits(let planes, let cells, let wordsPerPlane) = layout else { return export(slot, into: out) }
    let new = slot.assumingMemoryBound(to: UInt64.self), old = mirror.assumingMemoryBound(to: UInt64.self)
    let bytes = out.assumingMemoryBound(to: UInt8.self), table = spreadTable, total = planes * wordsPerPlane
    // Eight words per comparison: a step changes a handful of the hundreds of words, so this scan is the cost.
    var k = 0
    while k < total {
      let n = min(8, total - k)
      if n < 8 || UnsafeRawPointer(new + k).loadUnaligned(as: SIMD8<UInt64>.self)
        != UnsafeRawPointer(old + k).loadUnaligned(as: SIMD8<UInt64>.self) {
        for j in k..<(k + n) where new[j] != old[j] {
          let (p, w) = j.quotientAndRemainder(dividingBy: wordsPerPlane)
          spreadChanges(new[j], old[j], cells: min(64, cells - w * 64), into: bytes + p * cells + w * 64, table)
          old[j] = new[j]
        }
      }
      k += 8
    }
  }

  /// Copies the packed planes of `slot` into `mirror` (after a full ``export(_:into:)`` of the same slot).
  func remember(_ slot: UnsafeRawPointer, in mirror: UnsafeMutableRawPointer) {
    mirror.copyMemory(from: slot, byteCount: mirrorBytes)
  }

  /// Bit planes to bytes, eight cells per table lookup, sixteen per store (cell `c` of a plane is bit `c & 63` of
  /// word `c >> 6`).
  private func unpack(_ words: UnsafePointer<UInt64>, _ planes: Int, _ cells: Int, _ wordsPerPlane: Int,
                      _ out: UnsafeMutablePointer<UInt8>) {
    let wholeBytes = cells / 8, table = spreadTable
    for p in 0..<planes {
      let plane = UnsafeRawPointer(words + p * wordsPerPlane).assumingMemoryBound(to: UInt8.self)
      let target = UnsafeMutableRawPointer(out + p * cells)
      // Sixteen cells per store: stores, not lookups, are what this loop waits on.
      for b in stride(from: 0, to: wholeBytes & ~1, by: 2) {
        let pair = SIMD2(table[Int(plane[b])], table[Int(plane[b + 1])])
        target.storeBytes(of: pair, toByteOffset: b * 8, as: SIMD2<UInt64>.self)
      }
      if wholeBytes & 1 == 1 {
        target.storeBytes(of: table[Int(plane[wholeBytes - 1])], toByteOffset: (wholeBytes - 1) * 8, as: UInt64.self)
      }
      for c in (wholeBytes * 8)..<cells {
        target.storeBytes(of: (plane[c >> 3] >> UInt8(c & 7)) & 1, toByteOffset: c, as: UInt8.self)
      }
    }
  }

  /// The first `cells` (1...64) bits of `word` as bytes at `out`, which holds those of `previous`: only the runs of
  /// eight cells that differ are stored, so a moving ball dirties one cache line of the caller's array, not two.
  @inline(__always)
  private func spreadChanges(_ word: UInt64, _ previous: UInt64, cells: Int, into out: UnsafeMutablePointer<UInt8>,
                             _ table: UnsafePointer<UInt64>) {
    var changed = word ^ previous
    while changed != 0 {
      let first = changed.trailingZeroBitCount & ~7
      guard first < cells else { return }  // padding bits past the plane
      changed &= ~(0xFF << UInt64(first))
      if first + 8 <= cells {
        UnsafeMutableRawPointer(out + first).storeBytes(of: table[Int(truncatingIfNeeded: word >> UInt64(first) & 255)],
                                                       as: UInt64.self)
      } else {
        for c in first..<cells { out[c] = UInt8(truncatingIfNeeded: word >> UInt64(c)) & 1 }
      }
    }
  }
}

/// Byte `b` → eight bytes, byte `i` holding bit `i` of `b` (little-endian, as the planes' words are stored). A 2 KB
/// table that stays in L1, written once before any reader (a global's lazy initialisation), never after.
nonisolated(unsafe) private let spreadTable: UnsafePointer<UInt64> = {
  let table = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
  for b in 0..<256 {
    var bytes: UInt64 = 0
    for i in 0..<8 where b >> i & 1 == 1 { bytes |= 1 << UInt64(8 * i) }
    table[b] = bytes
  }
  return UnsafePointer(table)
}()

/// An observation form C callers can ask for.
protocol ExportedForm: ObservationForm {
  func plan<G: Game>(for game: G) -> ObservationPlan
}

extension NoObservation: ExportedForm {
  func plan<G: Game>(for game: G) -> ObservationPlan { ObservationPlan(layout: .none, shape: [0], dtype: 0) }
}

extension Grid: ExportedForm {
  func plan<G: Game>(for game: G) -> ObservationPlan {
    let l = layout(for: game)
    return ObservationPlan(layout: .bits(planes: l.channelCount, cells: l.width * l.height, wordsPerPlane: l.wordsPerPlane),
                           shape: [l.channelCount, l.height, l.width], dtype: 0)
  }
}

extension Entities: ExportedForm {
  func plan<G: Game>(for game: G) -> ObservationPlan {
    let capacity = game.entityCapacity(expandPixels: expandPixels)
    return ObservationPlan(layout: .entities(capacity: capacity), shape: [capacity, ObservationPlan.entityColumns], dtype: 1)
  }
}

extension Pixels: ExportedForm {
  func plan<G: Game>(for game: G) -> ObservationPlan {
    let (w, h) = size(game)
    let full = w == game.frameWidth && h == game.frameHeight
    return ObservationPlan(layout: full ? .direct : .bytes(w * h * 3), shape: [h, w, 3], dtype: 0)
  }
}
