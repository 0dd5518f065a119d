import EnvironmentCore

/// Turning the changed rectangle of a frame into the runs of palette indices the LZW coder reads.
extension GIFEncoder {
  /// Stands for "unchanged" in ``runs`` until the frame's transparent index is known.
  private static let unchanged = UInt16(256)

  /// Builds the image with every pixel that did not change transparent; returns the transparent index,
  /// or nil if the global palette cannot hold the frame's new colours and one more index.
  mutating func transparentRuns(_ pixels: UnsafePointer<UInt8>, _ change: GIFChange) -> UInt8? {
    runs.removeAll(keepingCapacity: true)
    var old: [UInt8] = []
    swap(&old, &previous)
    defer { swap(&old, &previous) }
    let w = change.right - change.left + 1, block = w * scale * scale
    let fits = old.withUnsafeBufferPointer { old in
      var y = change.top
      for row in changedRows {
        pushScaled(Self.unchanged, (row - y) * block)  // unchanged rows in between
        beginRow()
        let first = spans[2 * row], last = spans[2 * row + 1]
        push(Self.unchanged, first - change.left)
        let offset = row * width * 3
        guard pushChanged(pixels + offset, old: old.baseAddress! + offset, first, last) else { return false }
        push(Self.unchanged, change.right - last)
        appendRow()
        y = row + 1
      }
      pushScaled(Self.unchanged, (change.bottom + 1 - y) * block)
      return true
    }
    guard fits && palette.count < 256 else { return nil }
    let transparent = UInt16(palette.count)
    for i in runs.indices where runs[i].index == Self.unchanged { runs[i].index = transparent }
    return UInt8(transparent)
  }

  /// Builds the image with every pixel in it drawn, from `palette` or else the global one; false if a
  /// colour does not fit the global palette.
  mutating func opaqueRuns(_ pixels: UnsafePointer<UInt8>, _ change: GIFChange, palette local: GIFPalette?) -> Bool {
    runs.removeAll(keepingCapacity: true)
    for y in change.top...change.bottom {
      beginRow()
      guard pushAll(pixels + y * width * 3, change.left, change.right, local: local) else { return false }
      appendRow()
    }
    return true
  }

  /// A palette for the rectangle alone (its colours by frequency).
  func localPalette(_ pixels: UnsafePointer<UInt8>, _ change: GIFChange) -> GIFPalette {
    var order: [UInt32] = [], counts: [UInt32: Int] = [:]
    for y in change.top...change.bottom {
      let row = pixels + y * width * 3
      for x in change.left...change.right {
        let key = GIFPalette.key(row[3 * x], row[3 * x + 1], row[3 * x + 2])
        if let c = counts[key] { counts[key] = c + 1 } else { counts[key] = 1; order.append(key) }
      }
    }
    return GIFPalette.quantizing(order.map { ($0, counts[$0]!) })
  }

  /// Appends columns `x0...x1` of `row` to ``rowRuns``, as ``unchanged`` where they equal `old` (found
  /// eight bytes at a time) and by their global palette index elsewhere. False if a colour does not fit.
  private mutating func pushChanged(_ row: UnsafePointer<UInt8>, old: UnsafePointer<UInt8>, _ x0: Int, _ x1: Int) -> Bool {
    var x = x0, lastKey = UInt32.max, lastIndex = UInt16(0)
    while x <= x1 {
      let changed = x + firstDifference(old + 3 * x, row + 3 * x, 3 * (x1 - x + 1)) / 3
      push(Self.unchanged, min(changed, x1 + 1) - x)
      if changed > x1 { break }
      let p = row + 3 * changed
      let key = GIFPalette.key(p[0], p[1], p[2])
      if key != lastKey {
        guard let index = globalIndex(key) else { return false }
        lastKey = key
        lastIndex = UInt16(index)
      }
      push(lastIndex, 1)
      x = changed + 1
    }
    return true
  }

  /// Appends columns `x0...x1` of `row` to ``rowRuns`` by their index in `local` or else the global
  /// palette. False if a colour does not fit the global palette.
  private mutating func pushAll(_ row: UnsafePointer<UInt8>, _ x0: Int, _ x1: Int, local: GIFPalette?) -> Bool {
    var lastKey = UInt32.max
    var run = GIFRun(index: Self.unchanged, count: 0)  // pushed when the index changes, not per pixel
    for x in x0...x1 {
      let p = row + 3 * x
      let key = GIFPalette.key(p[0], p[1], p[2])
      if key == lastKey {
        run.count += 1
        continue
      }
      let index: UInt16
      if let local {
        index = UInt16(local.indexOf[key]!)
      } else {
        guard let found = globalIndex(key) else { return false }
        index = UInt16(found)
      }
      lastKey = key
      if index == run.index {
        run.count += 1
      } else {
        push(run.index, run.count)
        run = GIFRun(index: index, count: 1)
      }
    }
    push(run.index, run.count)
    return true
  }

  /// The global palette index of `key`, adding it while the palette has room; nil if it does not fit.
  private mutating func globalIndex(_ key: UInt32) -> UInt8? {
    let slot = Int((key &* 0x9E37_79B1) >> 26)
    let recent = recentColors[slot]
    if recent >> 8 == UInt64(key) { return UInt8(truncatingIfNeeded: recent) }
    let index: UInt8
    if let known = paletteIndex[key] {
      index = known
    } else if let fixed {
      index = GIFPalette.nearest(key, in: fixed.colors)
      paletteIndex[key] = index
    } else if palette.count < 256 {
      index = UInt8(palette.count)
      palette.append(key)
      paletteIndex[key] = index
    } else {
      return nil
    }
    recentColors[slot] = UInt64(key) << 8 | UInt64(index)
    return index
  }

  /// Appends `count` pixels of `index` to the row being built; at scale 1, straight to ``runs``.
  @inline(__always)
  private mutating func push(_ index: UInt16, _ count: Int) {
    if scale == 1 { Self.append(index, count, to: &runs) } else { Self.append(index, count, to: &rowRuns) }
  }

  /// Appends `count` pixels of `index` to ``runs`` as they are (already scaled).
  @inline(__always)
  private mutating func pushScaled(_ index: UInt16, _ count: Int) { Self.append(index, count, to: &runs) }

  @inline(__always)
  private static func append(_ index: UInt16, _ count: Int, to runs: inout [GIFRun]) {
    guard count > 0 else { return }
    if let last = runs.last, last.index == index {
      runs[runs.count - 1].count += count
    } else {
      runs.append(GIFRun(index: index, count: count))
    }
  }

  private mutating func beginRow() {
    if scale > 1 { rowRuns.removeAll(keepingCapacity: true) }
  }

  /// Appends the row being built to ``runs``, each pixel `scale` wide and the row `scale` times.
  private mutating func appendRow() {
    guard scale > 1 else { return }
    for _ in 0..<scale {
      for run in rowRuns { pushScaled(run.index, run.count * scale) }
    }
  }
}
