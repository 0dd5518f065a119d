import NeuralNetworks

/// The dueling output layer of Wang et al. (2016): Q(s, a) = V(s) + A(s, a) − meanₐ′ A(s, a′), a state value
/// and centred advantages read from the same hidden features. Every sample trains V whichever action it
/// took, which helps where actions differ little in value (a paddle one step left or right).
public final class DuelingHead: Layer {
  /// Hidden features → V(s), `[inputs, 1]`.
  public let value: Linear
  /// Hidden features → A(s, ·), `[inputs, actions]`.
  public let advantage: Linear
  public let actions: Int

  /// A head over `inputs` features for `actions` actions, Xavier-initialised from `generator`.
  public init<G: RandomNumberGenerator>(inputs: Int, actions: Int, using generator: inout G) {
    self.actions = actions
    value = Linear(inputs: inputs, outputs: 1, initialization: .xavier, using: &generator)
    advantage = Linear(inputs: inputs, outputs: actions, initialization: .xavier, using: &generator)
  }

  public var parameters: [Parameter] { value.parameters + advantage.parameters }

  public func forward(_ input: Tensor, threads: Int) -> Tensor {
    let v = value.forward(input, threads: threads), a = advantage.forward(input, threads: threads)
    let batch = input.shape[0], actions = actions
    return Tensor(shape: [batch, actions]) { q in
      for b in 0..<batch {
        var sum: Float = 0
        for j in 0..<actions { sum += a[b * actions + j] }
        let shift = v[b] - sum / Float(actions)
        for j in 0..<actions { q[b * actions + j] = a[b * actions + j] + shift }
      }
    }
  }

  public func backward(_ outputGradient: Tensor, inputGradient: Bool, threads: Int) -> Tensor? {
    let batch = outputGradient.shape[0], actions = actions
    var dv = Tensor(shape: [batch, 1]), da = Tensor(shape: [batch, actions])
    for b in 0..<batch {
      var sum: Float = 0
      for j in 0..<actions { sum += outputGradient[b * actions + j] }
      dv[b] = sum
      for j in 0..<actions { da[b * actions + j] = outputGradient[b * actions + j] - sum / Float(actions) }
    }
    let fromValue = value.backward(dv, inputGradient: inputGradient, threads: threads)
    let fromAdvantage = advantage.backward(da, inputGradient: inputGradient, threads: threads)
    guard var dx = fromAdvantage, let fromValue else { return nil }
    for index in 0..<dx.count { dx[index] += fromValue[index] }
    return dx
  }
}
