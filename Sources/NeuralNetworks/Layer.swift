/// A trainable tensor and the gradient accumulated for it.
///
/// Parameters are shared by reference between a layer and an optimiser, which updates `value` in place.
public final class Parameter {
  /// The current values.
  public var value: Tensor { didSet { version &+= 1 } }
  /// Counts the changes of `value` (layers key what they derive from it, such as a packed copy, on this).
  public private(set) var version = 0
  /// The sum of gradients since the last ``zeroGradient()``; same shape as `value`.
  public var gradient: Tensor

  /// A parameter holding `value`, with a zero gradient.
  public init(_ value: Tensor) {
    self.value = value
    gradient = Tensor(shape: value.shape)
  }

  /// Sets the gradient to zero.
  public func zeroGradient() { gradient.fill(with: 0) }
}

/// One differentiable stage of a network.
///
/// `forward` remembers what `backward` needs, so `backward` always refers to the most recent `forward`.
/// Gradients of parameters are *accumulated* (added), as in PyTorch; call ``Sequential/zeroGradients()``
/// between updates.
public protocol Layer: AnyObject {
  /// The trainable tensors, in a fixed order (weights before biases).
  var parameters: [Parameter] { get }
  /// The output for a batch `input`, using up to `threads` threads for matrix products.
  func forward(_ input: Tensor, threads: Int) -> Tensor
  /// Adds parameter gradients for `outputGradient` (∂loss/∂output of the last forward) and returns
  /// ∂loss/∂input, or `nil` when `inputGradient` is false (the first layer of a network needs none).
  func backward(_ outputGradient: Tensor, inputGradient: Bool, threads: Int) -> Tensor?
}

extension Layer {
  public var parameters: [Parameter] { [] }

  /// The output for `input` on one thread.
  public func forward(_ input: Tensor) -> Tensor { forward(input, threads: 1) }

  /// ∂loss/∂input for `outputGradient`, accumulating parameter gradients, on one thread.
  public func backward(_ outputGradient: Tensor) -> Tensor {
    backward(outputGradient, inputGradient: true, threads: 1)!
  }
}

/// How a layer draws its initial weights (biases start at zero unless stated).
public enum Initialization: Sendable, Hashable {
  /// He (Kaiming) uniform for ReLU networks: U(−√(6/fanIn), √(6/fanIn)).
  case he
  /// Xavier (Glorot) uniform: U(−√(6/(fanIn+fanOut)), √(6/(fanIn+fanOut))).
  case xavier
  /// PyTorch's default for `Linear` and `Conv2d`: weights and biases U(−1/√fanIn, 1/√fanIn).
  case pytorchDefault

  /// Fills `weight` and `bias` for a layer with the given fan-in and fan-out.
  func fill<G: RandomNumberGenerator>(weight: inout Tensor, bias: inout Tensor, fanIn: Int, fanOut: Int,
                                      using generator: inout G) {
    let bound: Float = switch self {
    case .he: (6 / Float(fanIn)).squareRoot()
    case .xavier: (6 / Float(fanIn + fanOut)).squareRoot()
    case .pytorchDefault: 1 / Float(fanIn).squareRoot()
    }
    for index in 0..<weight.count { weight[index] = bound * (2 * generator.nextUnitFloat() - 1) }
    if self == .pytorchDefault {
      for index in 0..<bias.count { bias[index] = bound * (2 * generator.nextUnitFloat() - 1) }
    }
  }
}

extension RandomNumberGenerator {
  /// A uniform `Float` in [0, 1) from the top 24 bits of one 64-bit draw (independent of the standard
  /// library's `Float.random`, so a seed gives the same weights on every toolchain).
  mutating func nextUnitFloat() -> Float { Float(next() >> 40) * 0x1p-24 }
}
