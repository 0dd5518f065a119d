@testable import NeuralNetworks
import NeuralNetworksAVX512
import NeuralNetworksHaswell
import Testing

/// The reference: a triple loop in Double.
func naiveProduct(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], b: [Float],
                  beta: Float, c: [Float]) -> [Float] {
  var out = c
  for i in 0..<m {
    for j in 0..<n {
      var sum = 0.0
      for p in 0..<k {
        let x = transposeA ? a[p * m + i] : a[i * k + p]
        let y = transposeB ? b[j * k + p] : b[p * n + j]
        sum += Double(x) * Double(y)
      }
      out[i * n + j] = Float(Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * Double(c[i * n + j])))
    }
  }
  return out
}

/// `gemm` on arrays.
func product(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1, a: [Float], b: [Float],
             beta: Float = 0, c: [Float], threads: Int = 1, kernel: MatrixKernel = .best) -> [Float] {
  var out = c
  a.withUnsafeBufferPointer { a in
    b.withUnsafeBufferPointer { b in
      out.withUnsafeMutableBufferPointer { c in
        gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
             a: a.baseAddress!, b: b.baseAddress!, beta: beta, c: c.baseAddress!, threads: threads, kernel: kernel)
      }
    }
  }
  return out
}

@Suite struct GEMMTests {
  static let shapes: [(Int, Int, Int)] = [
    (1, 1, 1), (3, 17, 5), (2, 70, 9), (33, 65, 31), (4, 16, 300), (7, 1, 513), (64, 48, 2), (5, 600, 40), (9, 300, 260),
  ]

  /// Every kernel, whichever this CPU runs: debug builds compile the AVX2 and AVX-512 modules for the default
  /// CPU, where their fused multiply-adds are (exact) library calls, so their tiling is checked here too.
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)], MatrixKernel.allCases)
  func matchesTheNaiveProduct(transposes: (Bool, Bool), kernel: MatrixKernel) {
    let (transposeA, transposeB) = transposes
    var generator = TestGenerator(seed: 1)
    for (m, n, k) in Self.shapes {
      for (alpha, beta) in [(Float(1), Float(0)), (Float(0.5), Float(1)), (Float(-2), Float(0.25))] {
        let a = generator.tensor([m * k]).scalars, b = generator.tensor([k * n]).scalars
        let c = generator.tensor([m * n]).scalars
        let expected = naiveProduct(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                    a: a, b: b, beta: beta, c: c)
        let actual = product(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                             a: a, b: b, beta: beta, c: c, kernel: kernel)
        let worst = zip(expected, actual).map { abs($0 - $1) / max(1, abs($0)) }.max()!
        #expect(worst < 1e-4, "\(kernel) \(m)×\(n)×\(k) α=\(alpha) β=\(beta): error \(worst)")
      }
    }
  }

  @Test func oneRowWithMostlyZeroInputsMatchesTheNaiveProduct() {
    // Acting multiplies one ReLU output (mostly zeros) by a weight matrix; the kernel skips the zeros.
    var generator = TestGenerator(seed: 3)
    let (m, n, k) = (1, 72, 50)
    let a = generator.tensor([m * k]).scalars.enumerated().map { $0.offset % 3 == 0 ? $0.element : 0 }
    let b = generator.tensor([k * n]).scalars
    let expected = naiveProduct(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a, b: b, beta: 0,
                                c: [Float](repeating: 0, count: n))
    let actual = product(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a, b: b, c: [Float](repeating: .nan, count: n))
    #expect(zip(expected, actual).map { abs($0 - $1) }.max()! < 1e-4)
  }

  @Test func betaZeroIgnoresGarbageInC() {
    let a: [Float] = [1, 2, 3, 4], b: [Float] = [1, 0, 0, 1]
    let out = product(transposeA: false, transposeB: false, m: 2, n: 2, k: 2, a: a, b: b, c: [.nan, .nan, .nan, .nan])
    #expect(out == [1, 2, 3, 4])
  }

  @Test func emptyDepthScalesC() {
    let out = product(transposeA: false, transposeB: false, m: 1, n: 2, k: 0, a: [], b: [], beta: 2, c: [1, 3])
    #expect(out == [2, 6])
  }

  /// The AVX-512 kernel's 8 × 32 tiles (with their 8 × 16, partial-row and partial-column edges, in place or
  /// through the tile buffer) give exactly the AVX2 kernel's 4 × 16 products: a network trains to the same
  /// weights on either CPU.
  @Test(arguments: [(false, false), (true, false), (false, true)])
  func avx512MatchesAVX2BitForBit(transposeA: Bool, transposeB: Bool) {
    var generator = TestGenerator(seed: 4)
    let shapes = [(8, 32, 5), (16, 64, 40), (13, 48, 7), (5, 17, 3), (9, 300, 20), (64, 4, 33), (24, 96, 260)]
    for (m, n, k) in shapes {
      for (alpha, beta) in [(Float(1), Float(0)), (Float(1), Float(1)), (Float(0.5), Float(0.25))] {
        let a = generator.tensor([m * k]).scalars, b = generator.tensor([k * n]).scalars
        let c = generator.tensor([m * n]).scalars
        let results = [MatrixKernel.haswell, .avx512].map { kernel in
          product(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, b: b,
                  beta: beta, c: c, kernel: kernel).map(\.bitPattern)
        }
        #expect(results[0] == results[1], "\(m)×\(n)×\(k) α=\(alpha) β=\(beta)")
      }
    }
  }

  /// Shapes above the parallel threshold, split by rows, by column panels (m = 8, three column blocks) and
  /// over two K blocks.
  @Test(arguments: [(101, 83, 70), (8, 520, 256), (200, 20, 300)], [MatrixKernel.best, .avx512])
  func identicalForAnyThreadCount(shape: (Int, Int, Int), kernel: MatrixKernel) {
    let (m, n, k) = shape
    #expect(m * min(n, 256) * min(k, 256) >= parallelThreshold)
    var generator = TestGenerator(seed: 2)
    let a = generator.tensor([m * k]).scalars, b = generator.tensor([k * n]).scalars, c = generator.tensor([m * n]).scalars
    let one = product(transposeA: false, transposeB: true, m: m, n: n, k: k, a: a, b: b, beta: 1, c: c, kernel: kernel)
    for threads in [2, 3, 8] {
      let many = product(transposeA: false, transposeB: true, m: m, n: n, k: k, a: a, b: b, beta: 1, c: c,
                         threads: threads, kernel: kernel)
      #expect(many.map(\.bitPattern) == one.map(\.bitPattern), "threads \(threads)")
    }
  }
}

