// The register-blocked micro-kernels behind `gemm`, and its paths for one to three rows.

#if arch(x86_64)
import _Builtin_intrinsics.intel.cpuid
#endif

/// `c + a · b` lane-wise, for the one-row products: one fused multiply-add in AVX2 builds (a single rounding,
/// and half the instructions of a multiply then an add), a multiply and an add elsewhere (without an FMA
/// target `addingProduct` becomes a call per lane).
@inline(__always)
func multiplyAdd<V: SIMD>(_ c: V, _ a: V, _ b: V) -> V where V.Scalar: BinaryFloatingPoint {
  #if AVX2 && !DEBUG
  c.addingProduct(a, b)
  #else
  c + a * b
  #endif
}

/// The 4 × 8 register block over half of a packed 16-column panel (`tile` rows are 16 apart): eight
/// accumulators of four lanes fit the sixteen SSE registers of the default x86-64 target, where a 4 × 16
/// block spills. The kernel of CPUs without AVX2 (and of debug builds).
@inline(__always)
func narrowKernel(_ length: Int, _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>,
                  _ tile: UnsafeMutablePointer<Float>) {
  var c00 = SIMD4<Float>(), c01 = SIMD4<Float>(), c10 = SIMD4<Float>(), c11 = SIMD4<Float>()
  var c20 = SIMD4<Float>(), c21 = SIMD4<Float>(), c30 = SIMD4<Float>(), c31 = SIMD4<Float>()
  var pa = UnsafeRawPointer(a), pb = UnsafeRawPointer(b)
  for _ in 0..<length {
    let b0 = pb.loadUnaligned(as: SIMD4<Float>.self)
    let b1 = pb.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
    // One load of the four A values, then register splats (cheaper than four scalar loads on SSE).
    let column = pa.loadUnaligned(as: SIMD4<Float>.self)
    let a0 = SIMD4<Float>(repeating: column[0])
    c00 = c00 + a0 * b0; c01 = c01 + a0 * b1
    let a1 = SIMD4<Float>(repeating: column[1])
    c10 = c10 + a1 * b0; c11 = c11 + a1 * b1
    let a2 = SIMD4<Float>(repeating: column[2])
    c20 = c20 + a2 * b0; c21 = c21 + a2 * b1
    let a3 = SIMD4<Float>(repeating: column[3])
    c30 = c30 + a3 * b0; c31 = c31 + a3 * b1
    pa += 16; pb += 64
  }
  let out = UnsafeMutableRawPointer(tile)
  out.storeBytes(of: c00, toByteOffset: 0, as: SIMD4<Float>.self)
  out.storeBytes(of: c01, toByteOffset: 16, as: SIMD4<Float>.self)
  out.storeBytes(of: c10, toByteOffset: 64, as: SIMD4<Float>.self)
  out.storeBytes(of: c11, toByteOffset: 80, as: SIMD4<Float>.self)
  out.storeBytes(of: c20, toByteOffset: 128, as: SIMD4<Float>.self)
  out.storeBytes(of: c21, toByteOffset: 144, as: SIMD4<Float>.self)
  out.storeBytes(of: c30, toByteOffset: 192, as: SIMD4<Float>.self)
  out.storeBytes(of: c31, toByteOffset: 208, as: SIMD4<Float>.self)
}

/// The instruction set the matrix products were compiled for: "avx2" with the `AVX2` package trait in a
/// release build, otherwise "baseline" (x86-64's SSE2, or the platform's default), plus "+avx2-gemm" when the
/// matrix kernel runs the AVX2 + FMA copy in `NeuralNetworksHaswell` (a release build on a CPU that has them).
public var gemmInstructionSet: String {
  #if AVX2 && !DEBUG
  "avx2"
  #else
  usesHaswellKernel ? "baseline+avx2-gemm" : "baseline"
  #endif
}

