import EnvironmentCore
import Testing
@testable import Games

/// Random-policy statistics of the reference implementation (vicariousinc/schema-games 95a661f, run under
/// Python 3 with syntax-only fixes; a fresh environment per episode with the accelerator counter reset, so
/// that speed-ups fire per episode as in our port; uniform random actions, step cap 5,000).
/// Each row: episodes, mean and standard error of the return, mean and standard error of the length.
struct ReferenceStatistics: Sendable {
  let episodes: Int
  let meanReturn: Double, returnError: Double
  let meanLength: Double, lengthError: Double

  static let byVariant: [String: ReferenceStatistics] = [
    "standard": .init(episodes: 300, meanReturn: -1.627, returnError: 0.126, meanLength: 303.8, lengthError: 14.09),
    "offset-paddle": .init(episodes: 300, meanReturn: -1.340, returnError: 0.127, meanLength: 308.9, lengthError: 10.80),
    "middle-wall": .init(episodes: 300, meanReturn: -2.237, returnError: 0.113, meanLength: 332.0, lengthError: 26.54),
    "half-negative": .init(episodes: 300, meanReturn: -2.837, returnError: 0.113, meanLength: 297.0, lengthError: 13.12),
    "moving-obstacles": .init(episodes: 300, meanReturn: -0.053, returnError: 0.178, meanLength: 470.3, lengthError: 15.9),
    "random-target": .init(episodes: 300, meanReturn: -2.233, returnError: 0.067, meanLength: 229.7, lengthError: 9.4),
    "juggling": .init(episodes: 300, meanReturn: -8.157, returnError: 0.048, meanLength: 482.8, lengthError: 12.3),
  ]

  /// Steps until the first ball is lost in Standard, 1,000 reference episodes: mean 100.3, standard error 4.52.
  static let firstLoss = (mean: 100.3, error: 4.52)
}

@Suite struct BreakoutReferenceStatisticsTests {
  /// Mean and standard error of `values`.
  func estimate(_ values: [Double]) -> (mean: Double, error: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return (mean, (variance / Double(values.count)).squareRoot())
  }

  /// Agreement within four combined standard errors: a false alarm about once in 15,000 runs per check,
  /// while a wrong paddle speed, bounce rule or respawn height moves these means by far more.
  func agree(_ ours: (mean: Double, error: Double), _ reference: Double, _ referenceError: Double) -> Bool {
    abs(ours.mean - reference) <= 4 * (ours.error * ours.error + referenceError * referenceError).squareRoot()
  }

  @Test(arguments: ReferenceStatistics.byVariant.keys.sorted())
  func randomPolicyMatchesReference(variant: String) throws {
    let reference = ReferenceStatistics.byVariant[variant]!
    var g = try game(variant)
    var policy = SplitMix64(seed: 2017)
    var returns: [Double] = [], lengths: [Double] = []
    for episode in 0..<600 {
      g.reset(seed: SplitMix64.derive(99, UInt64(episode)))
      var total = 0.0, steps = 0
      while steps < 5_000 {
        let t = g.advance(policy.nextInt(below: 3))
        total += t.reward
        steps += 1
        if t.isTerminal { break }
      }
      returns.append(total)
      lengths.append(Double(steps))
    }
    let r = estimate(returns), l = estimate(lengths)
    #expect(agree(r, reference.meanReturn, reference.returnError), "\(variant) return \(r.mean) vs \(reference.meanReturn)")
    #expect(agree(l, reference.meanLength, reference.lengthError), "\(variant) length \(l.mean) vs \(reference.meanLength)")
  }

  @Test func stepsToFirstLostBallMatchReference() throws {
    var g = try game("standard")
    var policy = SplitMix64(seed: 5)
    var firsts: [Double] = []
    for episode in 0..<1_000 {
      g.reset(seed: SplitMix64.derive(7, UInt64(episode)))
      var steps = 0
      while g.lives == 3 && steps < 5_000 {
        _ = g.advance(policy.nextInt(below: 3))
        steps += 1
      }
      firsts.append(Double(steps))
    }
    let ours = estimate(firsts)
    #expect(agree(ours, ReferenceStatistics.firstLoss.mean, ReferenceStatistics.firstLoss.error), "\(ours.mean)")
  }
}
