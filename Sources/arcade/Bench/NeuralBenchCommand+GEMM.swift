import EnvironmentCore
import Experiments
import NeuralNetworks

extension NeuralBenchCommand {
  /// `--gemm-shape` as (m, n, k), or `nil` when it is not three positive sizes.
  var gemmDimensions: (m: Int, n: Int, k: Int)? {
    let sizes = gemmShape.split(separator: "x").compactMap { Int($0) }
    guard sizes.count == 3, sizes.allSatisfy({ (1...8192).contains($0) }) else { return nil }
    return (sizes[0], sizes[1], sizes[2])
  }

  /// Best-of-runs GFLOP/s of the `--gemm-shape` product (B stored transposed with `transposeB`), after checking
  /// it; throws when the product is wrong.
  func gemmLine(transposeB: Bool) throws -> GEMMLine {
    let (m, n, k) = gemmDimensions!
    var generator = SplitMix64(seed: seed)
    let a = (0..<(m * k)).map { _ in Float(generator.nextUnit()) - 0.5 }
    let b = (0..<(k * n)).map { _ in Float(generator.nextUnit()) - 0.5 }
    var c = [Float](repeating: 0, count: m * n)
    let clock = ContinuousClock()
    var best = Double.infinity
    var error = 0.0
    var matchesAVX2: Bool?
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        c.withUnsafeMutableBufferPointer { c in
          // The release kernels are checked here, where they run (the tests run a debug build): C = A·B, then
          // C += A·B, against a sum in Double.
          for beta: Float in [0, 1] {
            gemm(transposeA: false, transposeB: transposeB, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!,
                 beta: beta, c: c.baseAddress!, threads: threads.count)
          }
          for i in 0..<m {
            for j in 0..<n {
              let exact = (0..<k).reduce(0.0) { sum, p in
                sum + Double(a[i * k + p]) * Double(transposeB ? b[j * k + p] : b[p * n + j])
              }
              error = max(error, abs(Double(c[i * n + j]) - 2 * exact) / (1 + abs(2 * exact)))
            }
          }
          matchesAVX2 = avx512KernelMatchesAVX2Kernel(m: m, n: n, k: k, transposeB: transposeB, a: a.baseAddress!,
                                                      b: b.baseAddress!, threads: threads.count)
          let deadline = clock.now.advanced(by: .seconds(seconds))
          while clock.now < deadline {
            let start = clock.now
            for _ in 0..<10 {
              gemm(transposeA: false, transposeB: transposeB, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!,
                   c: c.baseAddress!, threads: threads.count)
            }
            best = min(best, (clock.now - start).inSeconds / 10)
          }
        }
      }
    }
    // The AVX-512 kernel must give the AVX2 kernel's bits, or runs would differ between CPUs; Adam's and the
    // scattered convolution's AVX2 and AVX-512 copies are checked here for the same reason.
    let line = GEMMLine(case: transposeB ? "gemm-nt" : "gemm", m: m, n: n, k: k, threads: threads.count, isa: gemmInstructionSet,
                        kernel: gemmMicroKernel, gflops: 2 * Double(m * n * k) / best / 1e9, maxRelativeError: error,
                        matchesAVX2Kernel: matchesAVX2, adamMatchesPortableLoop: adamKernelMatchesPortableLoop(),
                        scatterMatchesPortableLoop: scatterKernelMatchesPortableLoop())
    guard error < 1e-4 else {
      throw ConfigurationError("bench nn gemm: the \(gemmMicroKernel) kernel's product is wrong (relative error \(error)): \(line)")
    }
    guard matchesAVX2 != false else {
      throw ConfigurationError("bench nn gemm: the \(gemmMicroKernel) kernel's product differs from the AVX2 kernel's: \(line)")
    }
    guard line.adamMatchesPortableLoop else {
      throw ConfigurationError("bench nn gemm: Adam's \(gemmInstructionSet) update differs from its portable loop: \(line)")
    }
    guard line.scatterMatchesPortableLoop else {
      throw ConfigurationError("bench nn gemm: the \(gemmInstructionSet) scattered convolution differs from its portable loop: \(line)")
    }
    return line
  }

  /// What the gemm case prints.
  struct GEMMLine: Encodable {
    var bench = "nn"
    var `case`: String
    var m: Int, n: Int, k: Int, threads: Int
    var isa: String, kernel: String
    var gflops: Double, maxRelativeError: Double
    var matchesAVX2Kernel: Bool?
    var adamMatchesPortableLoop: Bool, scatterMatchesPortableLoop: Bool
  }
}
