import NeuralNetworks
import Testing

@Suite struct GradientTests {
  /// Relative error allowed between backward and central differences (Float forward, h = 0.01).
  static let tolerance = 1e-2

  func expectGradients(_ layer: any Layer, input: Tensor, step: Float = 1e-2, tolerance: Double = Self.tolerance,
                       sourceLocation: SourceLocation = #_sourceLocation) {
    let result = gradientCheck(layer, input: input, step: step)
    #expect(result.error < tolerance, "relative error \(result.error)", sourceLocation: sourceLocation)
    #expect(result.norm > 1e-3, "vacuous check: a gradient is zero", sourceLocation: sourceLocation)
  }

  @Test func linear() {
    var generator = TestGenerator(seed: 10)
    let layer = Linear(inputs: 7, outputs: 5, using: &generator)
    layer.bias.value = generator.tensor([5])
    expectGradients(layer, input: generator.tensor([3, 7]))
  }

  @Test(arguments: [(1, 0), (2, 1), (3, 2)])
  func conv2D(stride: Int, padding: Int) {
    var generator = TestGenerator(seed: 11)
    let layer = Conv2D(inChannels: 2, outChannels: 3, kernel: 3, stride: stride, padding: padding, using: &generator)
    layer.bias.value = generator.tensor([3])
    expectGradients(layer, input: generator.tensor([2, 2, 7, 6]))
  }

  @Test func relu() {
    var generator = TestGenerator(seed: 12)
    expectGradients(ReLU(), input: generator.signedTensor([4, 9], magnitude: 0.1...1))
    // Exact values across the eight-lane body and the scalar tail; zero passes no gradient.
    let layer = ReLU()
    let x: [Float] = [-2, 3, 0, -0.5, 1e-30, -1e-30, 7, -7, 0.25, -1, 4]
    let y = layer.forward(Tensor(shape: [1, 11], scalars: x), threads: 1)
    #expect(y.scalars == x.map { max($0, 0) })
    let dx = layer.backward(Tensor(shape: [1, 11], scalars: (1...11).map(Float.init)), inputGradient: true, threads: 1)!
    #expect(dx.scalars == [0, 2, 0, 0, 5, 0, 7, 0, 9, 0, 11])
  }

  @Test func flatten() {
    var generator = TestGenerator(seed: 13)
    expectGradients(Flatten(), input: generator.tensor([2, 3, 2, 2]))
  }

  @Test(arguments: [(2, 2), (3, 2)])
  func maxPool(kernel: Int, stride: Int) {
    var generator = TestGenerator(seed: 14)
    // Distinct values 0.1 apart, shuffled, so no window has a near-tie within the probe step.
    var values = (0..<(2 * 2 * 7 * 7)).map { Float($0) * 0.1 }
    values.shuffle(using: &generator)
    expectGradients(MaxPool2D(kernel: kernel, stride: stride), input: Tensor(shape: [2, 2, 7, 7], scalars: values))
  }

  @Test func wholeNetwork() {
    var generator = TestGenerator(seed: 15)
    let network = Sequential([
      Conv2D(inChannels: 2, outChannels: 4, kernel: 3, padding: 1, using: &generator), ReLU(),
      MaxPool2D(kernel: 2), Flatten(),
      Linear(inputs: 4 * 3 * 3, outputs: 6, using: &generator), ReLU(),
      Linear(inputs: 6, outputs: 3, initialization: .xavier, using: &generator),
    ])
    expectGradients(NetworkLayer(network), input: generator.tensor([2, 2, 6, 6]))
  }

  @Test func firstLayerSkipsItsInputGradient() {
    var generator = TestGenerator(seed: 16)
    let network = Sequential([Linear(inputs: 3, outputs: 2, using: &generator)])
    let output = network.forward(generator.tensor([2, 3]))
    #expect(network.backward(output) == nil)
    #expect(network.parameters[0].gradient.scalars.contains { $0 != 0 })
  }

  /// Central differences of a loss's value against its returned gradient.
  func expectLossGradient(_ loss: (Tensor, Tensor) -> (value: Float, gradient: Tensor), prediction: Tensor,
                          target: Tensor, sourceLocation: SourceLocation = #_sourceLocation) {
    let gradient = loss(prediction, target).gradient
    let h: Float = 1e-2
    var numeric: [Double] = []
    for index in 0..<prediction.count {
      var plus = prediction, minus = prediction
      plus[index] += h
      minus[index] -= h
      numeric.append((Double(loss(plus, target).value) - Double(loss(minus, target).value)) / Double(2 * h))
    }
    let result = relativeError(gradient.scalars.map(Double.init), numeric)
    #expect(result.error < Self.tolerance, "relative error \(result.error)", sourceLocation: sourceLocation)
  }

  @Test func meanSquaredError() {
    var generator = TestGenerator(seed: 17)
    let prediction = generator.tensor([4, 3]), target = generator.tensor([4, 3])
    expectLossGradient(Loss.meanSquaredError, prediction: prediction, target: target)
    let value = Loss.meanSquaredError(Tensor(shape: [2], scalars: [1, 2]), Tensor(shape: [2], scalars: [0, 4])).value
    #expect(value == 2.5)
  }

  @Test func huberInBothRegimes() {
    var generator = TestGenerator(seed: 18)
    // Differences of magnitude 0.2–0.8 (quadratic part) and 1.2–3 (linear part), away from the kink at 1.
    let small = generator.signedTensor([6], magnitude: 0.2...0.8), large = generator.signedTensor([6], magnitude: 1.2...3)
    let difference = Tensor(shape: [12], scalars: small.scalars + large.scalars)
    let target = generator.tensor([12])
    let prediction = Tensor(shape: [12], scalars: zip(target.scalars, difference.scalars).map { $0 + $1 })
    expectLossGradient({ Loss.huber($0, $1) }, prediction: prediction, target: target)
    let value = Loss.huber(Tensor(shape: [2], scalars: [0.5, 3]), Tensor(shape: [2], scalars: [0, 0])).value
    #expect(abs(value - (0.125 + 2.5) / 2) < 1e-6)
    let scaled = Loss.huber(Tensor(shape: [1], scalars: [3]), Tensor(shape: [1], scalars: [0]), delta: 2)
    #expect(abs(scaled.value - 4) < 1e-6 && scaled.gradient[0] == 2)
  }
}
