#if arch(x86_64) && !DEBUG
import _Builtin_intrinsics.intel
#endif

/// Adam's element-wise update on `16 · groupsOfSixteen` parameters in 512-bit registers: the same operations in the
/// same order as `NeuralNetworks`' portable loop and the AVX2 copy (no fused multiply-adds), so the same results,
/// with half the AVX2 copy's divisions and square roots issued. `m ← β₁m + (1 − β₁)g`,
/// `v ← β₂v + (1 − β₂)g·g`, `p ← p − stepSize·m / (√v / root2 + ε)`.
public func avx512AdamUpdate(groupsOfSixteen: Int, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                             v: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>, beta1 b1: Float,
                             beta2 b2: Float, stepSize: Float, root2: Float, epsilon eps: Float) {
  #if arch(x86_64) && !DEBUG
  typealias V = SIMD16<Float>
  for i in stride(from: 0, to: 16 * groupsOfSixteen, by: 16) {
    let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
    let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + (1 - b1) * gi
    let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + (1 - b2) * gi * gi
    let root = unsafeBitCast(_mm512_sqrt_ps(unsafeBitCast(vi, to: __m512.self)), to: V.self)
    let pi = UnsafeRawPointer(p + i).loadUnaligned(as: V.self) - stepSize * mi / (root / root2 + eps)
    UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
    UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
    UnsafeMutableRawPointer(p + i).storeBytes(of: pi, as: V.self)
  }
  #else
  fatalError("avx512AdamUpdate runs only in release builds on x86-64 (check the CPU first)")
  #endif
}
