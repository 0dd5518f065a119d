/// A 2-D convolution over NCHW batches, computed per sample as im2col followed by one matrix product.
///
/// Input `[batch, inChannels, height, width]`, output `[batch, outChannels, outHeight, outWidth]` with
/// `outHeight = (height + 2·padding − kernel) / stride + 1` (likewise for the width). The weight has
/// PyTorch's layout `[outChannels, inChannels, kernel, kernel]`; zero padding.
public final class Conv2D: Layer {
  /// Channels of the input.
  public let inChannels: Int
  /// Channels of the output (number of filters).
  public let outChannels: Int
  /// The side of the square kernel.
  public let kernel: Int
  /// The step between kernel positions.
  public let stride: Int
  /// Zeros added on every side of the input.
  public let padding: Int
  /// `[outChannels, inChannels, kernel, kernel]`.
  public let weight: Parameter
  /// `[outChannels]`.
  public let bias: Parameter
  private var input = Tensor(shape: [0])
  /// The im2col matrices of the last forward, one per sample, reused by backward.
  private var columns: [Float] = []

  /// A convolution with weights drawn by `initialization` from `generator` (fan-in `inChannels · kernel²`).
  public init<G: RandomNumberGenerator>(inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1,
                                        padding: Int = 0, initialization: Initialization = .he,
                                        using generator: inout G) {
    precondition(inChannels > 0 && outChannels > 0 && kernel > 0 && stride > 0 && padding >= 0, "bad Conv2D sizes")
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    var w = Tensor(shape: [outChannels, inChannels, kernel, kernel])
    var b = Tensor(shape: [outChannels])
    let area = kernel * kernel
    initialization.fill(weight: &w, bias: &b, fanIn: inChannels * area, fanOut: outChannels * area, using: &generator)
    weight = Parameter(w)
    bias = Parameter(b)
  }

  public var parameters: [Parameter] { [weight, bias] }

  /// The output `[height, width]` for an input of `height × width`.
  public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
    ((height + 2 * padding - kernel) / stride + 1, (width + 2 * padding - kernel) / stride + 1)
  }

  private func geometry(_ shape: [Int]) -> ConvolutionGeometry {
    precondition(shape.count == 4 && shape[1] == inChannels, "Conv2D(\(inChannels)→\(outChannels)) got \(shape)")
    let out = outputSize(height: shape[2], width: shape[3])
    precondition(out.height > 0 && out.width > 0, "Conv2D: input \(shape) smaller than the kernel")
    return ConvolutionGeometry(channels: inChannels, height: shape[2], width: shape[3], kernel: kernel, stride: stride,
                               padding: padding, outHeight: out.height, outWidth: out.width)
  }

  public func forward(_ input: Tensor, threads: Int) -> Tensor {
    let g = geometry(input.shape)
    self.input = input
    let batch = input.shape[0], outChannels = outChannels
    let positions = g.outHeight * g.outWidth, rows = g.columnRows, sampleSize = g.channels * g.height * g.width
    if columns.count != batch * rows * positions { columns = [Float](repeating: 0, count: batch * rows * positions) }
    return Tensor(shape: [batch, outChannels, g.outHeight, g.outWidth]) { y in
      input.withUnsafePointer { x in
        weight.value.withUnsafePointer { w in
          bias.value.withUnsafePointer { b in
            columns.withUnsafeMutableBufferPointer { allColumns in
              for sample in 0..<batch {
                let columns = allColumns.baseAddress! + sample * rows * positions
                g.im2col(x + sample * sampleSize, into: columns)
                let out = y + sample * outChannels * positions
                gemm(transposeA: false, transposeB: false, m: outChannels, n: positions, k: rows, a: w, b: columns,
                     c: out, threads: threads)
                for channel in 0..<outChannels {
                  let row = out + channel * positions, shift = b[channel]
                  for index in 0..<positions { row[index] += shift }
                }
              }
            }
          }
        }
      }
    }
  }

  public func backward(_ outputGradient: Tensor, inputGradient: Bool, threads: Int) -> Tensor? {
    let g = geometry(input.shape)
    let batch = input.shape[0], outChannels = outChannels
    let positions = g.outHeight * g.outWidth, rows = g.columnRows, sampleSize = g.channels * g.height * g.width
    precondition(outputGradient.shape == [batch, outChannels, g.outHeight, g.outWidth], "Conv2D backward: bad gradient shape")
    let columns = UnsafeMutablePointer<Float>.allocate(capacity: rows * positions)
    defer { columns.deallocate() }
    outputGradient.withUnsafePointer { dy in
      self.columns.withUnsafeBufferPointer { allColumns in
        weight.gradient.withUnsafeMutablePointer { dw in
          for sample in 0..<batch {
            gemm(transposeA: false, transposeB: true, m: outChannels, n: rows, k: positions,
                 a: dy + sample * outChannels * positions, b: allColumns.baseAddress! + sample * rows * positions,
                 beta: 1, c: dw, threads: threads)
          }
        }
      }
      bias.gradient.withUnsafeMutablePointer { db in
        for sample in 0..<batch {
          for channel in 0..<outChannels {
            let row = dy + (sample * outChannels + channel) * positions
            var sum: Float = 0
            for index in 0..<positions { sum += row[index] }
            db[channel] += sum
          }
        }
      }
    }
    guard inputGradient else { return nil }
    return Tensor(shape: input.shape, repeating: 0).updating { dx in
      outputGradient.withUnsafePointer { dy in
        weight.value.withUnsafePointer { w in
          for sample in 0..<batch {
            gemm(transposeA: true, transposeB: false, m: rows, n: positions, k: outChannels,
                 a: w, b: dy + sample * outChannels * positions, c: columns, threads: threads)
            g.col2im(columns, adding: dx + sample * sampleSize)
          }
        }
      }
    }
  }
}

