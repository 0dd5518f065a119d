#if arch(x86_64) && !DEBUG
import _Builtin_intrinsics.intel
#endif
import NeuralNetworksLoops

/// Adam's element-wise update (``adamLanes(count:g:m:v:p:beta1:beta2:stepSize:root2:epsilon:vector:squareRoot:)``)
/// on `16 · groupsOfSixteen` parameters in 512-bit registers: the same results as the SSE and AVX2 loops, with half
/// the AVX2 copy's divisions and square roots issued.
public func avx512AdamUpdate(groupsOfSixteen: Int, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                             v: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>, beta1: Float,
                             beta2: Float, stepSize: Float, root2: Float, epsilon: Float) {
  #if arch(x86_64) && !DEBUG
  _ = adamLanes(count: 16 * groupsOfSixteen, g: g, m: m, v: v, p: p, beta1: beta1, beta2: beta2, stepSize: stepSize,
                root2: root2, epsilon: epsilon, vector: SIMD16<Float>.self) {
    unsafeBitCast(_mm512_sqrt_ps(unsafeBitCast($0, to: __m512.self)), to: SIMD16<Float>.self)
  }
  #else
  fatalError("avx512AdamUpdate runs only in release builds on x86-64 (check the CPU first)")
  #endif
}

/// One sample's scattered convolution pass (``scatter(_:vector:)``) in 512-bit registers.
public func avx512Scatter(_ pass: ScatterPass) {
  scatter(pass, vector: SIMD16<Float>.self)
}
