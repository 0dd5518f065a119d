import NeuralNetworksAVX512
import NeuralNetworksHaswell
import NeuralNetworksLoops

/// The scatter path of ``Conv2D`` for sparse inputs (the 0/1 grid planes agents feed in): each nonzero input
/// scalar adds its weight vector to the outputs it reaches, so the cost follows the nonzeros, with no im2col
/// and no dense product. Used when at most a quarter of the input is nonzero; the choice depends only on the data,
/// never on the thread count. (Its sums run in another order than the dense path's, so the two paths can
/// differ in the last bits.)
extension Conv2D {
  /// The positions of `input`'s nonzero scalars, per sample, when at most a quarter are nonzero, in the whole
  /// batch and in its first sample; else `nil`. Each sample is scanned flat, eight scalars at a time, and the
  /// nonzero lanes' places are looked up in a table (no division, no branch per zero).
  func nonzeroList(_ input: Tensor) -> SparseList? {
    let batch = input.shape[0], sampleSize = input.shape[1] * input.shape[2] * input.shape[3], limit = input.count / 4
    let places = placeTable(input.shape)
    var starts = [0]
    starts.reserveCapacity(batch + 1)
    var complete = true
    // Written through a raw buffer: an append per nonzero cost more than the whole scan.
    let entries = [SIMD4<Int32>](unsafeUninitializedCapacity: limit + 8) { buffer, initialized in
      var count = 0
      input.withUnsafePointer { x in
        places.withUnsafeBufferPointer { places in
          scan: for sample in 0..<batch {
            let line = x + sample * sampleSize
            var start = 0
            while start < sampleSize {
              var lanes: UInt32 = 0
              if start + 8 <= sampleSize {
                lanes = nonzeroLanes(UnsafeRawPointer(line + start).loadUnaligned(as: SIMD8<Float>.self))
              } else {
                for k in start..<sampleSize where line[k] != 0 { lanes |= 1 << UInt32(k - start) }
              }
              if lanes != 0 {
                if count > limit { complete = false; break scan }
                repeat {
                  buffer[count] = places[start + lanes.trailingZeroBitCount]
                  count += 1
                  lanes &= lanes - 1
                } while lanes != 0
              }
              start += 8
            }
            // A dense first sample settles it: dense inputs (pixels, hidden activations) then cost one sample's
            // scan, not a quarter of the batch's.
            if count > limit || (sample == 0 && count > sampleSize / 4) { complete = false; break scan }
            starts.append(count)
          }
        }
      }
      initialized = count
    }
    return complete ? SparseList(entries: entries, starts: starts) : nil
  }

  /// The tap tables of `g`'s rows and columns, built once per input size.
  func axisTaps(_ g: ConvolutionGeometry) -> (rows: AxisTaps, columns: AxisTaps) {
    if let taps, taps.height == g.height, taps.width == g.width { return (taps.rows, taps.columns) }
    let built = g.axisTaps
    taps = (g.height, g.width, built.rows, built.columns)
    return built
  }

  /// (offset, channel, row, column) of every scalar of one `[channels, height, width]` sample of `shape`, built
  /// once per input shape.
  func placeTable(_ shape: [Int]) -> [SIMD4<Int32>] {
    let channels = shape[1], height = shape[2], width = shape[3]
    if places.count != channels * height * width || placesShape != [channels, height, width] {
      placesShape = [channels, height, width]
      places = []
      places.reserveCapacity(channels * height * width)
      for channel in 0..<channels {
        for y in 0..<height {
          for x in 0..<width { places.append(SIMD4(Int32(places.count), Int32(channel), Int32(y), Int32(x))) }
        }
      }
    }
    return places
  }

