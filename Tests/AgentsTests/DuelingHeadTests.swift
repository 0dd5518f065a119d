import Agents
import EnvironmentCore
import NeuralNetworks
import Testing

@Suite struct DuelingHeadTests {
  private func head() -> DuelingHead {
    var rng = SplitMix64(seed: 4)
    return DuelingHead(inputs: 5, actions: 3, using: &rng)
  }

  private func input() -> Tensor {
    Tensor(shape: [2, 5], scalars: [0.5, -1, 0.25, 2, -0.75, 1, 0.1, -0.3, 0.7, 0.2])
  }

  @Test func qValuesAreTheStateValuePlusCentredAdvantages() {
    let layer = head(), x = input()
    let q = layer.forward(x), v = layer.value.forward(x), a = layer.advantage.forward(x)
    for b in 0..<2 {
      let mean = (0..<3).map { q[b * 3 + $0] }.reduce(0, +) / 3
      #expect(abs(mean - v[b]) < 1e-5, "the Q-values of a state average to its value")
      #expect(abs((q[b * 3] - q[b * 3 + 1]) - (a[b * 3] - a[b * 3 + 1])) < 1e-5, "differences are the advantages'")
    }
  }

  @Test func gradientsMatchFiniteDifferences() {
    let layer = head(), x = input()
    let weights = Tensor(shape: [2, 3], scalars: [0.3, -1.2, 0.8, 1.5, 0.1, -0.6])
    func loss(_ x: Tensor) -> Float {
      let q = layer.forward(x)
      return (0..<q.count).reduce(0) { $0 + weights[$1] * q[$1] }
    }
    _ = layer.forward(x)
    for parameter in layer.parameters { parameter.zeroGradient() }
    let dx = layer.backward(weights)
    let h: Float = 1e-2
    for index in 0..<x.count {
      var plus = x, minus = x
      plus[index] += h
      minus[index] -= h
      #expect(abs((loss(plus) - loss(minus)) / (2 * h) - dx[index]) < 1e-3, "input \(index)")
    }
    for (p, parameter) in layer.parameters.enumerated() {
      for index in 0..<parameter.value.count {
        let analytic = parameter.gradient[index], saved = parameter.value[index]
        parameter.value[index] = saved + h
        let up = loss(x)
        parameter.value[index] = saved - h
        let down = loss(x)
        parameter.value[index] = saved
        #expect(abs((up - down) / (2 * h) - analytic) < 1e-3, "parameter \(p)[\(index)]")
      }
    }
  }

  @Test func theConfigurationSwitchBuildsADuelingNetwork() {
    var c = smallConfiguration()
    c.dueling = true
    let network = DQN.makeNetwork(configuration: c, frameShape: [6, 1, 1], outputs: 2, seed: 1)
    #expect(network.layers.last is DuelingHead)
    #expect(network.parameterCount == 6 * 32 + 32 + (32 + 1) + (32 * 2 + 2))
  }
}
