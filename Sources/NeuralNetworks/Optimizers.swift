#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif
import NeuralNetworksAVX512
import NeuralNetworksHaswell
import NeuralNetworksLoops

/// An update rule that moves parameters against their gradients.
public protocol Optimizer {
  /// Applies one update to `parameters` (always the same list, in the same order) from their gradients.
  mutating func step(_ parameters: [Parameter])
}

/// Adam with PyTorch's formulas (`torch.optim.Adam`, no weight decay, no AMSGrad):
///
///     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
///     θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
///
/// ε is added *outside* the square root and *after* bias correction, as PyTorch does (TensorFlow puts it
/// before bias correction, which changes early steps when ε is large).
public struct Adam: Optimizer, Sendable {
  /// The step size (lr).
  public var learningRate: Float
  /// Decay of the first moment (β₁).
  public var beta1: Float
  /// Decay of the second moment (β₂).
  public var beta2: Float
  /// Added to the denominator (ε).
  public var epsilon: Float
  /// Updates applied so far (t).
  public var steps = 0
  /// First moments, one per parameter (empty until the first step).
  public var firstMoments: [Tensor] = []
  /// Second moments, one per parameter (empty until the first step).
  public var secondMoments: [Tensor] = []

  /// Adam with PyTorch's defaults.
  public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  public mutating func step(_ parameters: [Parameter]) {
    if firstMoments.isEmpty {
      firstMoments = parameters.map { Tensor(shape: $0.value.shape) }
      secondMoments = firstMoments
    }
    precondition(firstMoments.map(\.shape) == parameters.map(\.value.shape), "Adam: parameter list changed")
    steps += 1
    let correction1 = Float(1 - power(Double(beta1), steps)), correction2 = Float(1 - power(Double(beta2), steps))
    let stepSize = learningRate / correction1, root2 = correction2.squareRoot()
    let b1 = beta1, b2 = beta2, eps = epsilon
    for (index, parameter) in parameters.enumerated() {
      let n = parameter.value.count
      parameter.gradient.withUnsafePointer { g in
        firstMoments[index].withUnsafeMutablePointer { m in
          secondMoments[index].withUnsafeMutablePointer { v in
            parameter.value.withUnsafeMutablePointer { p in
              adamUpdate(count: n, g: g, m: m, v: v, p: p, beta1: b1, beta2: b2, stepSize: stepSize, root2: root2, epsilon: eps)
            }
          }
        }
      }
    }
  }
}

/// Whether the Adam update this binary runs (``avx512AdamUpdate`` and ``haswellAdamUpdate`` on AVX-512 CPUs,
/// ``haswellAdamUpdate`` on AVX2 CPUs, in release builds) gives the
/// portable loop's results bit for bit, over a few steps on 1,003 pseudo-random parameters (trivially true where
/// the portable loop is the one that runs). `arcade bench nn gemm` checks it in release builds, which the tests,
/// a debug build, never are.
public func adamKernelMatchesPortableLoop() -> Bool {
  let n = 1_003
  var state: UInt32 = 12_345
  func next() -> Float {
    state = state &* 1_664_525 &+ 1_013_904_223
    return Float(state >> 8) / Float(1 << 24) * 2 - 1
  }
  let g = (0..<(3 * n)).map { _ in next() * 0.01 }, zeros = [Float](repeating: 0, count: n)
  // (m, v, p) of each copy.
  var portable = [zeros, zeros, (0..<n).map { _ in next() }], dispatched = portable
  for step in 1...3 {
    let stepSize: Float = 1e-3 / Float(1 - power(0.9, step))
    let root2 = Float(1 - power(0.999, step)).squareRoot()
    g.withUnsafeBufferPointer { gradients in
      let g = gradients.baseAddress! + (step - 1) * n
      for (index, state) in [(0, portable), (1, dispatched)] {
        var (m, v, p) = (state[0], state[1], state[2])
        m.withUnsafeMutableBufferPointer { m in v.withUnsafeMutableBufferPointer { v in p.withUnsafeMutableBufferPointer { p in
          adamUpdate(count: n, g: g, m: m.baseAddress!, v: v.baseAddress!, p: p.baseAddress!, beta1: 0.9, beta2: 0.999,
                     stepSize: stepSize, root2: root2, epsilon: 1e-8, kernel: index == 1 ? .best : .sse)
        }}}
        if index == 0 { portable = [m, v, p] } else { dispatched = [m, v, p] }
      }
    }
  }
  return zip(portable.joined(), dispatched.joined()).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// Adam's element-wise update, eight lanes at a time (``adamLanes(count:g:m:v:p:beta1:beta2:stepSize:root2:epsilon:vector:squareRoot:)``,
/// the same arithmetic per element as the scalar tail). On
/// CPUs whose products run the AVX2 or AVX-512 kernel (`kernel`, in release builds) the copies compiled for them
/// take the whole groups of sixteen (``avx512AdamUpdate``) and of eight (``haswellAdamUpdate``).
private func adamUpdate(count n: Int, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                        v: UnsafeMutablePointer<Float>, p: UnsafeMutablePointer<Float>, beta1 b1: Float, beta2 b2: Float,
                        stepSize: Float, root2: Float, epsilon eps: Float, kernel: MatrixKernel = .best) {
  var i = 0
  if kernel == .avx512 {
    avx512AdamUpdate(groupsOfSixteen: n / 16, g: g, m: m, v: v, p: p, beta1: b1, beta2: b2, stepSize: stepSize,
                     root2: root2, epsilon: eps)
    i = n / 16 * 16
  }
  if kernel != .sse {
    haswellAdamUpdate(groupsOfEight: (n - i) / 8, g: g + i, m: m + i, v: v + i, p: p + i, beta1: b1, beta2: b2,
                      stepSize: stepSize, root2: root2, epsilon: eps)
    i += (n - i) / 8 * 8
  }
  i += adamLanes(count: n - i, g: g + i, m: m + i, v: v + i, p: p + i, beta1: b1, beta2: b2, stepSize: stepSize,
                 root2: root2, epsilon: eps, vector: SIMD8<Float>.self, squareRoot: packedSquareRoot)
  while i < n {
    m[i] = b1 * m[i] + (1 - b1) * g[i]
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
    p[i] = p[i] - stepSize * m[i] / (v[i].squareRoot() / root2 + eps)
    i += 1
  }
}

/// Lane-wise square root (IEEE-exact, like `Float.squareRoot()`). On Linux both `SIMD8.squareRoot()` and
/// a `Float.squareRoot()` loop go through libm's `sqrtf` lane by lane; the SSE instruction does four at once
/// (measured: Adam fell from 17% of a DQN training step).
@inline(__always)
func packedSquareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
  #if arch(x86_64)
  let low = unsafeBitCast(_mm_sqrt_ps(unsafeBitCast(x.lowHalf, to: __m128.self)), to: SIMD4<Float>.self)
  let high = unsafeBitCast(_mm_sqrt_ps(unsafeBitCast(x.highHalf, to: __m128.self)), to: SIMD4<Float>.self)
  return SIMD8(lowHalf: low, highHalf: high)
  #else
  return x.squareRoot()
  #endif
}

