// Loop bodies that `NeuralNetworks` and its kernel modules share. Each is `@inlinable`, so every module that calls
// one compiles it for its own CPU: the default build's SSE in `NeuralNetworks`, AVX2 in `NeuralNetworksHaswell`,
// AVX-512 in `NeuralNetworksAVX512`. They add and multiply lane by lane, never fused, in the same order whatever
// the vector width, so all copies give the same bits.

/// One sample's part of a scattered convolution pass: every nonzero input scalar adds `value ·` a source vector
/// to a target vector, for each kernel tap that reaches an output. The forward pass reads the weight vector of the
/// tap (``sourceByPosition`` false) and adds into the output position's accumulators; the weight gradient reads
/// the output position's gradients and adds into the tap's sums.
public struct ScatterPass {
  /// (offset, channel, row, column) of each nonzero input scalar.
  public var nonzeros: UnsafeBufferPointer<SIMD4<Int32>>
  /// The sample's input.
  public var input: UnsafePointer<Float>
  /// Per input row: `rowStarts[y]..<rowStarts[y + 1]` index the kernel rows covering it and the output rows they
  /// land on (`kernelRows`, `outputRows`); likewise for columns.
  public var rowStarts: UnsafeBufferPointer<Int>, kernelRows: UnsafeBufferPointer<Int>
  public var outputRows: UnsafeBufferPointer<Int>, columnStarts: UnsafeBufferPointer<Int>
  public var kernelColumns: UnsafeBufferPointer<Int>, outputColumns: UnsafeBufferPointer<Int>
  public var kernel: Int
  public var outWidth: Int
  /// Floats per vector (the output channels).
  public var width: Int
  public var source: UnsafePointer<Float>
  public var target: UnsafeMutablePointer<Float>
  /// Whether the source vectors are indexed by output position (and the targets by tap), not the reverse.
  public var sourceByPosition: Bool

  public init(nonzeros: UnsafeBufferPointer<SIMD4<Int32>>, input: UnsafePointer<Float>,
              rowStarts: UnsafeBufferPointer<Int>, kernelRows: UnsafeBufferPointer<Int>, outputRows: UnsafeBufferPointer<Int>,
              columnStarts: UnsafeBufferPointer<Int>, kernelColumns: UnsafeBufferPointer<Int>,
              outputColumns: UnsafeBufferPointer<Int>, kernel: Int, outWidth: Int,
              width: Int, source: UnsafePointer<Float>, target: UnsafeMutablePointer<Float>, sourceByPosition: Bool) {
    self.nonzeros = nonzeros
    self.input = input
    self.rowStarts = rowStarts
    self.kernelRows = kernelRows
    self.outputRows = outputRows
    self.columnStarts = columnStarts
    self.kernelColumns = kernelColumns
    self.outputColumns = outputColumns
    self.kernel = kernel
    self.outWidth = outWidth
    self.width = width
    self.source = source
    self.target = target
    self.sourceByPosition = sourceByPosition
  }
}

/// Runs `pass` with `V`-wide vectors (`SIMD8<Float>` or `SIMD16<Float>`).
@inlinable @inline(__always)
public func scatter<V: SIMD>(_ pass: ScatterPass, vector: V.Type) where V.Scalar == Float {
  let width = pass.width
  for entry in pass.nonzeros {
    let value = pass.input[Int(entry[0])], channel = Int(entry[1]), y = Int(entry[2]), column = Int(entry[3])
    for r in pass.rowStarts[y]..<pass.rowStarts[y + 1] {
      let base = (channel * pass.kernel + pass.kernelRows[r]) * pass.kernel, line = pass.outputRows[r] * pass.outWidth
      for c in pass.columnStarts[column]..<pass.columnStarts[column + 1] {
        let tap = base + pass.kernelColumns[c], position = line + pass.outputColumns[c]
        let (from, to) = pass.sourceByPosition ? (position, tap) : (tap, position)
        addScaled(value, pass.source + from * width, to: pass.target + to * width, count: width, vector: V.self)
      }
    }
  }
}

/// `a[i] += value · w[i]` for i in 0..<count, `V`'s lanes at a time, then eight, then one; for `value` 1 the plain
/// `a[i] += w[i]` (1 · w is w exactly, so 0/1 planes skip the multiply and keep the same sums).
@inlinable @inline(__always)
public func addScaled<V: SIMD>(_ value: Float, _ w: UnsafePointer<Float>, to a: UnsafeMutablePointer<Float>, count: Int,
                               vector: V.Type) where V.Scalar == Float {
  if value == 1 {
    let end = addLanes(w, to: a, count: count, V.self) { $0 + $1 }
    let rest = addLanes(w + end, to: a + end, count: count - end, SIMD8<Float>.self) { $0 + $1 } + end
    for i in rest..<count { a[i] += w[i] }
  } else {
    let end = addLanes(w, to: a, count: count, V.self) { $0 + V(repeating: value) * $1 }
    let rest = addLanes(w + end, to: a + end, count: count - end, SIMD8<Float>.self) { $0 + SIMD8(repeating: value) * $1 } + end
    for i in rest..<count { a[i] += value * w[i] }
  }
}

/// `a = combine(a, w)` over whole `V`s of the first `count` floats; returns how many floats it did.
@inlinable @inline(__always)
func addLanes<V: SIMD>(_ w: UnsafePointer<Float>, to a: UnsafeMutablePointer<Float>, count: Int, _: V.Type,
                       _ combine: (V, V) -> V) -> Int where V.Scalar == Float {
  let source = UnsafeRawPointer(w), target = UnsafeMutableRawPointer(a), size = MemoryLayout<V>.size
  var offset = 0
  while offset + size <= count * 4 {
    target.storeBytes(of: combine(target.loadUnaligned(fromByteOffset: offset, as: V.self),
                                  source.loadUnaligned(fromByteOffset: offset, as: V.self)), toByteOffset: offset, as: V.self)
    offset += size
  }
  return offset / 4
}
