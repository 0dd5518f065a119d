#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

// Element-wise helpers of Conv2D's passes: each keeps the order of every sum of the plain loop it replaces,
// so results do not change, only the time.

/// The set lanes of `v .!= 0` as bits (lane i → bit i).
@inline(__always)
func nonzeroLanes(_ v: SIMD8<Float>) -> UInt32 {
  #if arch(x86_64)
  // Two SSE compares and sign-bit gathers: Swift's portable mask reductions go lane by lane here.
  let zero = _mm_setzero_ps()
  let low = _mm_movemask_ps(_mm_cmpneq_ps(unsafeBitCast(v.lowHalf, to: __m128.self), zero))
  let high = _mm_movemask_ps(_mm_cmpneq_ps(unsafeBitCast(v.highHalf, to: __m128.self), zero))
  return UInt32(truncatingIfNeeded: low | high << 4)
  #else
  let bits = SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)
  return UInt32(truncatingIfNeeded: SIMD8<Int32>().replacing(with: bits, where: v .!= 0).wrappedSum())
  #endif
}

/// Writes the row-major `rows × columns` matrix `source` transposed (`columns × rows`) into `target`, four rows
/// at a time through ``transposeFour(_:stride:length:into:stride:)``'s 4 × 4 vector blocks.
func transpose(_ source: UnsafePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>) {
  var row = 0
  while row + 4 <= rows {
    transposeFour(UnsafeMutablePointer(mutating: source + row * columns), stride: columns, length: columns,
                  into: target + row, stride: rows)
    row += 4
  }
  for row in row..<rows {
    for column in 0..<columns { target[column * rows + row] = source[row * columns + column] }
  }
}

/// Adds to `db[c]` the sum of channel c's values in the `[batch, channels, positions]` array `dy`, summed in
/// the plain order (sample by sample, position by position) from zero; four channels' sums run side by side,
/// so the additions do not wait on one another.
func addChannelSums(_ dy: UnsafePointer<Float>, batch: Int, channels: Int, positions: Int,
                    into db: UnsafeMutablePointer<Float>) {
  var channel = 0
  while channel + 4 <= channels {
    var sums = SIMD4<Float>()
    for sample in 0..<batch {
      let row = dy + (sample * channels + channel) * positions
      for index in 0..<positions {
        sums += SIMD4(row[index], row[positions + index], row[2 * positions + index], row[3 * positions + index])
      }
    }
    for lane in 0..<4 { db[channel + lane] += sums[lane] }
    channel += 4
  }
  for channel in channel..<channels {
    var sum: Float = 0
    for sample in 0..<batch {
      let row = dy + (sample * channels + channel) * positions
      for index in 0..<positions { sum += row[index] }
    }
    db[channel] += sum
  }
}
