/// A matrix B packed once into the panels ``gemm(transposeA:transposeB:m:n:k:alpha:a:b:packedB:beta:c:threads:)``
/// reads (K blocks of `depthBlock`, 16-column panels, zero-padded), for a B that several products read unchanged:
/// a layer's weight between two optimiser steps (a target network's for thousands of updates). Packing copies the
/// whole weight, which on a batch-32 forward is a visible share of the product (skipping it: +3% DQN updates/s).
struct PackedOperand {
  /// The packed panels, K block after K block.
  private(set) var storage: [Float] = []

  /// Packs the `k × n` matrix `op(B)` (`b` holds `n × k` when `transposeB`), reusing the storage when the size
  /// is unchanged (a fresh half-megabyte buffer per optimiser step costs page faults).
  mutating func pack(_ b: UnsafePointer<Float>, transposeB: Bool, k: Int, n: Int) {
    let panels = (n + columnTile - 1) / columnTile, count = k * panels * columnTile
    if storage.count != count { storage = [Float](repeating: 0, count: count) }
    let operand = GEMMOperand(base: UnsafeMutablePointer(mutating: b), transposed: !transposeB, rows: n, depth: k)
    storage.withUnsafeMutableBufferPointer { buffer in
      var start = 0
      while start < k {
        let depth = min(depthBlock, k - start)
        for panel in 0..<panels {
          operand.pack(rows: panel * columnTile, count: columnTile, depth: start..<(start + depth),
                       into: buffer.baseAddress! + Self.offset(depthStart: start, depth: depth, panel: panel, panels: panels))
        }
        start += depth
      }
    }
  }

  /// Where panel `panel` of the K block that starts at depth `depthStart` (and is `depth` deep) begins, for a B
  /// of `panels` panels.
  static func offset(depthStart: Int, depth: Int, panel: Int, panels: Int) -> Int {
    depthStart * panels * columnTile + panel * depth * columnTile
  }
}
