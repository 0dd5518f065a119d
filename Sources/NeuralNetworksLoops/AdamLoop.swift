/// Adam's element-wise update over the whole `V`s of the first `count` parameters, returning how many it did:
/// `m ← β₁m + (1 − β₁)g`, `v ← β₂v + (1 − β₂)g·g`, `p ← p − stepSize·m / (√v / root2 + ε)`, with `squareRoot` the
/// CPU's lane-wise root instruction (Swift's own `squareRoot()` on vectors calls libm once per lane on Linux).
@inlinable @inline(__always)
public func adamLanes<V: SIMD>(count: Int, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                               v: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>, beta1 b1: Float,
                               beta2 b2: Float, stepSize: Float, root2: Float, epsilon eps: Float, vector: V.Type,
                               squareRoot: (V) -> V) -> Int where V.Scalar == Float {
  let lanes = V.scalarCount, end = count - count % lanes
  for i in stride(from: 0, to: end, by: lanes) {
    let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
    let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + (1 - b1) * gi
    let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + (1 - b2) * gi * gi
    let pi = UnsafeRawPointer(p + i).loadUnaligned(as: V.self) - stepSize * mi / (squareRoot(vi) / root2 + eps)
    UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
    UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
    UnsafeMutableRawPointer(p + i).storeBytes(of: pi, as: V.self)
  }
  return end
}
