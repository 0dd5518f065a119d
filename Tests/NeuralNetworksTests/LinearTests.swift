import NeuralNetworks
import Testing

/// `Linear` keeps its weight packed for batched forwards between changes; every way of changing the weight
/// must reach the next forward.
@Suite struct LinearTests {
  /// `x · W + b` in Double.
  func naive(_ layer: Linear, _ x: Tensor) -> [Double] {
    let batch = x.shape[0]
    return (0..<(batch * layer.outputs)).map { index in
      let row = index / layer.outputs, column = index % layer.outputs
      return (0..<layer.inputs).reduce(Double(layer.bias.value[column])) { sum, p in
        sum + Double(x[row * layer.inputs + p]) * Double(layer.weight.value[p * layer.outputs + column])
      }
    }
  }

  func worstDifference(_ layer: Linear, _ x: Tensor) -> Double {
    zip(layer.forward(x, threads: 1).scalars, naive(layer, x)).map { abs(Double($0) - $1) }.max()!
  }

  @Test func batchedForwardFollowsEveryChangeOfTheWeight() {
    var generator = TestGenerator(seed: 60)
    // 300 inputs: two K blocks; 40 outputs: a partial last panel.
    let layer = Linear(inputs: 300, outputs: 40, using: &generator), other = Linear(inputs: 300, outputs: 40, using: &generator)
    let x = generator.tensor([6, 300])
    let before = layer.forward(x, threads: 1)
    #expect(worstDifference(layer, x) < 1e-4)

    layer.weight.value[7 * 40 + 3] += 1  // one element, in place
    #expect(worstDifference(layer, x) < 1e-4)
    #expect(layer.forward(x, threads: 1) != before)

    layer.weight.gradient = generator.tensor([300, 40])
    var adam = Adam(learningRate: 0.1)
    adam.step([layer.weight])  // the optimiser writes through the weight's buffer
    #expect(worstDifference(layer, x) < 1e-4)

    Sequential([layer]).copyParameters(from: Sequential([other]))  // a target-network sync
    #expect(layer.forward(x, threads: 1) == other.forward(x, threads: 1))
  }
}
