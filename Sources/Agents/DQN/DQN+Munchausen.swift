import Foundation
import NeuralNetworks

extension DQN {
  /// Lower clip of the scaled log-policy bonus, τ·ln π (Vieillard et al. 2020's l₀): an action the target
  /// policy all but rules out costs at most α, not an unbounded amount.
  static let munchausenClip: Float = -1

  /// Munchausen-DQN targets (Vieillard et al. 2020) for transitions into `indices` from `states` (network
  /// input), given their n-step `returns`, the `discounts` γⁿ (0 after a terminal step) and the target
  /// network's Q-values `nextQ` at the states the returns end in: return + α·max(τ·ln π(a|s), l₀) + γⁿ·Σ π(a′|s′)(Q̄(s′, a′) − τ·ln π(a′|s′)),
  /// with π = softmax(Q̄/τ) of the target network Q̄.
  func munchausenTargets(for indices: [Int], states: Tensor, returns: [Float], discounts: [Float], nextQ: Tensor) -> [Float] {
    let tau = Float(configuration.munchausenTemperature), alpha = Float(configuration.munchausenScale)
    let currentQ = targetNetwork.forward(states)
    var logPolicy = [Float](repeating: 0, count: actionCount)
    return indices.indices.map { b in
      Self.logSoftmax(currentQ, row: b, temperature: tau, into: &logPolicy)
      let action = replay.transition(into: indices[b]).action
      let bonus = alpha * max(tau * logPolicy[action], Self.munchausenClip)
      guard discounts[b] > 0 else { return returns[b] + bonus }
      Self.logSoftmax(nextQ, row: b, temperature: tau, into: &logPolicy)
      var softValue: Float = 0
      for a in logPolicy.indices {
        softValue += exp(logPolicy[a]) * (nextQ[b * logPolicy.count + a] - tau * logPolicy[a])
      }
      return returns[b] + bonus + discounts[b] * softValue
    }
  }

  /// ln softmax(q/τ) of row `row` of the `[batch, actions]` tensor `q`, written into `out` (`actions` long);
  /// the row's maximum is subtracted first so exp never overflows.
  static func logSoftmax(_ q: Tensor, row: Int, temperature: Float, into out: inout [Float]) {
    let base = row * out.count
    var top = -Float.infinity
    for a in out.indices { top = max(top, q[base + a]) }
    var sum: Float = 0
    for a in out.indices {
      out[a] = (q[base + a] - top) / temperature
      sum += exp(out[a])
    }
    let logSum = log(sum)
    for a in out.indices { out[a] -= logSum }
  }
}
