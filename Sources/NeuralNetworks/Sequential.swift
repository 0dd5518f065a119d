/// Layers applied one after another; the network type the agents use.
public final class Sequential {
  /// The stages, input first.
  public let layers: [any Layer]
  /// Threads for matrix products (1 = single-threaded). Results are identical for any value.
  public var threads: Int

  /// A network of `layers`, input first, using `threads` threads for matrix products.
  public init(_ layers: [any Layer], threads: Int = 1) {
    precondition(threads >= 1, "threads must be at least 1")
    self.layers = layers
    self.threads = threads
  }

  /// Every trainable tensor, layer by layer (each layer's weight before its bias).
  public var parameters: [Parameter] { layers.flatMap(\.parameters) }

  /// The number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

  /// The output for a batch `input`; `backward` then refers to this call.
  public func forward(_ input: Tensor) -> Tensor {
    layers.reduce(input) { $1.forward($0, threads: threads) }
  }

  /// Back-propagates ∂loss/∂output of the last forward, adding to every parameter's gradient, and returns
  /// ∂loss/∂input when `inputGradient` is true (skipping the first layer's input gradient otherwise).
  @discardableResult
  public func backward(_ outputGradient: Tensor, inputGradient: Bool = false) -> Tensor? {
    var gradient = outputGradient
    for (index, layer) in layers.enumerated().reversed() {
      let needed = index > 0 || inputGradient
      guard let next = layer.backward(gradient, inputGradient: needed, threads: threads) else { return nil }
      gradient = next
    }
    return gradient
  }

  /// Sets every parameter gradient to zero.
  public func zeroGradients() {
    for parameter in parameters { parameter.zeroGradient() }
  }

  /// Copies the parameter values of a network of the same architecture (a DQN target-network sync).
  public func copyParameters(from other: Sequential) {
    let mine = parameters, theirs = other.parameters
    precondition(mine.map(\.value.shape) == theirs.map(\.value.shape), "copyParameters: architectures differ")
    for (target, source) in zip(mine, theirs) { target.value = source.value }
  }
}
