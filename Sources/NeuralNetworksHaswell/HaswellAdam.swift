#if arch(x86_64) && !DEBUG
import _Builtin_intrinsics.intel
#endif

/// Adam's element-wise update on `8 · groupsOfEight` parameters in 256-bit registers: the same operations in the
/// same order as `NeuralNetworks`' SSE loop (no fused multiply-adds), so the same results, with half the divisions
/// and square roots issued (they bound the update: two divisions and a root per parameter). That loop also does
/// the remaining parameters. `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g·g`, `p ← p − stepSize·m / (√v / root2 + ε)`.
public func haswellAdamUpdate(groupsOfEight: Int, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                              v: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>, beta1 b1: Float,
                              beta2 b2: Float, stepSize: Float, root2: Float, epsilon eps: Float) {
  #if arch(x86_64) && !DEBUG
  for i in stride(from: 0, to: 8 * groupsOfEight, by: 8) {
    let gi = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
    let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: SIMD8<Float>.self) + (1 - b1) * gi
    let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: SIMD8<Float>.self) + (1 - b2) * gi * gi
    let root = unsafeBitCast(_mm256_sqrt_ps(unsafeBitCast(vi, to: __m256.self)), to: SIMD8<Float>.self)
    let pi = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self) - stepSize * mi / (root / root2 + eps)
    UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(p + i).storeBytes(of: pi, as: SIMD8<Float>.self)
  }
  #else
  fatalError("haswellAdamUpdate runs only in release builds on x86-64 (check the CPU first)")
  #endif
}