extension Tensor {
  /// This tensor after `body` has mutated its buffer.
  func updating(_ body: (UnsafeMutablePointer<Float>) -> Void) -> Tensor {
    var copy = self
    copy.withUnsafeMutablePointer(body)
    return copy
  }
}

/// The index arithmetic shared by im2col and its adjoint col2im for one sample.
struct ConvolutionGeometry {
  let channels, height, width, kernel, stride, padding, outHeight, outWidth: Int

  /// Rows of the column matrix: one per (channel, kernel row, kernel column).
  var columnRows: Int { channels * kernel * kernel }

  /// Writes the `[columnRows, outHeight·outWidth]` patch matrix of the `[channels, height, width]` image `x`.
  func im2col(_ x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
    let positions = outHeight * outWidth, stride = stride, outWidth = outWidth
    for channel in 0..<channels {
      for i in 0..<kernel {
        for j in 0..<kernel {
          let rowStart = columns + ((channel * kernel + i) * kernel + j) * positions
          let offset = j - padding
          let (first, end) = validColumns(offset)
          let span = max(0, end - first)
          for oy in 0..<outHeight {
            let target = rowStart + oy * outWidth
            let iy = oy * stride - padding + i
            guard iy >= 0 && iy < height, span > 0 else { target.update(repeating: 0, count: outWidth); continue }
            for ox in 0..<first { target[ox] = 0 }
            var source = x + (channel * height + iy) * width + first * stride + offset
            if stride == 1 {
              copy(source, to: target + first, count: span)
            } else {
              for ox in first..<end {
                target[ox] = source.pointee
                source += stride
              }
            }
            for ox in (first + span)..<outWidth { target[ox] = 0 }
          }
        }
      }
    }
  }

  /// Adds the patch matrix `columns` back onto the image gradient `dx` (the adjoint of ``im2col(_:into:)``).
  func col2im(_ columns: UnsafePointer<Float>, adding dx: UnsafeMutablePointer<Float>) {
    visit { row, oy, source, offset in
      guard let source else { return }
      let values = columns + row * outHeight * outWidth + oy * outWidth
      let image = dx + source
      for ox in 0..<outWidth {
        let ix = ox * stride + offset
        if ix >= 0 && ix < width { image[ix] += values[ox] }
      }
    }
  }

  /// The output columns `first..<end` whose input column `ox · stride + offset` lies inside the image.
  @inline(__always)
  private func validColumns(_ offset: Int) -> (first: Int, end: Int) {
    let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride
    let end = width - offset <= 0 ? 0 : min(outWidth, (width - offset - 1) / stride + 1)
    return (min(first, outWidth), max(end, 0))
  }

  /// Calls `body(row, oy, start of the image row or nil when it lies in the padding, column offset)`.
  @inline(__always)
  private func visit(_ body: (Int, Int, Int?, Int) -> Void) {
    for channel in 0..<channels {
      for i in 0..<kernel {
        for j in 0..<kernel {
          let row = (channel * kernel + i) * kernel + j
          for oy in 0..<outHeight {
            let iy = oy * stride - padding + i
            body(row, oy, iy >= 0 && iy < height ? (channel * height + iy) * width : nil, j - padding)
          }
        }
      }
    }
  }
}
