extension Duration {
  /// The duration in seconds, for timings in reports and benchmarks.
  package var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
