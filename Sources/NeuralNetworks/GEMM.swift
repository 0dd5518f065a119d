import Dispatch
import NeuralNetworksHaswell

/// Rows of C computed by one micro-kernel call.
let rowTile = 4
/// Columns of C computed by one micro-kernel call (two `SIMD8<Float>` registers).
let columnTile = 16
/// Depth of one K block: a packed 256 × 16 panel of B (16 KiB) stays in L1/L2 while it is reused.
let depthBlock = 256
/// Columns of B packed at a time: a 256 × 256 block (256 KiB) stays in L2 while every row block of A
/// sweeps it.
private let columnBlock = 256
/// Multiply-adds per K block below which a multi-threaded call runs on one thread: a fan-out costs a few µs
/// on a busy 2-core machine, so each worker should get tens of µs of arithmetic.
let parallelThreshold = 1 << 19

/// General matrix multiply: `C = alpha · op(A) · op(B) + beta · C`, all row-major and contiguous.
///
/// `op(A)` is `m × k` and `op(B)` is `k × n`. With `transposeA` the buffer `a` holds `k × m` (so `op(A)`
/// is its transpose); with `transposeB` the buffer `b` holds `n × k`. When `beta` is 0, `c` is only written,
/// never read, so it may start uninitialised.
///
/// The work is a register-blocked 4 × 16 micro-kernel with eight `SIMD8<Float>` accumulators and fused
/// multiply-adds on AVX2 CPUs (see ``usesHaswellKernel``), or the same block as two 4 × 8 SSE halves, over
/// K blocks of 256, reading packed panels of A (4 rows) and B (16 columns) that are zero-padded at the edges,
/// so any sizes work. With `threads > 1` the output tiles are split over `DispatchQueue.concurrentPerform`;
/// every element of C is still computed by one thread with the same operations in the same order, so the
/// result is bit-identical for any thread count.
///
/// With fewer than four rows of untransposed A (acting on one observation) dedicated loops skip the packing;
/// they sum in another order, so a row's result can differ in the last bits from the same row inside a batch.
public func gemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
  beta: Float = 0, c: UnsafeMutablePointer<Float>, threads: Int = 1
) {
  gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, b: b, packedB: nil,
       beta: beta, c: c, threads: threads)
}

