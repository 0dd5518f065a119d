import Dispatch
import NeuralNetworksAVX512
import NeuralNetworksHaswell

/// Rows of C computed by one micro-kernel call of the SSE and AVX2 kernels, and the fewest rows of untransposed
/// A that go through the tiles at all (fewer take the one-row paths, whichever kernel runs).
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
/// The work is a register-blocked micro-kernel over K blocks of 256, reading packed panels of A and B
/// (16 columns) that are zero-padded at the edges, so any sizes work: 8 × 32 tiles in sixteen 512-bit
/// accumulators on AVX-512 CPUs, 4 × 16 tiles in eight `SIMD8<Float>` accumulators with fused multiply-adds on
/// AVX2 CPUs (see ``MatrixKernel``), or the same block as two 4 × 8 SSE halves elsewhere. The AVX-512 and AVX2
/// kernels compute every element with the same operations in the same order, so their products are
/// bit-identical. With `threads > 1` the output tiles are split over `DispatchQueue.concurrentPerform`;
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

/// ``gemm(transposeA:transposeB:m:n:k:alpha:a:b:beta:c:threads:)`` with the micro-kernel `kernel` instead of
/// the CPU's best (tests and the benchmark's cross-check compare kernels with it).
func gemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1, a: UnsafePointer<Float>,
  b: UnsafePointer<Float>, beta: Float = 0, c: UnsafeMutablePointer<Float>, threads: Int = 1, kernel: MatrixKernel
) {
  gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, b: b, packedB: nil,
       beta: beta, c: c, threads: threads, kernel: kernel)
}

/// ``gemm(transposeA:transposeB:m:n:k:alpha:a:b:beta:c:threads:)`` reading B's panels from `packedB` when
/// given (``PackedOperand``'s layout of that same B), instead of packing them again.
func gemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
  alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>, packedB prepacked: UnsafePointer<Float>?,
  beta: Float, c: UnsafeMutablePointer<Float>, threads: Int, kernel: MatrixKernel = .best
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
  let rowBlocks = (m + kernel.rows - 1) / kernel.rows
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
      let job = GEMMBlock(kernel: kernel, a: a, packedB: panelsOfB, firstPanel: firstPanel, c: output, m: m, n: n,
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
