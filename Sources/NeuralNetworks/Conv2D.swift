import Dispatch

/// A 2-D convolution over NCHW batches, computed as im2col of the whole batch followed by one matrix product.
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
  /// The nonzeros of the last input when the forward took the scatter path (then `columns` is stale).
  private var scattered: SparseList?
  /// The im2col matrix of the last forward, `[columnRows, batch · positions]`, reused by backward.
  private var columns: [Float] = []
  /// ``placeTable(_:)``'s cache: the place of every scalar of a sample of shape `placesShape`.
  var places: [SIMD4<Int32>] = []
  var placesShape: [Int] = []
  /// ``axisTaps(_:)``'s cache, for inputs of `height × width`.
  var taps: (height: Int, width: Int, rows: AxisTaps, columns: AxisTaps)?

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

  func geometry(_ shape: [Int]) -> ConvolutionGeometry {
    precondition(shape.count == 4 && shape[1] == inChannels, "Conv2D(\(inChannels)→\(outChannels)) got \(shape)")
    let out = outputSize(height: shape[2], width: shape[3])
    precondition(out.height > 0 && out.width > 0, "Conv2D: input \(shape) smaller than the kernel")
    return ConvolutionGeometry(channels: inChannels, height: shape[2], width: shape[3], kernel: kernel, stride: stride,
                               padding: padding, outHeight: out.height, outWidth: out.width)
  }

  /// The forward pass as one matrix product over the whole batch: `W · columns`, where `columns` holds every
  /// sample's patches side by side (`[columnRows, batch · positions]`), then a transpose into NCHW.
  public func forward(_ input: Tensor, threads: Int) -> Tensor {
    let g = geometry(input.shape)
    self.input = input
    scattered = nonzeroList(input)
    if let scattered { return scatterForward(input, scattered, g, threads: threads) }
    let batch = input.shape[0], outChannels = outChannels
    let positions = g.outHeight * g.outWidth, rows = g.columnRows, sampleSize = g.channels * g.height * g.width
    let width = batch * positions
    if columns.count != rows * width { columns = [Float](repeating: 0, count: rows * width) }
    let product = UnsafeMutablePointer<Float>.allocate(capacity: outChannels * width)
    defer { product.deallocate() }
    columns.withUnsafeMutableBufferPointer { columns in
      let target = SendableFloats(columns.baseAddress!)
      input.withUnsafePointer { x in
        let source = SendableFloats(UnsafeMutablePointer(mutating: x))
        forEachSample(batch, threads: threads, work: rows * positions) { sample in
          g.im2col(source.base + sample * sampleSize, into: target.base + sample * positions, rowStride: width)
        }
      }
      weight.value.withUnsafePointer { w in
        gemm(transposeA: false, transposeB: false, m: outChannels, n: width, k: rows, a: w, b: columns.baseAddress!,
             c: product, threads: threads)
      }
    }
    return Tensor(shape: [batch, outChannels, g.outHeight, g.outWidth]) { y in
      bias.value.withUnsafePointer { b in
        for sample in 0..<batch {
          for channel in 0..<outChannels {
            let from = product + channel * width + sample * positions, to = y + (sample * outChannels + channel) * positions
            let shift = b[channel]
            for index in 0..<positions { to[index] = from[index] + shift }
          }
        }
      }
    }
  }

  public func backward(_ outputGradient: Tensor, inputGradient: Bool, threads: Int) -> Tensor? {
    let g = geometry(input.shape)
    let batch = input.shape[0], outChannels = outChannels
    let positions = g.outHeight * g.outWidth, rows = g.columnRows, sampleSize = g.channels * g.height * g.width
    let width = batch * positions
    precondition(outputGradient.shape == [batch, outChannels, g.outHeight, g.outWidth], "Conv2D backward: bad gradient shape")
    outputGradient.withUnsafePointer { dy in
      bias.gradient.withUnsafeMutablePointer { db in addChannelSums(dy, batch: batch, channels: outChannels, positions: positions, into: db) }
    }
    if let scattered {
      scatterWeightGradient(outputGradient, input: input, scattered, g)
      guard inputGradient else { return nil }
    }
    // ∂loss/∂output as [outChannels, batch · positions], the layout of the forward product.
    let dProduct = UnsafeMutablePointer<Float>.allocate(capacity: outChannels * width)
    defer { dProduct.deallocate() }
    outputGradient.withUnsafePointer { dy in
      for sample in 0..<batch {
        for channel in 0..<outChannels {
          (dProduct + channel * width + sample * positions).update(from: dy + (sample * outChannels + channel) * positions, count: positions)
        }
      }
    }
    if scattered == nil {
      columns.withUnsafeBufferPointer { columns in
        weight.gradient.withUnsafeMutablePointer { dw in
          gemm(transposeA: false, transposeB: true, m: outChannels, n: rows, k: width, a: dProduct, b: columns.baseAddress!,
               beta: 1, c: dw, threads: threads)
        }
      }
    }
    guard inputGradient else { return nil }
    let dColumns = UnsafeMutablePointer<Float>.allocate(capacity: rows * width)
    defer { dColumns.deallocate() }
    weight.value.withUnsafePointer { w in
      gemm(transposeA: true, transposeB: false, m: rows, n: width, k: outChannels, a: w, b: dProduct, c: dColumns, threads: threads)
    }
    return Tensor(shape: input.shape, repeating: 0).updating { dx in
      let target = SendableFloats(dx), source = SendableFloats(dColumns)
      forEachSample(batch, threads: threads, work: rows * positions) { sample in
        g.col2im(source.base + sample * positions, rowStride: width, adding: target.base + sample * sampleSize)
      }
    }
  }
}

