/// Steele, Lea and Flood's SplitMix64 generator (2014): tiny state, fast, and good enough for simulation.
///
/// Every random choice in the project flows from one of these, seeded explicitly, so a seed fixes a
/// trajectory bit for bit. The state is public so checkpoints can store and restore it.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
  /// The generator's whole state.
  public var state: UInt64

  public init(seed: UInt64) { state = seed }

  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }

  /// SplitMix64's output function: a bijective 64-bit mixer.
  @inlinable
  public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A seed for the `index`-th independent child stream of `seed` (episodes, environments, jobs).
  @inlinable
  public static func derive(_ seed: UInt64, _ index: UInt64) -> UInt64 {
    mix(mix(seed) &+ (index &+ 1) &* 0xD1B5_4A32_D192_ED03)
  }

  /// The seed of an agent's own random choices in the episode reset with `episodeSeed`: one rule for
  /// rollouts, recordings, renders and the viewer, so they all play the same episodes.
  @inlinable
  public static func agentSeed(forEpisode episodeSeed: UInt64) -> UInt64 { derive(episodeSeed, 0xA9E47) }

  /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection: unbiased).
  @inlinable
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    let range = UInt64(bound)
    var product = next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold { product = next().multipliedFullWidth(by: range) }
    }
    return Int(product.high)
  }

  /// A uniform integer in `range`.
  @inlinable
  public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + nextInt(below: range.count)
  }

  /// A uniform `Double` in `[0, 1)` with 53 random bits.
  @inlinable
  public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// `true` with probability `p`.
  @inlinable
  public mutating func nextBool(probability p: Double) -> Bool { nextUnit() < p }
}