/// ``gemm(transposeA:transposeB:m:n:k:alpha:a:b:beta:c:threads:)`` reading B's panels from `packedB` when
/// given (``PackedOperand``'s layout of that same B), instead of packing them again.
func gemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
  alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>, packedB prepacked: UnsafePointer<Float>?,
  beta: Float, c: UnsafeMutablePointer<Float>, threads: Int
) {
  precondition(m >= 0 && n >= 0 && k >= 0 && threads >= 1, "gemm: bad arguments")
  guard m > 0, n > 0 else { return }
  guard k > 0 else {
    for index in 0..<(m * n) { c[index] = beta == 0 ? 0 : beta * c[index] }
    return
  }
  if m < rowTile && !transposeA {
    if transposeB {
      dotProducts(m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
    } else {
      rowCombinations(m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
    }
    return
  }
  let panels = (n + columnTile - 1) / columnTile
  let rowBlocks = (m + rowTile - 1) / rowTile
  let blockPanels = min(panels, columnBlock / columnTile)
  let packedB = UnsafeMutablePointer<Float>.allocate(capacity: prepacked != nil ? 0 : min(k, depthBlock) * blockPanels * columnTile)
  defer { packedB.deallocate() }
  let a = GEMMOperand(base: UnsafeMutablePointer(mutating: a), transposed: transposeA, rows: m, depth: k)
  let b = GEMMOperand(base: UnsafeMutablePointer(mutating: b), transposed: !transposeB, rows: n, depth: k)
  let output = SendablePointer(base: c)
  let packed = SendablePointer(base: packedB)

  var start = 0
  while start < k {
    let depth = min(depthBlock, k - start)
    let blockBeta: Float = start == 0 ? beta : 1
    var firstPanel = 0
    while firstPanel < panels {
      let count = min(blockPanels, panels - firstPanel)
      // B is always packed, even row-major B whose panels could be read in place: rows of a power-of-two
      // width map to few cache sets, and the in-place kernel measured 25% slower on 32×1024·1024×128.
      var panelsOfB = packed
      if let prepacked {
        panelsOfB = SendablePointer(base: UnsafeMutablePointer(mutating: prepacked + PackedOperand.offset(
          depthStart: start, depth: depth, panel: firstPanel, panels: panels)))
      } else {
        for panel in 0..<count {
          b.pack(rows: (firstPanel + panel) * columnTile, count: columnTile, depth: start..<(start + depth),
                 into: packedB + panel * depth * columnTile)
        }
      }
      let job = GEMMBlock(a: a, packedB: panelsOfB, firstPanel: firstPanel, c: output, m: m, n: n,
                          depth: start..<(start + depth), alpha: alpha, beta: blockBeta)
      let work = m * min(n, count * columnTile) * depth
      let chunks = threads > 1 && work >= parallelThreshold ? min(threads, max(rowBlocks, count)) : 1
      if chunks == 1 {
        job.run(rowBlocks: 0..<rowBlocks, panels: 0..<count)
      } else if rowBlocks >= chunks {
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
          job.run(rowBlocks: (rowBlocks * chunk / chunks)..<(rowBlocks * (chunk + 1) / chunks), panels: 0..<count)
        }
      } else {
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
          job.run(rowBlocks: 0..<rowBlocks, panels: (count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
      }
      firstPanel += count
    }
    start += depth
  }
}

/// A raw pointer handed to worker threads, which write disjoint parts of it.
struct SendablePointer: @unchecked Sendable {
  let base: UnsafeMutablePointer<Float>
}

/// One input matrix seen as `rows` vectors of length `depth`, stored either row by row or column by column.
struct GEMMOperand: @unchecked Sendable {
  let base: UnsafeMutablePointer<Float>
  /// `false`: vector `r` is contiguous (`base[r * depth + p]`); `true`: `base[p * rows + r]`.
  let transposed: Bool
  let rows: Int
  let depth: Int

  /// Writes vectors `first..<first+count` over `depthRange` interleaved (`count` values per depth step),
  /// zero-filling vectors past the end.
  @inline(__always)
  func pack(rows first: Int, count: Int, depth depthRange: Range<Int>, into out: UnsafeMutablePointer<Float>) {
    let valid = max(0, min(count, rows - first))
    let length = depthRange.count
    if transposed {
      for p in 0..<length {
        let source = base + (depthRange.lowerBound + p) * rows + first
        let target = out + p * count
        if valid == count {
          copy(source, to: target, count: count)
        } else {
          target.update(from: source, count: valid)
          (target + valid).update(repeating: 0, count: count - valid)
        }
      }
    } else {
      // Groups of four full vectors go through 4 × 4 transposes of SIMD4 loads; the rest one by one.
      var r = 0
      while r + 4 <= valid {
        let source = base + (first + r) * depth + depthRange.lowerBound
        transposeFour(source, stride: depth, length: length, into: out + r, stride: count)
        r += 4
      }
      while r < valid {
        let source = base + (first + r) * depth + depthRange.lowerBound
        for p in 0..<length { out[p * count + r] = source[p] }
        r += 1
      }
      for r in valid..<count {
        for p in 0..<length { out[p * count + r] = 0 }
      }
    }
  }
}

/// Copies `count` floats four at a time (a `memmove` call per 16-float panel row costs more than the copy).
@inline(__always)
func copy(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
  var index = 0
  while index + 4 <= count {
    UnsafeMutableRawPointer(target + index).storeBytes(
      of: UnsafeRawPointer(source + index).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
    index += 4
  }
  while index < count {
    target[index] = source[index]
    index += 1
  }
}

/// Writes `target[p · targetStride + i] = source[i · sourceStride + p]` for four rows `i` and `length` steps.
@inline(__always)
func transposeFour(_ source: UnsafeMutablePointer<Float>, stride sourceStride: Int, length: Int,
                           into target: UnsafeMutablePointer<Float>, stride targetStride: Int) {
  let row0 = UnsafeRawPointer(source), row1 = UnsafeRawPointer(source + sourceStride)
  let row2 = UnsafeRawPointer(source + 2 * sourceStride), row3 = UnsafeRawPointer(source + 3 * sourceStride)
  var p = 0
  while p + 4 <= length {
    let offset = p * 4
    let a = row0.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
    let b = row1.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
    let c = row2.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
    let d = row3.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
    let out = UnsafeMutableRawPointer(target + p * targetStride), step = targetStride * 4
    out.storeBytes(of: SIMD4(a[0], b[0], c[0], d[0]), as: SIMD4<Float>.self)
    out.storeBytes(of: SIMD4(a[1], b[1], c[1], d[1]), toByteOffset: step, as: SIMD4<Float>.self)
    out.storeBytes(of: SIMD4(a[2], b[2], c[2], d[2]), toByteOffset: 2 * step, as: SIMD4<Float>.self)
    out.storeBytes(of: SIMD4(a[3], b[3], c[3], d[3]), toByteOffset: 3 * step, as: SIMD4<Float>.self)
    p += 4
  }
  while p < length {
    let out = target + p * targetStride
    out[0] = source[p]
    out[1] = source[sourceStride + p]
    out[2] = source[2 * sourceStride + p]
    out[3] = source[3 * sourceStride + p]
    p += 1
  }
}

/// The tiles of one K block: each worker packs its own rows of A and sweeps the packed panels of B.
struct GEMMBlock: @unchecked Sendable {
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

  func run(rowBlocks: Range<Int>, panels: Range<Int>) {
    guard !rowBlocks.isEmpty, !panels.isEmpty else { return }
    let length = depth.count
    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: length * rowTile)
    let tile = UnsafeMutablePointer<Float>.allocate(capacity: rowTile * columnTile)
    defer { packedA.deallocate(); tile.deallocate() }
    for block in rowBlocks {
      let row = block * rowTile
      a.pack(rows: row, count: rowTile, depth: depth, into: packedA)
      let rows = min(rowTile, m - row)
      for panel in panels {
        let column = (firstPanel + panel) * columnTile
        let columns = min(columnTile, n - column)
        let panelB = packedB.base + panel * length * columnTile
        if usesHaswellKernel {
          // A whole tile with alpha 1 goes straight into C (added to it when beta is 1): the same sums as
          // `store`, without the round trip through `tile`.
          if rows == rowTile && columns == columnTile && alpha == 1 && (beta == 0 || beta == 1) {
            haswellMicroKernel(length, packedA, panelB, c.base + row * n + column, rowStride: n, accumulate: beta == 1)
            continue
          }
          haswellMicroKernel(length, packedA, panelB, tile, rowStride: columnTile, accumulate: false)
        } else {
          narrowKernel(length, packedA, panelB, tile)
          narrowKernel(length, packedA, panelB + 8, tile + 8)
        }
        store(tile, rows: rows, columns: columns, into: c.base + row * n + column)
      }
    }
  }

  /// `C_tile = alpha · tile + beta · C_tile` over the valid part of the tile (C is not read when beta is 0).
  @inline(__always)
  func store(_ tile: UnsafeMutablePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>) {
    if columns == columnTile {
      // Full-width rows, eight lanes at a time: the same per-element arithmetic as the scalar loop below.
      let scale = SIMD8<Float>(repeating: alpha), keep = SIMD8<Float>(repeating: beta)
      for r in 0..<rows {
        let out = UnsafeMutableRawPointer(target + r * n), acc = UnsafeRawPointer(tile + r * columnTile)
        for offset in stride(from: 0, to: 64, by: 32) {
          let sum = acc.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
          let value = beta == 0
            ? scale * sum : scale * sum + keep * out.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
          out.storeBytes(of: value, toByteOffset: offset, as: SIMD8<Float>.self)
        }
      }
      return
    }
    for r in 0..<rows {
      let out = target + r * n
      let acc = tile + r * columnTile
      if beta == 0 {
        for j in 0..<columns { out[j] = alpha * acc[j] }
      } else {
        for j in 0..<columns { out[j] = alpha * acc[j] + beta * out[j] }
      }
    }
  }
}