@Suite struct MicroKernelTests {
  @Test func bothKernelsComputeTheTile() {
    var generator = TestGenerator(seed: 3)
    let length = 37
    var a = generator.tensor([length * 4]).scalars, b = generator.tensor([length * 16]).scalars
    // The fused kernel writes rows 20 floats apart, then adds a second product onto them.
    var fused = [Float](repeating: -7, count: 80), narrow = [Float](repeating: 0, count: 64)
    a.withUnsafeMutableBufferPointer { a in
      b.withUnsafeMutableBufferPointer { b in
        fused.withUnsafeMutableBufferPointer {
          haswellMicroKernel(length, a.baseAddress!, b.baseAddress!, $0.baseAddress!, rowStride: 20, accumulate: false)
          haswellMicroKernel(length, a.baseAddress!, b.baseAddress!, $0.baseAddress!, rowStride: 20, accumulate: true)
        }
        narrow.withUnsafeMutableBufferPointer { tile in
          narrowKernel(length, a.baseAddress!, b.baseAddress!, tile.baseAddress!)
          narrowKernel(length, a.baseAddress!, b.baseAddress! + 8, tile.baseAddress! + 8)
        }
      }
    }
    for r in 0..<4 {
      for j in 0..<16 {
        let exact = (0..<length).reduce(0.0) { $0 + Double(a[$1 * 4 + r]) * Double(b[$1 * 16 + j]) }
        #expect(abs(Double(fused[r * 20 + j]) - 2 * exact) < 2e-4 && abs(Double(narrow[r * 16 + j]) - exact) < 1e-4, "[\(r)][\(j)]")
      }
      #expect(fused[(r * 20 + 16)..<(r * 20 + 20)].allSatisfy { $0 == -7 }, "row \(r) wrote past its 16 columns")
    }
    #expect(["4x8", "4x16-fma", "8x32-avx512"].contains(gemmMicroKernel))
  }

  @Test func avx512KernelsWriteTheirRowsAndColumnsOnly() {
    var generator = TestGenerator(seed: 5)
    let length = 21
    let a = generator.tensor([length * 8]).scalars, b = generator.tensor([length * 32]).scalars
    // Rows 40 floats apart: the 8 × 32 block, then the 8 × 16 one added onto its first half.
    var out = [Float](repeating: -7, count: 8 * 40)
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        out.withUnsafeMutableBufferPointer {
          avx512MicroKernel(length, a.baseAddress!, b.baseAddress!, secondPanel: b.baseAddress! + length * 16,
                            $0.baseAddress!, rowStride: 40, accumulate: false)
          avx512PanelKernel(length, a.baseAddress!, b.baseAddress!, $0.baseAddress!, rowStride: 40, accumulate: true)
        }
      }
    }
    for r in 0..<8 {
      for j in 0..<32 {
        let panel = j / 16, column = j % 16
        let exact = (0..<length).reduce(0.0) {
          $0 + Double(a[$1 * 8 + r]) * Double(b[panel * length * 16 + $1 * 16 + column])
        }
        #expect(abs(Double(out[r * 40 + j]) - (panel == 0 ? 2 : 1) * exact) < 2e-4, "[\(r)][\(j)]")
      }
      #expect(out[(r * 40 + 32)..<(r * 40 + 40)].allSatisfy { $0 == -7 }, "row \(r) wrote past its 32 columns")
    }
  }
}