  /// The forward pass by scattering nonzeros into `[positions, outChannels]` accumulators per sample.
  func scatterForward(_ input: Tensor, _ list: SparseList, _ g: ConvolutionGeometry, threads: Int) -> Tensor {
    let batch = input.shape[0], outChannels = outChannels, positions = g.outHeight * g.outWidth
    let sampleSize = g.channels * g.height * g.width
    let taps = transposedWeight()
    defer { taps.deallocate() }
    return Tensor(shape: [batch, outChannels, g.outHeight, g.outWidth]) { y in
      input.withUnsafePointer { x in
        bias.value.withUnsafePointer { b in
          let source = SendableFloats(UnsafeMutablePointer(mutating: x)), target = SendableFloats(y), list = list
          let (rowTaps, columnTaps) = axisTaps(g)
          let bias = SendableFloats(UnsafeMutablePointer(mutating: b)), tap = SendableFloats(taps)
          forEachSampleRange(batch, threads: threads, work: sampleSize) { samples in
            let accumulators = UnsafeMutablePointer<Float>.allocate(capacity: positions * outChannels)
            defer { accumulators.deallocate() }
            for sample in samples {
              for position in 0..<positions { (accumulators + position * outChannels).update(from: bias.base, count: outChannels) }
              g.scatter(source.base + sample * sampleSize, nonzeros: list.sample(sample), rows: rowTaps, columns: columnTaps,
                        from: tap.base, into: accumulators, width: outChannels, sourceByPosition: false)
              transpose(accumulators, rows: positions, columns: outChannels, into: target.base + sample * outChannels * positions)
            }
          }
        }
      }
    }
  }

  /// Adds ∂loss/∂weight for the last (scattered) forward: each nonzero input times the output gradients it
  /// reached. Samples are visited in order, so the sums do not depend on threads.
  func scatterWeightGradient(_ outputGradient: Tensor, input: Tensor, _ list: SparseList, _ g: ConvolutionGeometry) {
    let batch = input.shape[0], outChannels = outChannels, positions = g.outHeight * g.outWidth
    let sampleSize = g.channels * g.height * g.width, rows = g.columnRows
    let sums = UnsafeMutablePointer<Float>.allocate(capacity: rows * outChannels)
    let dyT = UnsafeMutablePointer<Float>.allocate(capacity: positions * outChannels)
    defer { sums.deallocate(); dyT.deallocate() }
    sums.initialize(repeating: 0, count: rows * outChannels)
    let (rowTaps, columnTaps) = axisTaps(g)
    input.withUnsafePointer { x in
      outputGradient.withUnsafePointer { dy in
        for sample in 0..<batch {
          transpose(dy + sample * outChannels * positions, rows: outChannels, columns: positions, into: dyT)
          g.scatter(x + sample * sampleSize, nonzeros: list.sample(sample), rows: rowTaps, columns: columnTaps,
                    from: dyT, into: sums, width: outChannels, sourceByPosition: true)
        }
      }
    }
    weight.gradient.withUnsafeMutablePointer { dw in
      for o in 0..<outChannels { for row in 0..<rows { dw[o * rows + row] += sums[row * outChannels + o] } }
    }
  }

  /// The weight as `[inChannels · kernel², outChannels]`: one contiguous vector per kernel tap.
  private func transposedWeight() -> UnsafeMutablePointer<Float> {
    let rows = inChannels * kernel * kernel, outChannels = outChannels
    let taps = UnsafeMutablePointer<Float>.allocate(capacity: rows * outChannels)
    weight.value.withUnsafePointer { w in
      for o in 0..<outChannels { for row in 0..<rows { taps[row * outChannels + o] = w[o * rows + row] } }
    }
    return taps
  }
}

/// Where a batch's nonzero scalars are: sample `s` has `entries[starts[s]..<starts[s + 1]]`, each (offset inside
/// the sample, channel, row, column).
struct SparseList: Sendable {
  var entries: [SIMD4<Int32>]
  var starts: [Int]
  func sample(_ s: Int) -> ArraySlice<SIMD4<Int32>> { entries[starts[s]..<starts[s + 1]] }
}

/// For each input row (or column), the kernel rows (columns) that cover it and the output row (column) each
/// lands on, so scattering needs no division.
struct AxisTaps {
  var starts: [Int] = [0]
  var kernelIndex: [Int] = []
  var output: [Int] = []

  init(size: Int, outSize: Int, kernel: Int, stride: Int, padding: Int) {
    for position in 0..<size {
      for k in 0..<kernel {
        let t = position + padding - k
        if t >= 0 && t % stride == 0 && t / stride < outSize { kernelIndex.append(k); output.append(t / stride) }
      }
      starts.append(output.count)
    }
  }
}

