// The matrix kernel compiled for AVX2 and FMA (`-target-cpu haswell` in release builds on x86-64 hosts), so a
// default build can run it when the CPU has those instructions. Only `NeuralNetworks` calls it, and only after
// checking the CPU: on an older x86-64 it would stop with SIGILL.

/// `tile[r][j] = Σ_p a[p][r] · b[p][j]` for a 4 × 16 block over `length` depth steps, `a` packed 4 per step and
/// `b` 16 per step: eight 8-lane accumulators, one fused multiply-add each per step.
public func haswellMicroKernel(_ length: Int, _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>,
                               _ tile: UnsafeMutablePointer<Float>) {
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
  let out = UnsafeMutableRawPointer(tile)
  out.storeBytes(of: c00, toByteOffset: 0, as: SIMD8<Float>.self)
  out.storeBytes(of: c01, toByteOffset: 32, as: SIMD8<Float>.self)
  out.storeBytes(of: c10, toByteOffset: 64, as: SIMD8<Float>.self)
  out.storeBytes(of: c11, toByteOffset: 96, as: SIMD8<Float>.self)
  out.storeBytes(of: c20, toByteOffset: 128, as: SIMD8<Float>.self)
  out.storeBytes(of: c21, toByteOffset: 160, as: SIMD8<Float>.self)
  out.storeBytes(of: c30, toByteOffset: 192, as: SIMD8<Float>.self)
  out.storeBytes(of: c31, toByteOffset: 224, as: SIMD8<Float>.self)
}
