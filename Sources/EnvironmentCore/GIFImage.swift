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
    let fits = old.withUnsafeBufferPointer { old in
      for y in change.top...change.bottom {
        rowRuns.removeAll(keepingCapacity: true)
        let first = spans[2 * y], last = spans[2 * y + 1]
        if first < 0 {
          push(Self.unchanged, change.right - change.left + 1)
        } else {
          push(Self.unchanged, first - change.left)
          let offset = y * width * 3
          guard pushPixels(pixels + offset, old: old.baseAddress! + offset, first, last, local: nil) else { return false }
          push(Self.unchanged, change.right - last)
        }
        appendRow()
      }
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
      rowRuns.removeAll(keepingCapacity: true)
      guard pushPixels(pixels + y * width * 3, old: nil, change.left, change.right, local: local) else { return false }
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

  /// Appends columns `x0...x1` of `row` to ``rowRuns``: as ``unchanged`` where they equal `old`, otherwise
  /// by their index in `local` or the global palette. False if a colour does not fit the global palette.
  private mutating func pushPixels(_ row: UnsafePointer<UInt8>, old: UnsafePointer<UInt8>?, _ x0: Int, _ x1: Int,
                                   local: GIFPalette?) -> Bool {
    var lastKey = UInt32.max, lastIndex = UInt16(0)
    for x in x0...x1 {
      let p = row + 3 * x
      if let old, old[3 * x] == p[0] && old[3 * x + 1] == p[1] && old[3 * x + 2] == p[2] {
        push(Self.unchanged, 1)
        continue
      }
      let key = GIFPalette.key(p[0], p[1], p[2])
      if key != lastKey {
        if let local {
          lastIndex = UInt16(local.indexOf[key]!)
        } else {
          guard let index = globalIndex(key) else { return false }
          lastIndex = UInt16(index)
        }
        lastKey = key
      }
      push(lastIndex, 1)
    }
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

  /// Appends `count` pixels of `index` to the row being built.
  @inline(__always)
  private mutating func push(_ index: UInt16, _ count: Int) {
    guard count > 0 else { return }
    if let last = rowRuns.last, last.index == index {
      rowRuns[rowRuns.count - 1].count += count
    } else {
      rowRuns.append(GIFRun(index: index, count: count))
    }
  }

  /// Appends the row being built to ``runs``, each pixel `scale` wide and the row `scale` times.
  private mutating func appendRow() {
    for _ in 0..<scale {
      for run in rowRuns {
        if let last = runs.last, last.index == run.index {
          runs[runs.count - 1].count += run.count * scale
        } else {
          runs.append(GIFRun(index: run.index, count: run.count * scale))
        }
      }
    }
  }
}
