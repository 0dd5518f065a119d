@testable import NeuralNetworks
import NeuralNetworksLoops
import Testing

/// The loops that run in AVX2 and AVX-512 copies on such CPUs give the portable loop's bits. Debug builds compile
/// those copies for the default CPU, so their vector widths and tails are checked here; `arcade bench nn gemm`
/// checks the release copies.
@Suite struct KernelCopiesTests {
  @Test(arguments: [MatrixKernel.haswell, .avx512])
  func scatteredConvolutionCopiesMatchThePortableLoop(kernel: MatrixKernel) {
    #expect(scatterCopyMatchesPortableLoop(kernel))
  }

  /// Every width from 1 to 40 (whole 16- and 8-lane groups, and tails), with 1 (no multiply) and other scales.
  @Test(arguments: [Float(1), 0.37, -2.5])
  func addScaledMatchesTheScalarLoopAtEveryWidth(value: Float) {
    var generator = TestGenerator(seed: 9)
    for count in 1...40 {
      let w = generator.tensor([count]).scalars, start = generator.tensor([count]).scalars
      let expected = zip(start, w).map { value == 1 ? $0 + $1 : $0 + value * $1 }
      for wide in [false, true] {
        var a = start
        w.withUnsafeBufferPointer { w in
          a.withUnsafeMutableBufferPointer { a in
            if wide {
              addScaled(value, w.baseAddress!, to: a.baseAddress!, count: count, vector: SIMD16<Float>.self)
            } else {
              addScaled(value, w.baseAddress!, to: a.baseAddress!, count: count, vector: SIMD8<Float>.self)
            }
          }
        }
        #expect(a.map(\.bitPattern) == expected.map(\.bitPattern), "count \(count), \(wide ? 16 : 8) lanes")
      }
    }
  }
}
