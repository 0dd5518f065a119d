// The register-blocked micro-kernels behind `gemm`, and its paths for one to three rows.

#if arch(x86_64)
import _Builtin_intrinsics.intel.cpuid
#endif
import CPUFeatures
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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
/// release build, otherwise "baseline" (x86-64's SSE2, or the platform's default), plus "+avx2-gemm" or
/// "+avx512-gemm" when the matrix kernel runs a copy compiled for those (``MatrixKernel``).
public var gemmInstructionSet: String {
  #if AVX2 && !DEBUG
  let compiled = "avx2"
  #else
  let compiled = "baseline"
  #endif
  switch MatrixKernel.best {
  case .sse: return compiled
  case .haswell: return compiled == "avx2" ? compiled : compiled + "+avx2-gemm"
  case .avx512: return compiled + "+avx512-gemm"
  }
}

/// The name of the micro-kernel products run: "8x32-avx512", "4x16-fma" or "4x8" (twice per 16-column panel).
public var gemmMicroKernel: String { MatrixKernel.best.name }

/// The micro-kernels behind ``gemm(transposeA:transposeB:m:n:k:alpha:a:b:beta:c:threads:)``.
enum MatrixKernel: Int, CaseIterable, Comparable {
  /// ``narrowKernel(_:_:_:_:)`` twice per 4 × 16 tile: CPUs without AVX2, and debug builds.
  case sse
  /// `haswellMicroKernel`, 4 × 16 with fused multiply-adds (AVX2 + FMA).
  case haswell
  /// `avx512MicroKernel`, 8 × 32 in 512-bit registers: the same sums as `haswell`, bit for bit.
  case avx512

  /// Rows of C per tile.
  var rows: Int { self == .avx512 ? 8 : rowTile }

  var name: String {
    switch self {
    case .sse: "4x8"
    case .haswell: "4x16-fma"
    case .avx512: "8x32-avx512"
    }
  }

  /// The fastest kernel this build runs on this CPU, or a slower one named by `ARCADE_MATRIX_KERNEL` (`sse`,
  /// `avx2`; products are bit for bit the same under `avx2` and `avx512`, not under `sse`, which does not fuse).
  static let best: MatrixKernel = {
    switch requestedMatrixKernel {
    case .some((_, .some(let requested))) where requested <= buildMatrixKernel: requested
    default: buildMatrixKernel
    }
  }()

  /// Slower kernels first.
  static func < (a: MatrixKernel, b: MatrixKernel) -> Bool { a.rawValue < b.rawValue }
}

/// `ARCADE_MATRIX_KERNEL` as given and the kernel it names (`nil` when it names none); `nil` when unset.
private let requestedMatrixKernel: (value: String, kernel: MatrixKernel?)? = {
  guard let value = getenv("ARCADE_MATRIX_KERNEL").map({ String(cString: $0) }), !value.isEmpty else { return nil }
  return (value, ["sse": .sse, "avx2": .haswell, "avx512": .avx512][value])
}()

/// Why `ARCADE_MATRIX_KERNEL` cannot be followed (an unknown name, or a kernel this build or CPU lacks), else
/// `nil`: the command line stops with it rather than run slower or faster than asked.
public var matrixKernelRequestProblem: String? {
  guard let (value, requested) = requestedMatrixKernel else { return nil }
  guard let kernel = requested else {
    return "ARCADE_MATRIX_KERNEL: unknown kernel '\(value)' (expected sse, avx2 or avx512)"
  }
  return kernel <= buildMatrixKernel ? nil
    : "ARCADE_MATRIX_KERNEL=\(value): this \(isDebugBuild ? "debug build" : "CPU") runs at most the \(buildMatrixKernel.name) kernel"
}

/// The best kernel this build runs on this CPU: debug builds keep the SSE kernel (they compile the kernel modules
/// for the default CPU, where fused multiply-adds are library calls).
private var buildMatrixKernel: MatrixKernel { isDebugBuild ? .sse : cpuMatrixKernel }

private var isDebugBuild: Bool {
  #if DEBUG
  true
  #else
  false
  #endif
}

/// The best kernel the CPU and the operating system support (CPUID, and XGETBV for the registers the system
/// saves): `avx512` needs AVX-512 F, CD, BW, DQ and VL with the opmask and ZMM state enabled; `haswell` AVX, AVX2
/// and FMA with the YMM state. With the `AVX2` trait the binary already requires AVX2.
private let cpuMatrixKernel: MatrixKernel = {
  #if arch(x86_64)
  var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0
  guard __get_cpuid(1, &a, &b, &c, &d) != 0 else { return fallbackKernel }
  let fma = c & (1 << 12) != 0, osxsave = c & (1 << 27) != 0, avx = c & (1 << 28) != 0
  guard osxsave, __get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 else { return fallbackKernel }
  let state = arcade_enabled_register_state()
  guard fma, avx, b & (1 << 5) != 0, state & 0b110 == 0b110 else { return fallbackKernel }
  let avx512: UInt32 = 1 << 16 | 1 << 17 | 1 << 28 | 1 << 30 | 1 << 31  // F, DQ, CD, BW, VL
  return b & avx512 == avx512 && state & 0b1110_0110 == 0b1110_0110 ? .avx512 : .haswell
  #else
  return fallbackKernel
  #endif
}()

/// Without the CPU's word: the AVX2 kernel when the binary was built for AVX2, else SSE.
private var fallbackKernel: MatrixKernel {
  #if AVX2
  .haswell
  #else
  .sse
  #endif
}

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

/// Whether the AVX-512 kernel's `C = A·B`, then `C += A·B`, equals the AVX2 kernel's bit for bit (`a` is `m × k`,
/// `b` is `k × n`, or `n × k` with `transposeB`), or `nil` when products do not run the AVX-512 kernel. The
/// benchmark checks it in release builds, the only ones that reach the AVX-512 instructions.
public func avx512KernelMatchesAVX2Kernel(m: Int, n: Int, k: Int, transposeB: Bool, a: UnsafePointer<Float>,
                                          b: UnsafePointer<Float>, threads: Int) -> Bool? {
  guard MatrixKernel.best == .avx512 else { return nil }
  let products = [MatrixKernel.avx512, .haswell].map { kernel in
    [Float](unsafeUninitializedCapacity: m * n) { c, count in
      for beta: Float in [0, 1] {
        gemm(transposeA: false, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b, beta: beta, c: c.baseAddress!,
             threads: threads, kernel: kernel)
      }
      count = m * n
    }
  }
  return products[0].map(\.bitPattern) == products[1].map(\.bitPattern)
}