extension ConvolutionGeometry {
  /// For every nonzero scalar of the image `x` (listed in `nonzeros`) and every output position whose kernel
  /// window covers it, adds `value ·` a `width`-float vector of `source` to one of `target`: the tap's to the
  /// position's, or with `sourceByPosition` the position's to the tap's (``scatter(_:vector:)``, in the widest
  /// registers the CPU has; the same sums whichever runs).
  func scatter(_ x: UnsafePointer<Float>, nonzeros: ArraySlice<SIMD4<Int32>>, rows: AxisTaps, columns: AxisTaps,
               from source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, width: Int,
               sourceByPosition: Bool, kernel level: MatrixKernel = .best) {
    rows.kernelIndex.withUnsafeBufferPointer { ki in rows.output.withUnsafeBufferPointer { oy in
      columns.kernelIndex.withUnsafeBufferPointer { kj in columns.output.withUnsafeBufferPointer { ox in
        rows.starts.withUnsafeBufferPointer { rowStarts in columns.starts.withUnsafeBufferPointer { columnStarts in
          nonzeros.withUnsafeBufferPointer { nonzeros in
            let pass = ScatterPass(
              nonzeros: nonzeros, input: x, rowStarts: rowStarts, kernelRows: ki, outputRows: oy,
              columnStarts: columnStarts, kernelColumns: kj, outputColumns: ox, kernel: kernel, outWidth: outWidth,
              width: width, source: source, target: target, sourceByPosition: sourceByPosition)
            switch level {
            case .avx512: avx512Scatter(pass)
            case .haswell: haswellScatter(pass)
            case .sse: NeuralNetworksLoops.scatter(pass, vector: SIMD8<Float>.self)
            }
          }
        }}
      }}
    }}
  }

  /// The tap tables of this geometry's rows and columns.
  var axisTaps: (rows: AxisTaps, columns: AxisTaps) {
    (AxisTaps(size: height, outSize: outHeight, kernel: kernel, stride: stride, padding: padding),
     AxisTaps(size: width, outSize: outWidth, kernel: kernel, stride: stride, padding: padding))
  }
}

/// Whether the scattered convolution pass this binary runs (``avx512Scatter`` or ``haswellScatter`` on such CPUs in
/// release builds) gives the portable loop's sums bit for bit, forward and weight gradient, on a small random
/// sparse batch with 0/1 and other values and 27 channels (whole 16- and 8-lane groups and a tail). `arcade bench nn
/// gemm` checks it in release builds, which the tests never are.
public func scatterKernelMatchesPortableLoop() -> Bool { scatterCopyMatchesPortableLoop(.best) }

/// ``scatterKernelMatchesPortableLoop()`` for the copy of `level` (tests run the AVX2 and AVX-512 copies compiled
/// for the default CPU).
func scatterCopyMatchesPortableLoop(_ level: MatrixKernel) -> Bool {
  struct Generator: RandomNumberGenerator {
    var state: UInt64 = 0x5EED
    mutating func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state }
  }
  var generator = Generator()
  let conv = Conv2D(inChannels: 3, outChannels: 27, kernel: 3, stride: 2, padding: 1, using: &generator)
  let input = Tensor(shape: [2, 3, 9, 11], scalars: (0..<(2 * 3 * 9 * 11)).map { _ in
    let draw = generator.next() % 16
    return draw == 0 ? 1 : draw == 1 ? Float(generator.next() % 1000) / 250 - 2 : 0
  })
  guard let list = conv.nonzeroList(input) else { return false }
  let g = conv.geometry(input.shape), (rows, columns) = conv.axisTaps(g), sampleSize = 3 * 9 * 11
  // One slot of vectors per (pass, sample), indexed by output position (forward) or by tap (weight gradient).
  let slot = max(g.outHeight * g.outWidth, g.columnRows) * 27
  let source = (0..<slot).map { _ in Float(generator.next() % 2001) / 1000 - 1 }
  let results = [level, .sse].map { level in
    [Float](unsafeUninitializedCapacity: 4 * slot) { out, count in
      out.initialize(repeating: 0)
      count = out.count
      input.withUnsafePointer { x in
        source.withUnsafeBufferPointer { source in
          for (index, byPosition) in [false, true].enumerated() {
            for sample in 0..<2 {
              g.scatter(x + sample * sampleSize, nonzeros: list.sample(sample), rows: rows, columns: columns,
                        from: source.baseAddress!, into: out.baseAddress! + (2 * index + sample) * slot, width: 27,
                        sourceByPosition: byPosition, kernel: level)
            }
          }
        }
      }
    }
  }
  return results[0].map(\.bitPattern) == results[1].map(\.bitPattern)
}
