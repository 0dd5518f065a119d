import Agents
import EnvironmentCore
import Foundation
import NeuralNetworks
import Testing

@Suite struct MunchausenTests {
  /// A learner whose target network outputs Q = (5, 0) in every state, holding three transitions:
  /// into frame 1 (action 1, reward 0.25, truncated), into 2 (action 1, reward 1, terminated), into 4 (action 0,
  /// reward 0, ongoing, in a second episode).
  func learner(scale: Double, temperature: Double) -> DQN {
    var c = smallConfiguration()
    c.munchausenScale = scale
    c.munchausenTemperature = temperature
    c.doubleDQN = false  // so that scale 0 gives the plain max target
    let dqn = DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 1)
    let output = dqn.targetNetwork.parameters.suffix(2)
    output.first!.value = Tensor(shape: output.first!.value.shape)
    output.last!.value = Tensor(shape: [2], scalars: [5, 0])
    func frame(_ v: UInt8) -> [UInt8] { [UInt8](repeating: v, count: 8) }
    frame(0).withUnsafeBytes { _ = dqn.beginEpisode(frame: $0) }
    frame(1).withUnsafeBytes { _ = dqn.observe(action: 1, reward: 0.25, outcome: .truncated, frame: $0) }
    frame(2).withUnsafeBytes { _ = dqn.observe(action: 1, reward: 1, outcome: .terminated, frame: $0) }
    frame(3).withUnsafeBytes { _ = dqn.beginEpisode(frame: $0) }
    frame(4).withUnsafeBytes { _ = dqn.observe(action: 0, reward: 0, outcome: .ongoing, frame: $0) }
    return dqn
  }

  @Test func targetsAddTheClippedLogPolicyBonusAndBootstrapFromTheSoftValue() {
    let targets = learner(scale: 0.9, temperature: 0.5).tdTargets(for: [1, 2, 4])
    // π = softmax((5, 0)/0.5): ln π(1) = −10 − ln(1 + e⁻¹⁰), so 0.5·ln π(1) ≈ −5 is clipped to −1.
    let logPolicy = [-log1p(exp(-10.0)), -10 - log1p(exp(-10.0))]
    let softValue = 0.5 * (10 + log1p(exp(-10.0)))  // Σ π(q − τ ln π) = τ·ln Σ exp(q/τ)
    let expected = [0.25 + 0.9 * -1 + 0.9 * softValue,  // truncated: bootstraps
                    1 + 0.9 * -1,  // terminated: the bonus, no bootstrap
                    0 + 0.9 * 0.5 * logPolicy[0] + 0.9 * softValue]  // the likely action: a tiny penalty
    #expect(targets.count == expected.count, "one target per transition")
    for (target, value) in zip(targets, expected) { #expect(abs(Double(target) - value) < 1e-5, "\(targets) vs \(expected)") }
  }

  @Test func scaleZeroIsPlainDQNAndBadSettingsAreNamed() {
    let targets = learner(scale: 0, temperature: 0.5).tdTargets(for: [1])
    #expect(abs(targets[0] - (0.25 + 0.9 * 5)) < 1e-5, "scale 0 is plain DQN: \(targets)")
    var c = smallConfiguration()
    c.munchausenScale = 1.5
    c.munchausenTemperature = 0
    #expect(c.problems().map(\.key) == ["munchausenScale", "munchausenTemperature"])
  }
}
