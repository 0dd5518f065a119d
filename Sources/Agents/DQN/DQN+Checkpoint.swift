import EnvironmentCore
import NeuralNetworks

/// A checkpoint that cannot be restored into this learner.
public struct CheckpointError: Error, CustomStringConvertible, Sendable {
  public var description: String
}

extension DQN {
  /// Everything needed to continue training exactly: both networks, Adam's moments and step count, the
  /// learner's RNG and step counters, `extra` words from the caller (e.g. its seed stream), and optionally
  /// the replay buffer (with its priorities when prioritized). Stored in ``WeightsFormat`` (magic, version,
  /// shapes, CRC-32).
  public func checkpoint(includeReplay: Bool, extra: [UInt64] = []) -> [UInt8] {
    let parameters = onlineNetwork.parameters
    let moments = optimizer.firstMoments.isEmpty ? parameters.map { Tensor(shape: $0.value.shape) } : optimizer.firstMoments
    let seconds = optimizer.secondMoments.isEmpty ? moments : optimizer.secondMoments
    let words: [UInt64] = [UInt64(steps), UInt64(updates), UInt64(optimizer.steps), rng.state, includeReplay ? 1 : 0, UInt64(extra.count)] + extra
    var tensors = [Self.tensor(words)]
    tensors += parameters.map(\.value) + targetNetwork.parameters.map(\.value) + moments + seconds
    if includeReplay { tensors += replay.encoded() }
    return WeightsFormat.encode(tensors)
  }

  /// Restores a ``checkpoint(includeReplay:extra:)``; returns its `extra` words. Throws on corruption or a
  /// network of another shape.
  @discardableResult
  public func restore(_ bytes: [UInt8]) throws -> [UInt64] {
    let tensors: [Tensor]
    do { tensors = try WeightsFormat.decode(bytes) } catch { throw CheckpointError(description: "checkpoint unreadable: \(error)") }
    guard let first = tensors.first, first.count >= 12 else { throw CheckpointError(description: "checkpoint has no header") }
    let words = Self.words(first)
    // Counts are checked as unsigned words first: a crafted header must not trap in Int conversions.
    let limit = UInt64(1) << 50
    guard words.count >= 6, words[5] == UInt64(words.count - 6), words[0] < limit, words[1] < limit, words[2] < limit else {
      throw CheckpointError(description: "checkpoint header is malformed")
    }
    let shapes = onlineNetwork.parameters.map(\.value.shape)
    let p = shapes.count
    // The replay buffer is five tensors, six with priorities (from a prioritized learner).
    let hasReplay = words[4] == 1
    guard hasReplay ? (5...6).contains(tensors.count - (1 + 4 * p)) : tensors.count == 1 + 4 * p else {
      let needed = "\(4 * p)\(hasReplay ? " plus the replay buffer" : "")"
      throw CheckpointError(description: "checkpoint holds \(tensors.count - 1) tensors; this network needs \(needed)")
    }
    for k in 0..<4 {
      let group = tensors[(1 + k * p)..<(1 + (k + 1) * p)].map(\.shape)
      guard group == shapes else { throw CheckpointError(description: "checkpoint was written for another network (shapes \(group) vs \(shapes))") }
    }
    for (i, parameter) in onlineNetwork.parameters.enumerated() { parameter.value = tensors[1 + i] }
    for (i, parameter) in targetNetwork.parameters.enumerated() { parameter.value = tensors[1 + p + i] }
    optimizer.firstMoments = Array(tensors[(1 + 2 * p)..<(1 + 3 * p)])
    optimizer.secondMoments = Array(tensors[(1 + 3 * p)..<(1 + 4 * p)])
    optimizer.steps = Int(words[2])
    if optimizer.steps == 0 { optimizer.firstMoments = []; optimizer.secondMoments = [] }
    if hasReplay {
      guard let buffer = ReplayBuffer(decoding: tensors[(1 + 4 * p)...], stackStride: replay.stackStride, prioritized: replay.priorities != nil),
            buffer.frameBytes == replay.frameBytes, buffer.stack == replay.stack else {
        throw CheckpointError(description: "checkpoint's replay buffer does not fit this learner")
      }
      replay = buffer
    }
    steps = Int(words[0])
    updates = Int(words[1])
    rng = SplitMix64(seed: words[3])
    return Array(words[6...])
  }

  static func tensor(_ words: [UInt64]) -> Tensor {
    let halves = words.flatMap { [Float(bitPattern: UInt32(truncatingIfNeeded: $0)), Float(bitPattern: UInt32(truncatingIfNeeded: $0 >> 32))] }
    return Tensor(shape: [halves.count], scalars: halves)
  }

  static func words(_ tensor: Tensor) -> [UInt64] {
    stride(from: 0, to: tensor.count - 1, by: 2).map { UInt64(tensor[$0].bitPattern) | UInt64(tensor[$0 + 1].bitPattern) << 32 }
  }
}