/// The name of the micro-kernel this binary uses: "4x16-fma" (``haswellMicroKernel(_:_:_:_:rowStride:accumulate:)``) or "4x8"
/// (``narrowKernel(_:_:_:_:)``, twice per 16-column panel).
public var gemmMicroKernel: String { usesHaswellKernel ? "4x16-fma" : "4x8" }

/// Whether products run ``haswellMicroKernel(_:_:_:_:rowStride:accumulate:)`` (AVX2 + FMA): always in release builds with the `AVX2`
/// trait; in other release builds on x86-64 CPUs that report AVX, AVX2, FMA and OS support for their registers
/// (CPUID). Debug builds compile that module for the default CPU, where fused multiply-adds are library calls,
/// so they keep the SSE kernel.
let usesHaswellKernel: Bool = {
  #if DEBUG
  false
  #elseif AVX2
  true
  #elseif arch(x86_64)
  var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0
  guard __get_cpuid(1, &a, &b, &c, &d) != 0 else { return false }
  let fma = c & (1 << 12) != 0, osxsave = c & (1 << 27) != 0, avx = c & (1 << 28) != 0
  guard __get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 else { return false }
  return fma && osxsave && avx && b & (1 << 5) != 0
  #else
  false
  #endif
}()

/// `C = alpha · A · Bᵀ + beta · C` for fewer than four rows of A (acting on one observation): each element
/// is a dot product of two contiguous rows, with eight SIMD lanes of partial sums folded in a fixed order.
/// Packing B would cost as much as the arithmetic here.
func dotProducts(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                         beta: Float, c: UnsafeMutablePointer<Float>) {
  let vectorEnd = k & ~7
  for i in 0..<m {
    let row = UnsafeRawPointer(a + i * k)
    for j in 0..<n {
      let column = UnsafeRawPointer(b + j * k)
      var lanes = SIMD8<Float>()
      var offset = 0
      while offset < vectorEnd * 4 {
        lanes = lanes + row.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
          * column.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        offset += 32
      }
      var sum = lanes.sum()
      for p in vectorEnd..<k { sum = sum + a[i * k + p] * b[j * k + p] }
      let out = c + i * n + j
      out.pointee = beta == 0 ? alpha * sum : alpha * sum + beta * out.pointee
    }
  }
}

/// `C = alpha · A · B + beta · C` for fewer than four rows of A (acting on one observation): each row of C is
/// the combination of the rows of B weighted by that row of A, accumulated over p in order. Thirty-two columns
/// stay in registers while p runs, and zero weights are skipped: inputs after a ReLU are mostly zeros.
func rowCombinations(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                     beta: Float, c: UnsafeMutablePointer<Float>) {
  let sums = UnsafeMutablePointer<Float>.allocate(capacity: n)
  defer { sums.deallocate() }
  for i in 0..<m {
    let weights = a + i * k
    var column = 0
    while column + 32 <= n {
      var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
      for p in 0..<k where weights[p] != 0 {
        let weight = SIMD8<Float>(repeating: weights[p]), row = UnsafeRawPointer(b + p * n + column)
        s0 = multiplyAdd(s0, weight, row.loadUnaligned(as: SIMD8<Float>.self))
        s1 = multiplyAdd(s1, weight, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
        s2 = multiplyAdd(s2, weight, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
        s3 = multiplyAdd(s3, weight, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
      }
      let out = UnsafeMutableRawPointer(sums + column)
      out.storeBytes(of: s0, as: SIMD8<Float>.self)
      out.storeBytes(of: s1, toByteOffset: 32, as: SIMD8<Float>.self)
      out.storeBytes(of: s2, toByteOffset: 64, as: SIMD8<Float>.self)
      out.storeBytes(of: s3, toByteOffset: 96, as: SIMD8<Float>.self)
      column += 32
    }
    for j in column..<n {
      var sum: Float = 0
      for p in 0..<k where weights[p] != 0 { sum = sum + weights[p] * b[p * n + j] }
      sums[j] = sum
    }
    let target = c + i * n
    for j in 0..<n { target[j] = beta == 0 ? alpha * sums[j] : alpha * sums[j] + beta * target[j] }
  }
}
