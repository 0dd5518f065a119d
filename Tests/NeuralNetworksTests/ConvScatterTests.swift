import NeuralNetworks
import Testing

/// The scatter path of Conv2D (taken for inputs at most a quarter nonzero, like 0/1 grid planes) against a
/// naive convolution, and against the dense path.
@Suite struct ConvScatterTests {
  /// `[batch, channels, height, width]` with about `density` of the scalars set to 1 (the rest 0).
  func binary(_ shape: [Int], density: Double, seed: UInt64) -> Tensor {
    var generator = TestGenerator(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in generator.float(in: 0...1) < Float(density) ? 1 : 0 })
  }

  /// Direct convolution with zero padding, in Double.
  func naive(_ layer: Conv2D, _ x: Tensor) -> [Double] {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]), k = layer.kernel
    let out = layer.outputSize(height: h, width: w)
    var y: [Double] = []
    for b in 0..<n {
      for o in 0..<layer.outChannels {
        for oy in 0..<out.height {
          for ox in 0..<out.width {
            var sum = Double(layer.bias.value[o])
            for ci in 0..<c {
              for i in 0..<k {
                for j in 0..<k {
                  let iy = oy * layer.stride - layer.padding + i, ix = ox * layer.stride - layer.padding + j
                  guard iy >= 0 && iy < h && ix >= 0 && ix < w else { continue }
                  sum += Double(layer.weight.value[((o * c + ci) * k + i) * k + j]) * Double(x[((b * c + ci) * h + iy) * w + ix])
                }
              }
            }
            y.append(sum)
          }
        }
      }
    }
    return y
  }

  @Test(arguments: [(3, 1, 0), (3, 2, 1), (4, 4, 0), (4, 4, 1), (4, 2, 0), (5, 2, 2)])
  func sparseAndDenseInputsGiveTheDirectConvolution(kernel: Int, stride: Int, padding: Int) {
    var generator = TestGenerator(seed: 40)
    let layer = Conv2D(inChannels: 3, outChannels: 5, kernel: kernel, stride: stride, padding: padding, using: &generator)
    layer.bias.value = generator.tensor([5])
    for density in [0.05, 0.6] {
      let x = binary([3, 3, 11, 9], density: density, seed: 41)
      let y = layer.forward(x)
      let reference = naive(layer, x)
      let worst = zip(y.scalars, reference).map { abs(Double($0) - $1) }.max()!
      #expect(worst < 1e-4, "density \(density): worst difference \(worst)")
    }
  }

  /// One layer fed inputs of changing spatial size (its table of scalar places is rebuilt) and sparse inputs
  /// whose values are not 1 (the path that multiplies).
  @Test func scatterFollowsTheInputShapeAndValues() {
    var generator = TestGenerator(seed: 48)
    let layer = Conv2D(inChannels: 2, outChannels: 6, kernel: 3, stride: 1, padding: 1, using: &generator)
    layer.bias.value = generator.tensor([6])
    for (shape, scale) in [([2, 2, 7, 13], Float(1)), ([3, 2, 10, 5], -2.5), ([1, 2, 7, 13], 0.5)] {
      let x = Tensor(shape: shape, scalars: binary(shape, density: 0.1, seed: 49).scalars.map { $0 * scale })
      let reference = naive(layer, x)
      let worst = zip(layer.forward(x).scalars, reference).map { abs(Double($0) - $1) }.max()!
      #expect(worst < 1e-4, "shape \(shape), values \(scale): worst difference \(worst)")
      #expect(x.scalars.contains { $0 == scale } && reference.count == shape[0] * 6 * shape[2] * shape[3])
    }
  }

  /// At stride 2 (some inputs reach no output) and at stride 1, with and without padding.
  @Test(arguments: [(2, 0), (1, 0), (1, 1)])
  func scatterWeightGradientMatchesTheDensePath(stride: Int, padding: Int) {
    var generator = TestGenerator(seed: 42)
    let sparse = Conv2D(inChannels: 2, outChannels: 4, kernel: 3, stride: stride, padding: padding, using: &generator)
    let dense = Conv2D(inChannels: 2, outChannels: 4, kernel: 3, stride: stride, padding: padding, using: &generator)
    dense.weight.value = sparse.weight.value
    let x = binary([4, 2, 9, 9], density: 0.1, seed: 43)
    let side = (9 + 2 * padding - 3) / stride + 1
    let dy = generator.tensor([4, 4, side, side])
    _ = sparse.forward(x)
    _ = sparse.backward(dy, inputGradient: false, threads: 1)
    // Dense path on the same values: an input with a tiny nonzero everywhere forces it, and changes
    // ∂/∂W by that tiny amount times Σ dy, which the tolerance absorbs.
    let filled = Tensor(shape: x.shape, scalars: x.scalars.map { $0 == 0 ? 1e-7 : $0 })
    _ = dense.forward(filled)
    _ = dense.backward(dy, inputGradient: false, threads: 1)
    let worst = zip(sparse.weight.gradient.scalars, dense.weight.gradient.scalars).map { abs($0 - $1) }.max()!
    #expect(worst < 1e-4, "worst difference \(worst)")
    #expect(sparse.weight.gradient.scalars.contains { abs($0) > 0.1 }, "vacuous: the gradient is near zero")
  }

  @Test(arguments: [(3, 1, 1), (4, 4, 0)])
  func gradientsOnBinaryInputMatchFiniteDifferences(kernel: Int, stride: Int, padding: Int) {
    var generator = TestGenerator(seed: 44)
    let layer = Conv2D(inChannels: 2, outChannels: 3, kernel: kernel, stride: stride, padding: padding, using: &generator)
    layer.bias.value = generator.tensor([3])
    let result = gradientCheck(layer, input: binary([2, 2, 8, 8], density: 0.1, seed: 45))
    #expect(result.error < GradientTests.tolerance, "relative error \(result.error)")
    #expect(result.norm > 1e-3)
  }

  @Test func resultsDoNotDependOnThreads() {
    var generator = TestGenerator(seed: 46)
    let layer = Conv2D(inChannels: 4, outChannels: 8, kernel: 3, stride: 2, using: &generator)
    let x = binary([32, 4, 20, 16], density: 0.08, seed: 47)
    let dy = generator.tensor([32, 8, 9, 7])
    func run(_ threads: Int) -> (Tensor, Tensor) {
      layer.weight.zeroGradient()
      let y = layer.forward(x, threads: threads)
      _ = layer.backward(dy, inputGradient: false, threads: threads)
      return (y, layer.weight.gradient)
    }
    let one = run(1), two = run(2)
    #expect(one.0 == two.0 && one.1 == two.1)
  }
}
