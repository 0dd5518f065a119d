import NeuralNetworksAVX512
import NeuralNetworksHaswell

/// The tiles of one K block: each worker packs its own rows of A and sweeps the packed panels of B.
struct GEMMBlock: @unchecked Sendable {
  let kernel: MatrixKernel
  let a: GEMMOperand
  let packedB: SendablePointer
  /// The panel of C that packed panel 0 belongs to.
  let firstPanel: Int
  let c: SendablePointer
  let m: Int
  let n: Int
  let depth: Range<Int>
  let alpha: Float
  let beta: Float

  /// Computes the tiles of `rowBlocks` (blocks of `kernel.rows` rows) × `panels`.
  func run(rowBlocks: Range<Int>, panels: Range<Int>) {
    guard !rowBlocks.isEmpty, !panels.isEmpty else { return }
    let length = depth.count, rowsPerBlock = kernel.rows
    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: length * rowsPerBlock)
    let tile = UnsafeMutablePointer<Float>.allocate(capacity: rowsPerBlock * 2 * columnTile)
    defer { packedA.deallocate(); tile.deallocate() }
    for block in rowBlocks {
      let row = block * rowsPerBlock
      a.pack(rows: row, count: rowsPerBlock, depth: depth, into: packedA)
      let rows = min(rowsPerBlock, m - row)
      if kernel == .avx512 {
        wideTiles(packedA, row: row, rows: rows, panels: panels, tile: tile)
        continue
      }
      for panel in panels {
        let column = (firstPanel + panel) * columnTile
        let columns = min(columnTile, n - column)
        let panelB = packedB.base + panel * length * columnTile
        if kernel == .haswell {
          // A whole tile with alpha 1 goes straight into C (added to it when beta is 1): the same sums as
          // `store`, without the round trip through `tile`.
          if rows == rowTile && columns == columnTile && writesInPlace {
            haswellMicroKernel(length, packedA, panelB, c.base + row * n + column, rowStride: n, accumulate: beta == 1)
            continue
          }
          haswellMicroKernel(length, packedA, panelB, tile, rowStride: columnTile, accumulate: false)
        } else {
          narrowKernel(length, packedA, panelB, tile)
          narrowKernel(length, packedA, panelB + 8, tile + 8)
        }
        store(tile, stride: columnTile, rows: rows, columns: columns, into: c.base + row * n + column)
      }
    }
  }

  /// The 8-row tiles of the AVX-512 kernel: two panels at a time, the last one alone when their count is odd.
  @inline(__always)
  func wideTiles(_ packedA: UnsafeMutablePointer<Float>, row: Int, rows: Int, panels: Range<Int>,
                 tile: UnsafeMutablePointer<Float>) {
    let length = depth.count
    var panel = panels.lowerBound
    while panel < panels.upperBound {
      let pair = panel + 1 < panels.upperBound
      let column = (firstPanel + panel) * columnTile
      let columns = min((pair ? 2 : 1) * columnTile, n - column)
      let panelB = packedB.base + panel * length * columnTile
      let full = rows == MatrixKernel.avx512.rows && columns == (pair ? 2 : 1) * columnTile && writesInPlace
      let target = full ? c.base + row * n + column : tile, stride = full ? n : 2 * columnTile
      let accumulate = full && beta == 1
      if pair {
        avx512MicroKernel(length, packedA, panelB, secondPanel: panelB + length * columnTile, target, rowStride: stride,
                          accumulate: accumulate)
      } else {
        avx512PanelKernel(length, packedA, panelB, target, rowStride: stride, accumulate: accumulate)
      }
      if !full { store(tile, stride: 2 * columnTile, rows: rows, columns: columns, into: c.base + row * n + column) }
      panel += pair ? 2 : 1
    }
  }

  /// Whether whole tiles may go straight into C: their sums equal `store`'s exactly (alpha 1, beta 0 or 1).
  var writesInPlace: Bool { alpha == 1 && (beta == 0 || beta == 1) }

  /// `C_tile = alpha · tile + beta · C_tile` over the valid `rows × columns` of a tile whose rows are `stride`
  /// floats apart (C is not read when beta is 0).
  @inline(__always)
  func store(_ tile: UnsafeMutablePointer<Float>, stride: Int, rows: Int, columns: Int,
             into target: UnsafeMutablePointer<Float>) {
    // Eight lanes at a time while they fit: the same per-element arithmetic as the scalar loop after them.
    let scale = SIMD8<Float>(repeating: alpha), keep = SIMD8<Float>(repeating: beta)
    for r in 0..<rows {
      let out = target + r * n, acc = tile + r * stride
      var j = 0
      while j + 8 <= columns {
        let sum = UnsafeRawPointer(acc + j).loadUnaligned(as: SIMD8<Float>.self)
        let value = beta == 0
          ? scale * sum : scale * sum + keep * UnsafeRawPointer(out + j).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(out + j).storeBytes(of: value, as: SIMD8<Float>.self)
        j += 8
      }
      if beta == 0 {
        while j < columns { out[j] = alpha * acc[j]; j += 1 }
      } else {
        while j < columns { out[j] = alpha * acc[j] + beta * out[j]; j += 1 }
      }
    }
  }
}
