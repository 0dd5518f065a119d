// The matrix kernel compiled for AVX2 and FMA (`-target-cpu haswell` in release builds on x86-64 hosts), so a
// default build can run it when the CPU has those instructions. Only `NeuralNetworks` calls it, and only after
// checking the CPU: on an older x86-64 it would stop with SIGILL.

/// `c[r][j] = Σ_p a[p][r] · b[p][j]` (plus the old `c[r][j]` when `accumulate`) for a 4 × 16 block over `length`
/// depth steps, `a` packed 4 per step and `b` 16 per step, the rows of `c` `rowStride` floats apart: eight 8-lane
/// accumulators, one fused multiply-add each per step.
public func haswellMicroKernel(_ length: Int, _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>,
                               _ c: UnsafeMutablePointer<Float>, rowStride: Int, accumulate: Bool) {
  var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
  var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
  var pa = UnsafeRawPointer(a), pb = UnsafeRawPointer(b)
  for _ in 0..<length {
    let b0 = pb.loadUnaligned(as: SIMD8<Float>.self)
    let b1 = pb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
    let a0 = SIMD8<Float>(repeating: pa.load(as: Float.self))
    let a1 = SIMD8<Float>(repeating: pa.load(fromByteOffset: 4, as: Float.self))
    let a2 = SIMD8<Float>(repeating: pa.load(fromByteOffset: 8, as: Float.self))
    let a3 = SIMD8<Float>(repeating: pa.load(fromByteOffset: 12, as: Float.self))
    c00 = c00.addingProduct(a0, b0); c01 = c01.addingProduct(a0, b1)
    c10 = c10.addingProduct(a1, b0); c11 = c11.addingProduct(a1, b1)
    c20 = c20.addingProduct(a2, b0); c21 = c21.addingProduct(a2, b1)
    c30 = c30.addingProduct(a3, b0); c31 = c31.addingProduct(a3, b1)
    pa += 16; pb += 64
  }
  @inline(__always) func write(_ low: SIMD8<Float>, _ high: SIMD8<Float>, row: Int) {
    let out = UnsafeMutableRawPointer(c + row * rowStride)
    if accumulate {
      out.storeBytes(of: out.loadUnaligned(as: SIMD8<Float>.self) + low, as: SIMD8<Float>.self)
      out.storeBytes(of: out.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self) + high, toByteOffset: 32, as: SIMD8<Float>.self)
    } else {
      out.storeBytes(of: low, as: SIMD8<Float>.self)
      out.storeBytes(of: high, toByteOffset: 32, as: SIMD8<Float>.self)
    }
  }
  write(c00, c01, row: 0)
  write(c10, c11, row: 1)
  write(c20, c21, row: 2)
  write(c30, c31, row: 3)
}
