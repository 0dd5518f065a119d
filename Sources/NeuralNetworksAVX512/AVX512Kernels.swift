// The matrix kernels compiled for AVX-512 (`-target-cpu skylake-avx512` in release builds on x86-64 hosts: its
// F, CD, BW, DQ and VL subsets, which every AVX-512 CPU since 2017 has). A 16-column panel is one 512-bit
// register, so a tile of eight rows keeps sixteen accumulators (two panels) in flight, enough to hide the
// fused multiply-add's latency on CPUs that issue two a cycle. Only `NeuralNetworks` calls these, and only after
// checking the CPU and the operating system: elsewhere they stop with SIGILL.
//
// Every element is the same chain of fused multiply-adds from zero, in depth order, as in the AVX2 kernel, then
// added to C when `accumulate`: the products are bit-identical whichever kernel runs.

/// `c[r][j] = Σ_p a[p][r] · b[p][j]` (plus the old `c[r][j]` when `accumulate`) for an 8 × 32 block over `length`
/// depth steps: `a` packed 8 per step; columns 0–15 from the panel `b`, 16–31 from `secondPanel`, each 16 per
/// step; the rows of `c` `rowStride` floats apart.
public func avx512MicroKernel(_ length: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                              secondPanel: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, rowStride: Int,
                              accumulate: Bool) {
  eightRowKernel(length, a, b, secondPanel, c, rowStride: rowStride, accumulate: accumulate, twoPanels: true)
}

/// ``avx512MicroKernel(_:_:_:secondPanel:_:rowStride:accumulate:)`` for one 16-column panel (8 × 16).
public func avx512PanelKernel(_ length: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                              _ c: UnsafeMutablePointer<Float>, rowStride: Int, accumulate: Bool) {
  eightRowKernel(length, a, b, b, c, rowStride: rowStride, accumulate: accumulate, twoPanels: false)
}

@inline(__always)
private func eightRowKernel(_ length: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                            _ b2: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, rowStride: Int,
                            accumulate: Bool, twoPanels: Bool) {
  typealias V = SIMD16<Float>
  var c00 = V(), c10 = V(), c20 = V(), c30 = V(), c40 = V(), c50 = V(), c60 = V(), c70 = V()
  var c01 = V(), c11 = V(), c21 = V(), c31 = V(), c41 = V(), c51 = V(), c61 = V(), c71 = V()
  var pa = UnsafeRawPointer(a), pb = UnsafeRawPointer(b), pb2 = UnsafeRawPointer(b2)
  for _ in 0..<length {
    let b0 = pb.loadUnaligned(as: V.self)
    let b1 = twoPanels ? pb2.loadUnaligned(as: V.self) : V()
    var s = V(repeating: pa.load(as: Float.self))
    c00 = c00.addingProduct(s, b0); if twoPanels { c01 = c01.addingProduct(s, b1) }
    s = V(repeating: pa.load(fromByteOffset: 4, as: Float.self))
    c10 = c10.addingProduct(s, b0); if twoPanels { c11 = c11.addingProduct(s, b1) }
    s = V(repeating: pa.load(fromByteOffset: 8, as: Float.self))
    c20 = c20.addingProduct(s, b0); if twoPanels { c21 = c21.addingProduct(s, b1) }
    s = V(repeating: pa.load(fromByteOffset: 12, as: Float.self))
    c30 = c30.addingProduct(s, b0); if twoPanels { c31 = c31.addingProduct(s, b1) }
    s = V(repeating: pa.load(fromByteOffset: 16, as: Float.self))
    c40 = c40.addingProduct(s, b0); if twoPanels { c41 = c41.addingProduct(s, b1) }
    s = V(repeating: pa.load(fromByteOffset: 20, as: Float.self))
    c50 = c50.addingProduct(s, b0); if twoPanels { c51 = c51.addingProduct(s, b1) }
    s = V(repeating: pa.load(fromByteOffset: 24, as: Float.self))
    c60 = c60.addingProduct(s, b0); if twoPanels { c61 = c61.addingProduct(s, b1) }
    s = V(repeating: pa.load(fromByteOffset: 28, as: Float.self))
    c70 = c70.addingProduct(s, b0); if twoPanels { c71 = c71.addingProduct(s, b1) }
    pa += 32; pb += 64; pb2 += 64
  }
  @inline(__always) func write(_ low: V, _ high: V, row: Int) {
    let out = UnsafeMutableRawPointer(c + row * rowStride)
    out.storeBytes(of: accumulate ? out.loadUnaligned(as: V.self) + low : low, as: V.self)
    if twoPanels {
      out.storeBytes(of: accumulate ? out.loadUnaligned(fromByteOffset: 64, as: V.self) + high : high,
                     toByteOffset: 64, as: V.self)
    }
  }
  write(c00, c01, row: 0)
  write(c10, c11, row: 1)
  write(c20, c21, row: 2)
  write(c30, c31, row: 3)
  write(c40, c41, row: 4)
  write(c50, c51, row: 5)
  write(c60, c61, row: 6)
  write(c70, c71, row: 7)
}
