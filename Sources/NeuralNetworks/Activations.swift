/// The rectifier `max(0, x)`, element-wise; its gradient passes where the output is positive.
public final class ReLU: Layer {
  private var output = Tensor(shape: [0])

  /// A rectifier (it has no parameters).
  public init() {}

  public func forward(_ input: Tensor, threads: Int) -> Tensor {
    let n = input.count
    output = Tensor(shape: input.shape) { y in
      input.withUnsafePointer { x in passWherePositive(x, gate: x, into: y, count: n) }
    }
    return output
  }

  public func backward(_ outputGradient: Tensor, inputGradient: Bool, threads: Int) -> Tensor? {
    guard inputGradient else { return nil }
    precondition(outputGradient.shape == output.shape, "ReLU backward: gradient \(outputGradient.shape)")
    let n = output.count
    return Tensor(shape: output.shape) { dx in
      outputGradient.withUnsafePointer { dy in
        output.withUnsafePointer { y in passWherePositive(dy, gate: y, into: dx, count: n) }
      }
    }
  }
}

/// `out[i] = gate[i] > 0 ? values[i] : 0` (ReLU's forward pass with `gate` = `values`, its backward pass with
/// `gate` = its output), eight lanes at a time with a mask: a branch per element mispredicts on the random
/// signs of a fresh network (it was 13% of an MLP update).
@inline(__always)
private func passWherePositive(_ values: UnsafePointer<Float>, gate: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                               count n: Int) {
  var index = 0
  while index + 8 <= n {
    let v = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
    let open = UnsafeRawPointer(gate + index).loadUnaligned(as: SIMD8<Float>.self) .> 0
    UnsafeMutableRawPointer(out + index).storeBytes(of: v.replacing(with: 0, where: .!open), as: SIMD8<Float>.self)
    index += 8
  }
  while index < n { out[index] = gate[index] > 0 ? values[index] : 0; index += 1 }
}

/// Reshapes `[batch, d1, d2, …]` to `[batch, d1·d2·…]` (row-major, so NCHW flattens like PyTorch's `Flatten`).
public final class Flatten: Layer {
  private var inputShape: [Int] = []

  /// A flattening stage (it has no parameters).
  public init() {}

  public func forward(_ input: Tensor, threads: Int) -> Tensor {
    precondition(!input.shape.isEmpty, "Flatten needs a batch dimension")
    inputShape = input.shape
    return input.reshaped(to: [input.shape[0], input.count / max(input.shape[0], 1)])
  }

  public func backward(_ outputGradient: Tensor, inputGradient: Bool, threads: Int) -> Tensor? {
    inputGradient ? outputGradient.reshaped(to: inputShape) : nil
  }
}

/// Max pooling over `kernel × kernel` windows of NCHW input, moved by `stride`, without padding.
///
/// The gradient flows to the first maximum of each window (row-major order), as in PyTorch.
public final class MaxPool2D: Layer {
  /// The window's side.
  public let kernel: Int
  /// The step between windows.
  public let stride: Int
  private var inputShape: [Int] = []
  /// For each output element, the flat input index of its maximum.
  private var winners: [Int32] = []

  /// A pool of `kernel × kernel` windows; `stride` defaults to `kernel` (non-overlapping windows).
  public init(kernel: Int, stride: Int? = nil) {
    precondition(kernel > 0 && (stride ?? kernel) > 0, "MaxPool2D needs positive sizes")
    self.kernel = kernel
    self.stride = stride ?? kernel
  }

  public func forward(_ input: Tensor, threads: Int) -> Tensor {
    precondition(input.shape.count == 4, "MaxPool2D needs NCHW input, got \(input.shape)")
    precondition(input.count < Int(Int32.max), "MaxPool2D input too large")
    inputShape = input.shape
    let planes = input.shape[0] * input.shape[1], height = input.shape[2], width = input.shape[3]
    let outHeight = (height - kernel) / stride + 1, outWidth = (width - kernel) / stride + 1
    precondition(outHeight > 0 && outWidth > 0, "MaxPool2D: input \(input.shape) smaller than the window")
    let kernel = kernel, stride = stride
    var winners = [Int32](repeating: 0, count: planes * outHeight * outWidth)
    let output = Tensor(shape: [input.shape[0], input.shape[1], outHeight, outWidth]) { y in
      input.withUnsafePointer { x in
        winners.withUnsafeMutableBufferPointer { best in
          var out = 0
          for plane in 0..<planes {
            for oy in 0..<outHeight {
              for ox in 0..<outWidth {
                var index = (plane * height + oy * stride) * width + ox * stride
                var value = x[index]
                for i in 0..<kernel {
                  for j in 0..<kernel {
                    let candidate = (plane * height + oy * stride + i) * width + ox * stride + j
                    if x[candidate] > value { value = x[candidate]; index = candidate }
                  }
                }
                y[out] = value
                best[out] = Int32(index)
                out += 1
              }
            }
          }
        }
      }
    }
    self.winners = winners
    return output
  }

  public func backward(_ outputGradient: Tensor, inputGradient: Bool, threads: Int) -> Tensor? {
    guard inputGradient else { return nil }
    precondition(outputGradient.count == winners.count, "MaxPool2D backward: gradient \(outputGradient.shape)")
    return Tensor(shape: inputShape, repeating: 0).updating { dx in
      outputGradient.withUnsafePointer { dy in
        winners.withUnsafeBufferPointer { best in
          for index in 0..<best.count { dx[Int(best[index])] += dy[index] }
        }
      }
    }
  }
}
