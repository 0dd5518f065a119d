import Foundation
import NeuralNetworks

/// How a TD target bootstraps from the state its n-step return ends in, s′ (a ``DQNConfiguration`` picks it:
/// ``DQNConfiguration/tdTarget``).
public enum TDTarget: Sendable, Hashable {
  /// r + γⁿ·maxₐ Q̄(s′, a), the target network's best value (Mnih et al. 2015).
  case max
  /// r + γⁿ·Q̄(s′, argmaxₐ Q(s′, a)): the online network picks, the target network evaluates (van Hasselt et al. 2016).
  case double
  /// Munchausen DQN (Vieillard et al. 2020): r + α·max(τ·ln π(a|s), −1) + γⁿ·Σₐ′ π(a′|s′)(Q̄(s′, a′) − τ·ln π(a′|s′)),
  /// π = softmax(Q̄/τ), with α = `scale`, τ = `temperature`.
  case munchausen(scale: Double, temperature: Double)
}

/// The discounted rewards of up to n steps after each sampled transition, and where they end.
struct NStepReturns {
  var returns: [Float]
  /// γⁿ for the steps summed; 0 after a terminal step (no bootstrap).
  var discounts: [Float]
  /// The replay index of the state each return bootstraps from.
  var last: [Int]
}

extension DQN {
  /// TD targets for the transitions into `indices`: the n-step return (n = `nStep`) within the episode, plus the
  /// bootstrap of ``tdTarget`` from the state after it. No bootstrap after a terminal step; an episode cut by the
  /// time limit (the next frame starts a new episode) bootstraps from its last state. `states`, the network
  /// input of the states the transitions leave, saves Munchausen decoding them again.
  public func tdTargets(for indices: [Int], states: Tensor? = nil) -> [Float] {
    let n = nStepReturns(for: indices)
    let next = batchInput(n.last)
    let nextQ = targetNetwork.forward(next)
    switch tdTarget {
    case .max: return bootstrapped(n, nextQ: nextQ, choosingBy: nextQ)
    case .double: return bootstrapped(n, nextQ: nextQ, choosingBy: onlineNetwork.forward(next))
    case .munchausen(let scale, let temperature):
      return munchausenTargets(for: indices, states: states ?? batchInput(indices.map { $0 - 1 }), returns: n,
                               nextQ: nextQ, scale: Float(scale), temperature: Float(temperature))
    }
  }

  func nStepReturns(for indices: [Int]) -> NStepReturns {
    var n = NStepReturns(returns: [Float](repeating: 0, count: indices.count), discounts: [], last: indices)
    n.discounts = n.returns
    let gamma = Float(configuration.gamma)
    for (b, index) in indices.enumerated() {
      var discount: Float = 1
      for j in index..<min(index + configuration.nStep, replay.written) {
        if j > index && replay.startsEpisode(j) { break }
        let t = replay.transition(into: j)
        n.returns[b] += discount * t.reward
        discount *= gamma
        n.last[b] = j
        if t.terminated { discount = 0; break }
      }
      n.discounts[b] = discount
    }
    return n
  }

  /// return + γⁿ·Q̄(s′, a*), a* the argmax of `choosingBy`'s row.
  private func bootstrapped(_ n: NStepReturns, nextQ: Tensor, choosingBy chooser: Tensor) -> [Float] {
    n.returns.indices.map { b in
      guard n.discounts[b] > 0 else { return n.returns[b] }
      let row = (0..<actionCount).map { chooser[b * actionCount + $0] }
      return n.returns[b] + n.discounts[b] * nextQ[b * actionCount + Self.argmax(row)]
    }
  }

  /// Lower clip of the scaled log-policy bonus, τ·ln π (Vieillard et al. 2020's l₀): an action the target
  /// policy all but rules out costs at most α, not an unbounded amount.
  static let munchausenClip: Float = -1

  private func munchausenTargets(for indices: [Int], states: Tensor, returns n: NStepReturns, nextQ: Tensor,
                                 scale alpha: Float, temperature tau: Float) -> [Float] {
    let currentQ = targetNetwork.forward(states)
    var logPolicy = [Float](repeating: 0, count: actionCount)
    return indices.indices.map { b in
      Self.logSoftmax(currentQ, row: b, temperature: tau, into: &logPolicy)
      let action = replay.transition(into: indices[b]).action
      let bonus = alpha * Swift.max(tau * logPolicy[action], Self.munchausenClip)
      guard n.discounts[b] > 0 else { return n.returns[b] + bonus }
      Self.logSoftmax(nextQ, row: b, temperature: tau, into: &logPolicy)
      var softValue: Float = 0
      for a in logPolicy.indices {
        softValue += exp(logPolicy[a]) * (nextQ[b * logPolicy.count + a] - tau * logPolicy[a])
      }
      return n.returns[b] + bonus + n.discounts[b] * softValue
    }
  }

  /// ln softmax(q/τ) of row `row` of the `[batch, actions]` tensor `q`, written into `out` (`actions` long);
  /// the row's maximum is subtracted first so exp never overflows.
  static func logSoftmax(_ q: Tensor, row: Int, temperature: Float, into out: inout [Float]) {
    let base = row * out.count
    var top = -Float.infinity
    for a in out.indices { top = Swift.max(top, q[base + a]) }
    var sum: Float = 0
    for a in out.indices {
      out[a] = (q[base + a] - top) / temperature
      sum += exp(out[a])
    }
    let logSum = log(sum)
    for a in out.indices { out[a] -= logSum }
  }
}