/// RMSProp with PyTorch's formulas (`torch.optim.RMSprop`, not centred, no momentum):
///
///     v ← αv + (1 − α)g²,   θ ← θ − lr · g / (√v + ε)
///
/// ε is added *outside* the square root (TensorFlow and the Nature DQN paper add it inside, to v).
public struct RMSProp: Optimizer, Sendable {
  /// The step size (lr).
  public var learningRate: Float
  /// Decay of the squared-gradient average (α).
  public var alpha: Float
  /// Added to the denominator (ε).
  public var epsilon: Float
  /// Running averages of squared gradients, one per parameter (empty until the first step).
  public var squareAverages: [Tensor] = []

  /// RMSProp with PyTorch's defaults.
  public init(learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8) {
    self.learningRate = learningRate
    self.alpha = alpha
    self.epsilon = epsilon
  }

  public mutating func step(_ parameters: [Parameter]) {
    if squareAverages.isEmpty { squareAverages = parameters.map { Tensor(shape: $0.value.shape) } }
    precondition(squareAverages.map(\.shape) == parameters.map(\.value.shape), "RMSProp: parameter list changed")
    let lr = learningRate, a = alpha, eps = epsilon
    for (index, parameter) in parameters.enumerated() {
      let n = parameter.value.count
      parameter.gradient.withUnsafePointer { g in
        squareAverages[index].withUnsafeMutablePointer { v in
          parameter.value.withUnsafeMutablePointer { p in
            for i in 0..<n {
              v[i] = a * v[i] + (1 - a) * g[i] * g[i]
              p[i] -= lr * g[i] / (v[i].squareRoot() + eps)
            }
          }
        }
      }
    }
  }
}

/// Scales all gradients together so their global L2 norm is at most `maxNorm` (PyTorch's
/// `clip_grad_norm_`: factor `maxNorm / (norm + 1e-6)` when the norm exceeds `maxNorm`).
/// Returns the norm before clipping; the sum of squares is taken in `Double`, in a fixed order.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
  precondition(maxNorm > 0, "maxNorm must be positive")
  var sum = 0.0
  for parameter in parameters {
    let n = parameter.gradient.count
    parameter.gradient.withUnsafePointer { g in sum += sumOfSquares(g, count: n) }
  }
  let norm = Float(sum.squareRoot())
  if norm > maxNorm {
    let factor = maxNorm / (norm + 1e-6)
    for parameter in parameters {
      let n = parameter.gradient.count
      parameter.gradient.withUnsafeMutablePointer { g in
        for i in 0..<n { g[i] *= factor }
      }
    }
  }
  return norm
}

/// Σ gᵢ² in `Double`, over eight running lanes summed at the end (a fixed order: the same bits every run).
private func sumOfSquares(_ g: UnsafePointer<Float>, count n: Int) -> Double {
  var lanes = SIMD8<Double>(repeating: 0)
  var i = 0
  while i + 8 <= n {
    let x = SIMD8<Double>(UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self))
    lanes += x * x
    i += 8
  }
  var sum = lanes.sum()
  while i < n {
    sum += Double(g[i]) * Double(g[i])
    i += 1
  }
  return sum
}

/// `base` raised to a whole `exponent` by repeated squaring (no Foundation `pow`).
private func power(_ base: Double, _ exponent: Int) -> Double {
  var result = 1.0, factor = base, remaining = exponent
  while remaining > 0 {
    if remaining & 1 == 1 { result *= factor }
    factor *= factor
    remaining >>= 1
  }
  return result
}
