#if arch(x86_64) && !DEBUG
import _Builtin_intrinsics.intel
#endif
import NeuralNetworksLoops

/// Adam's element-wise update (``adamLanes(count:g:m:v:p:beta1:beta2:stepSize:root2:epsilon:vector:squareRoot:)``)
/// on `8 · groupsOfEight` parameters in 256-bit registers: the same results as `NeuralNetworks`' SSE loop, with half
/// the divisions and square roots issued (they bound the update: two divisions and a root per parameter).
public func haswellAdamUpdate(groupsOfEight: Int, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                              v: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>, beta1: Float,
                              beta2: Float, stepSize: Float, root2: Float, epsilon: Float) {
  #if arch(x86_64) && !DEBUG
  _ = adamLanes(count: 8 * groupsOfEight, g: g, m: m, v: v, p: p, beta1: beta1, beta2: beta2, stepSize: stepSize,
                root2: root2, epsilon: epsilon, vector: SIMD8<Float>.self) {
    unsafeBitCast(_mm256_sqrt_ps(unsafeBitCast($0, to: __m256.self)), to: SIMD8<Float>.self)
  }
  #else
  fatalError("haswellAdamUpdate runs only in release builds on x86-64 (check the CPU first)")
  #endif
}

/// One sample's scattered convolution pass (``scatter(_:vector:)``) in 256-bit registers.
public func haswellScatter(_ pass: ScatterPass) {
  scatter(pass, vector: SIMD8<Float>.self)
}
