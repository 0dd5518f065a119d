import NeuralNetworks

/// A seeded generator for the tests (SplitMix64; the test target does not see EnvironmentCore's).
struct TestGenerator: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in `range`.
  mutating func float(in range: ClosedRange<Float>) -> Float {
    range.lowerBound + (range.upperBound - range.lowerBound) * Float(next() >> 40) * 0x1p-24
  }

  /// A tensor of `shape` with values uniform in `range`.
  mutating func tensor(_ shape: [Int], in range: ClosedRange<Float> = -1...1) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in float(in: range) })
  }

  /// A tensor whose values have magnitude in `magnitude` and a random sign (away from ReLU's kink).
  mutating func signedTensor(_ shape: [Int], magnitude: ClosedRange<Float>) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in
      float(in: magnitude) * (next() & 1 == 0 ? 1 : -1)
    })
  }
}

/// Σ aᵢbᵢ in Double.
func dot(_ a: Tensor, _ b: Tensor) -> Double {
  zip(a.scalars, b.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

/// ‖ana − num‖ / max(‖ana‖, ‖num‖), and ‖ana‖ (so a vacuous all-zero comparison can be rejected).
func relativeError(_ analytic: [Double], _ numeric: [Double]) -> (error: Double, norm: Double) {
  let difference = zip(analytic, numeric).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
  let a = analytic.reduce(0) { $0 + $1 * $1 }.squareRoot(), n = numeric.reduce(0) { $0 + $1 * $1 }.squareRoot()
  return (difference / max(a, n, 1e-12), a)
}

/// Checks `layer`'s input and parameter gradients against central differences of L = Σ output · R for a
/// random R. Returns the worst relative error and the smallest analytic gradient norm over all checks.
///
/// A probe whose one-sided differences disagree (the step crossed a ReLU kink or a max-pool tie) is left
/// out; at most a tenth of the probes may be left out, or the check fails.
func gradientCheck(_ layer: any Layer, input: Tensor, step h: Float = 1e-2, maxProbes: Int = 150,
                   seed: UInt64 = 7) -> (error: Double, norm: Double) {
  var generator = TestGenerator(seed: seed)
  let weights = generator.tensor(layer.forward(input).shape)
  for parameter in layer.parameters { parameter.zeroGradient() }
  _ = layer.forward(input)
  let inputGradient = layer.backward(weights)
  let objective = { (x: Tensor) in dot(layer.forward(x), weights) }

  func probes(_ count: Int) -> [Int] {
    count <= maxProbes ? Array(0..<count) : (0..<maxProbes).map { _ in Int(generator.next() % UInt64(count)) }
  }
  var worst = 0.0, smallest = Double.infinity
  func record(_ result: (error: Double, norm: Double)) {
    worst = max(worst, result.error)
    smallest = min(smallest, result.norm)
  }

  let center = objective(input)
  var skipped = 0, probed = 0
  var analytic: [Double] = [], numeric: [Double] = []
  /// Appends the central difference unless the one-sided ones disagree.
  func add(_ gradient: Float, plus: Double, minus: Double) {
    probed += 1
    let right = (plus - center) / Double(h), left = (center - minus) / Double(h)
    if abs(right - left) > 0.05 * max(abs(right), abs(left), 0.05) { skipped += 1; return }
    analytic.append(Double(gradient))
    numeric.append((plus - minus) / Double(2 * h))
  }
  for index in probes(input.count) {
    var plus = input, minus = input
    plus[index] += h
    minus[index] -= h
    add(inputGradient[index], plus: objective(plus), minus: objective(minus))
  }
  record(relativeError(analytic, numeric))

  for parameter in layer.parameters {
    let gradient = parameter.gradient, original = parameter.value
    analytic = []
    numeric = []
    for index in probes(original.count) {
      parameter.value[index] = original[index] + h
      let plus = objective(input)
      parameter.value[index] = original[index] - h
      let minus = objective(input)
      parameter.value = original
      add(gradient[index], plus: plus, minus: minus)
    }
    record(relativeError(analytic, numeric))
  }
  if skipped * 10 > probed { worst = .infinity }
  return (worst, smallest)
}

/// A `Layer` view of a whole network, so `gradientCheck` can test it end to end.
final class NetworkLayer: Layer {
  let network: Sequential
  init(_ network: Sequential) { self.network = network }
  var parameters: [Parameter] { network.parameters }
  func forward(_ input: Tensor, threads: Int) -> Tensor { network.forward(input) }
  func backward(_ outputGradient: Tensor, inputGradient: Bool, threads: Int) -> Tensor? {
    network.backward(outputGradient, inputGradient: inputGradient)
  }
}
