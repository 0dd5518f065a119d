import NeuralNetworks
import Testing

/// One full-batch update; returns the loss before it.
@discardableResult
func trainStep(_ network: Sequential, _ optimizer: inout some Optimizer, input: Tensor, target: Tensor) -> Float {
  let (value, gradient) = Loss.meanSquaredError(network.forward(input), target)
  network.zeroGradients()
  network.backward(gradient)
  optimizer.step(network.parameters)
  return value
}

func multilayerPerceptron(_ sizes: [Int], seed: UInt64, threads: Int = 1) -> Sequential {
  var generator = TestGenerator(seed: seed)
  var layers: [any Layer] = []
  for (index, (inputs, outputs)) in zip(sizes, sizes.dropFirst()).enumerated() {
    layers.append(Linear(inputs: inputs, outputs: outputs, using: &generator))
    if index < sizes.count - 2 { layers.append(ReLU()) }
  }
  return Sequential(layers, threads: threads)
}

@Suite struct TrainingTests {
  @Test func fitsXOR() {
    let network = multilayerPerceptron([2, 16, 1], seed: 3)
    let input = Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
    let target = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
    var adam = Adam(learningRate: 0.03)
    for _ in 0..<400 { trainStep(network, &adam, input: input, target: target) }
    let loss = Loss.meanSquaredError(network.forward(input), target).value
    #expect(loss < 0.01, "XOR loss \(loss)")
  }

  @Test func fitsAOneDimensionalRegression() {
    let network = multilayerPerceptron([1, 24, 24, 1], seed: 4)
    let xs = (0..<32).map { -1 + 2 * Float($0) / 31 }
    let input = Tensor(shape: [32, 1], scalars: xs)
    let target = Tensor(shape: [32, 1], scalars: xs.map { x in x * x * x - 0.5 * x + 0.25 * abs(x) })
    var rmsProp = RMSProp(learningRate: 2e-3)
    let initial = Loss.meanSquaredError(network.forward(input), target).value
    for _ in 0..<1500 { trainStep(network, &rmsProp, input: input, target: target) }
    let loss = Loss.meanSquaredError(network.forward(input), target).value
    #expect(loss < 2e-3 && loss < initial / 20, "regression loss \(initial) → \(loss)")
  }

  @Test func trainingIsIdenticalForAnyThreadCount() {
    var generator = TestGenerator(seed: 5)
    // Batch 64 and width 128 put the hidden products (64 × 128 × 128) above the GEMM's parallel threshold.
    let input = generator.tensor([64, 48]), target = generator.tensor([64, 4])
    var results: [[UInt32]] = []
    for threads in [1, 2, 3] {
      var generator = TestGenerator(seed: 6)
      let network = Sequential([
        Linear(inputs: 48, outputs: 128, using: &generator), ReLU(),
        Linear(inputs: 128, outputs: 128, using: &generator), ReLU(),
        Linear(inputs: 128, outputs: 4, using: &generator),
      ], threads: threads)
      var adam = Adam(learningRate: 1e-3)
      for _ in 0..<5 { trainStep(network, &adam, input: input, target: target) }
      results.append(network.parameters.flatMap { $0.value.scalars.map(\.bitPattern) })
    }
    #expect(results[1] == results[0])
    #expect(results[2] == results[0])
  }

  @Test func adamFollowsPyTorchsFormula() {
    let parameter = Parameter(Tensor(shape: [1], scalars: [1]))
    var adam = Adam(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    var m = 0.0, v = 0.0, p = 1.0
    for (t, g) in [0.5, -0.2, 0.3].enumerated() {
      parameter.gradient = Tensor(shape: [1], scalars: [Float(g)])
      adam.step([parameter])
      m = 0.9 * m + 0.1 * g
      v = 0.999 * v + 0.001 * g * g
      let step = Double(t + 1)
      let mHat = m / (1 - 0.9.power(step)), vHat = v / (1 - 0.999.power(step))
      p -= 0.1 * mHat / (vHat.squareRoot() + 1e-8)
    }
    #expect(abs(Double(parameter.value[0]) - p) < 1e-6, "\(parameter.value[0]) vs \(p)")
    #expect(adam.steps == 3)
  }

  @Test func rmsPropFollowsPyTorchsFormula() {
    let parameter = Parameter(Tensor(shape: [1], scalars: [1]))
    var rmsProp = RMSProp(learningRate: 0.01, alpha: 0.99, epsilon: 1e-8)
    var v = 0.0, p = 1.0
    for g in [0.5, -0.2, 0.3] {
      parameter.gradient = Tensor(shape: [1], scalars: [Float(g)])
      rmsProp.step([parameter])
      v = 0.99 * v + 0.01 * g * g
      p -= 0.01 * g / (v.squareRoot() + 1e-8)
    }
    #expect(abs(Double(parameter.value[0]) - p) < 1e-6, "\(parameter.value[0]) vs \(p)")
  }

  @Test func clippingScalesTheGlobalNorm() {
    let a = Parameter(Tensor(shape: [1], scalars: [0])), b = Parameter(Tensor(shape: [1], scalars: [0]))
    a.gradient = Tensor(shape: [1], scalars: [3])
    b.gradient = Tensor(shape: [1], scalars: [4])
    #expect(clipGradientNorm([a, b], maxNorm: 10) == 5)
    #expect(a.gradient[0] == 3)
    #expect(clipGradientNorm([a, b], maxNorm: 1) == 5)
    #expect(abs(a.gradient[0] - 0.6) < 1e-6 && abs(b.gradient[0] - 0.8) < 1e-6)
  }

  @Test func copyParametersSyncsATargetNetwork() {
    let online = multilayerPerceptron([3, 5, 2], seed: 8), target = multilayerPerceptron([3, 5, 2], seed: 9)
    #expect(online.parameters[0].value != target.parameters[0].value)
    target.copyParameters(from: online)
    #expect(online.parameters.map(\.value) == target.parameters.map(\.value))
  }

  @Test func initialisationIsSeededAndBounded() {
    var first = TestGenerator(seed: 1), second = TestGenerator(seed: 1)
    let a = Linear(inputs: 50, outputs: 20, using: &first), b = Linear(inputs: 50, outputs: 20, using: &second)
    #expect(a.weight.value == b.weight.value)
    let bound = (6 / Float(50)).squareRoot()
    #expect(a.weight.value.scalars.allSatisfy { abs($0) <= bound })
    #expect(a.weight.value.scalars.max()! > bound * 0.9)
    #expect(a.bias.value.scalars.allSatisfy { $0 == 0 })
  }
}

extension Double {
  /// `self` raised to a whole power.
  func power(_ exponent: Double) -> Double { (0..<Int(exponent)).reduce(1) { r, _ in r * self } }
}
