/// A fully connected layer: `y = x · W + b` for `x` of shape `[batch, inputs]`.
///
/// The weight is stored `[inputs, outputs]`, the transpose of PyTorch's `nn.Linear.weight`: both forward
/// passes of a DQN step then read it in place, and only the input gradient needs a transposed product.
public final class Linear: Layer {
  /// Features per input row.
  public let inputs: Int
  /// Features per output row.
  public let outputs: Int
  /// `[inputs, outputs]`.
  public let weight: Parameter
  /// `[outputs]`.
  public let bias: Parameter
  private var input = Tensor(shape: [0])
  /// The weight packed for forward products of four or more rows, as of `weight.version` `packedVersion`: a
  /// target network packs it once per sync, an online network once per optimiser step for its forwards.
  private var packedWeight = PackedOperand()
  private var packedVersion: Int?

  /// A layer with weights drawn by `initialization` from `generator` (e.g. the project's `SplitMix64`).
  public init<G: RandomNumberGenerator>(inputs: Int, outputs: Int, initialization: Initialization = .he,
                                        using generator: inout G) {
    precondition(inputs > 0 && outputs > 0, "Linear needs positive sizes")
    self.inputs = inputs
    self.outputs = outputs
    var w = Tensor(shape: [inputs, outputs])
    var b = Tensor(shape: [outputs])
    initialization.fill(weight: &w, bias: &b, fanIn: inputs, fanOut: outputs, using: &generator)
    weight = Parameter(w)
    bias = Parameter(b)
  }

  public var parameters: [Parameter] { [weight, bias] }

  public func forward(_ input: Tensor, threads: Int) -> Tensor {
    precondition(input.shape.count == 2 && input.shape[1] == inputs, "Linear(\(inputs)→\(outputs)) got \(input.shape)")
    self.input = input
    let batch = input.shape[0], outputs = outputs, inputs = inputs
    if batch >= rowTile && packedVersion != weight.version {
      weight.value.withUnsafePointer { packedWeight.pack($0, transposeB: false, k: inputs, n: outputs) }
      packedVersion = weight.version
    }
    let packed = batch >= rowTile ? packedWeight : nil
    return Tensor(shape: [batch, outputs]) { y in
      input.withUnsafePointer { x in
        weight.value.withUnsafePointer { w in
          if let packed {
            packed.storage.withUnsafeBufferPointer { panels in
              gemm(transposeA: false, transposeB: false, m: batch, n: outputs, k: inputs, alpha: 1, a: x, b: w,
                   packedB: panels.baseAddress!, beta: 0, c: y, threads: threads)
            }
          } else {
            gemm(transposeA: false, transposeB: false, m: batch, n: outputs, k: inputs, a: x, b: w, c: y, threads: threads)
          }
        }
      }
      bias.value.withUnsafePointer { b in
        for row in 0..<batch {
          let out = y + row * outputs
          for j in 0..<outputs { out[j] += b[j] }
        }
      }
    }
  }

  public func backward(_ outputGradient: Tensor, inputGradient: Bool, threads: Int) -> Tensor? {
    let batch = input.shape[0], outputs = outputs, inputs = inputs
    precondition(outputGradient.shape == [batch, outputs], "Linear backward: gradient \(outputGradient.shape)")
    outputGradient.withUnsafePointer { dy in
      input.withUnsafePointer { x in
        weight.gradient.withUnsafeMutablePointer { dw in
          gemm(transposeA: true, transposeB: false, m: inputs, n: outputs, k: batch, a: x, b: dy,
               beta: 1, c: dw, threads: threads)
        }
      }
      bias.gradient.withUnsafeMutablePointer { db in
        for row in 0..<batch {
          let g = dy + row * outputs
          for j in 0..<outputs { db[j] += g[j] }
        }
      }
    }
    guard inputGradient else { return nil }
    return Tensor(shape: [batch, inputs]) { dx in
      outputGradient.withUnsafePointer { dy in
        weight.value.withUnsafePointer { w in
          gemm(transposeA: false, transposeB: true, m: batch, n: inputs, k: outputs, a: dy, b: w, c: dx, threads: threads)
        }
      }
    }
  }
}