/// A float pointer handed to worker threads, which touch disjoint samples of it.
struct SendableFloats: @unchecked Sendable {
  let base: UnsafeMutablePointer<Float>
  init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
}

/// Runs `body` for every sample, split over up to `threads` threads when the batch has enough `work` (scalars
/// per sample) to pay for the fan-out. Samples touch disjoint memory, so the split never changes results.
func forEachSample(_ batch: Int, threads: Int, work: Int, _ body: @Sendable (Int) -> Void) {
  forEachSampleRange(batch, threads: threads, work: work) { range in for sample in range { body(sample) } }
}

/// Like ``forEachSample(_:threads:work:_:)``, handing each thread its contiguous range of samples at once (so
/// per-thread scratch memory is allocated once, not per sample).
func forEachSampleRange(_ batch: Int, threads: Int, work: Int, _ body: @Sendable (Range<Int>) -> Void) {
  let chunks = threads > 1 && batch * work >= 1 << 15 ? min(threads, batch) : 1
  guard chunks > 1 else { body(0..<batch); return }
  DispatchQueue.concurrentPerform(iterations: chunks) { chunk in body((batch * chunk / chunks)..<(batch * (chunk + 1) / chunks)) }
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
  /// Rows of `columns` lie `rowStride` floats apart (`positions` for a single sample; more when the samples of
  /// a batch sit side by side).
  ///
  /// Kernel taps `stride` apart read the same pixels one output step apart, so only the first `stride × stride`
  /// taps of each channel are gathered from the image; the others are shifted copies of a gathered row, with
  /// their one new output row (or column) read directly.
  func im2col(_ x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
    let positions = rowStride ?? outHeight * outWidth, count = outHeight * outWidth
    for channel in 0..<channels {
      for i in 0..<kernel {
        for j in 0..<kernel {
          let row = (channel * kernel + i) * kernel + j
          let rowStart = columns + row * positions
          if i >= stride && outHeight > 1 {
            // Tap (i, j) at output row oy is tap (i − stride, j) at output row oy + 1.
            rowStart.update(from: columns + (row - stride * kernel) * positions + outWidth, count: count - outWidth)
            gather(x, channel: channel, i: i, j: j, outputRow: outHeight - 1, into: rowStart)
          } else if j >= stride && outWidth > 1 {
            // Tap (i, j) at output column ox is tap (i, j − stride) at column ox + 1; the last column is new.
            rowStart.update(from: columns + (row - stride) * positions + 1, count: count - 1)
            let ix = (outWidth - 1) * self.stride - padding + j
            for oy in 0..<outHeight {
              let iy = oy * self.stride - padding + i
              let inside = iy >= 0 && iy < height && ix >= 0 && ix < width
              rowStart[oy * outWidth + outWidth - 1] = inside ? x[(channel * height + iy) * width + ix] : 0
            }
          } else {
            for oy in 0..<outHeight { gather(x, channel: channel, i: i, j: j, outputRow: oy, into: rowStart) }
          }
        }
      }
    }
  }

  /// Writes output row `oy` of kernel tap (`i`, `j`) of `channel` into `rowStart` (zeros outside the image).
  @inline(__always)
  private func gather(_ x: UnsafePointer<Float>, channel: Int, i: Int, j: Int, outputRow oy: Int,
                      into rowStart: UnsafeMutablePointer<Float>) {
    let target = rowStart + oy * outWidth
    let offset = j - padding
    let (first, end) = validColumns(offset)
    let span = max(0, end - first)
    let iy = oy * stride - padding + i
    guard iy >= 0 && iy < height, span > 0 else { target.update(repeating: 0, count: outWidth); return }
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

  /// Adds the patch matrix `columns` back onto the image gradient `dx` (the adjoint of ``im2col(_:into:)``).
  func col2im(_ columns: UnsafePointer<Float>, rowStride: Int? = nil, adding dx: UnsafeMutablePointer<Float>) {
    let positions = rowStride ?? outHeight * outWidth
    visit { row, oy, source, offset in
      guard let source else { return }
      let values = columns + row * positions + oy * outWidth
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
