import EnvironmentCore
import NeuralNetworks

/// The networks, replay pool and learner step the benchmark times.
struct DQNLearnerBench {
  let online: Sequential
  let target: Sequential
  let batch: Int
  let observationShape: [Int]
  let actionCount: Int
  /// Observations as bytes (minatar: 0/1, nature: 0–255) or, for the MLP, as floats.
  let bytePool: [UInt8]
  let floatPool: [Float]
  let scale: Float
  let poolSize: Int
  let actions: [Int]
  let rewards: [Float]
  let dones: [Float]
  var optimizer = Adam(learningRate: 1e-4)
  var generator: SplitMix64

  init(_ benchCase: NeuralBenchCommand.Case, batch: Int, threads: Int, seed: UInt64) {
    var generator = SplitMix64(seed: seed)
    func make(_ generator: inout SplitMix64) -> Sequential {
      switch benchCase {
      case .minatar:
        Sequential([Conv2D(inChannels: 4, outChannels: 16, kernel: 3, using: &generator), ReLU(), Flatten(),
                    Linear(inputs: 16 * 8 * 8, outputs: 128, using: &generator), ReLU(),
                    Linear(inputs: 128, outputs: 3, using: &generator)], threads: threads)
      case .nature:
        Sequential([Conv2D(inChannels: 4, outChannels: 32, kernel: 8, stride: 4, using: &generator), ReLU(),
                    Conv2D(inChannels: 32, outChannels: 64, kernel: 4, stride: 2, using: &generator), ReLU(),
                    Conv2D(inChannels: 64, outChannels: 64, kernel: 3, stride: 1, using: &generator), ReLU(), Flatten(),
                    Linear(inputs: 3136, outputs: 512, using: &generator), ReLU(),
                    Linear(inputs: 512, outputs: 4, using: &generator)], threads: threads)
      case .mlp, .gemm, .breakout:
        Sequential([Linear(inputs: 100, outputs: 256, using: &generator), ReLU(),
                    Linear(inputs: 256, outputs: 256, using: &generator), ReLU(),
                    Linear(inputs: 256, outputs: 4, using: &generator)], threads: threads)
      }
    }
    online = make(&generator)
    target = make(&generator)
    target.copyParameters(from: online)
    self.batch = batch
    switch benchCase {
    case .minatar: (observationShape, actionCount, poolSize, scale) = ([4, 10, 10], 3, 50_000, 1)
    case .nature: (observationShape, actionCount, poolSize, scale) = ([4, 84, 84], 4, 2_000, 1 / 255)
    case .mlp, .gemm, .breakout: (observationShape, actionCount, poolSize, scale) = ([100], 4, 50_000, 1)
    }
    let size = poolSize * observationShape.reduce(1, *)
    switch benchCase {
    case .minatar: bytePool = (0..<size).map { _ in generator.nextBool(probability: 0.1) ? 1 : 0 }; floatPool = []
    case .nature: bytePool = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }; floatPool = []
    case .mlp, .gemm, .breakout:
      bytePool = []
      floatPool = (0..<size).map { _ in Float(generator.nextUnit() * 2 - 1) * 1.7 }
    }
    let actionCount = actionCount
    actions = (0..<poolSize).map { _ in generator.nextInt(below: actionCount) }
    rewards = (0..<poolSize).map { _ in Float(generator.nextUnit()) }
    dones = (0..<poolSize).map { _ in generator.nextBool(probability: 0.01) ? 1 : 0 }
    self.generator = generator
  }

  /// A batch tensor of the observations at `indices`, converted to `Float` (scaled for pixels).
  func observations(_ indices: [Int]) -> Tensor {
    let size = observationShape.reduce(1, *)
    return Tensor(shape: [indices.count] + observationShape) { out in
      for (row, index) in indices.enumerated() {
        let target = out + row * size
        if floatPool.isEmpty {
          bytePool.withUnsafeBufferPointer { pool in
            let source = pool.baseAddress! + index * size
            for i in 0..<size { target[i] = Float(source[i]) * scale }
          }
        } else {
          floatPool.withUnsafeBufferPointer { pool in target.update(from: pool.baseAddress! + index * size, count: size) }
        }
      }
    }
  }

  /// One DQN learner step.
  mutating func update() {
    let indices = (0..<batch).map { _ in generator.nextInt(below: poolSize - 1) }
    let next = target.forward(observations(indices.map { $0 + 1 }))
    let targets = Tensor(shape: [batch], scalars: indices.enumerated().map { row, index in
      let best = (0..<actionCount).map { next[row * actionCount + $0] }.max()!
      return rewards[index] + 0.99 * best * (1 - dones[index])
    })
    let q = online.forward(observations(indices))
    let predicted = Tensor(shape: [batch], scalars: indices.enumerated().map { row, index in
      q[row * actionCount + actions[index]]
    })
    let loss = Loss.huber(predicted, targets)
    var gradient = Tensor(shape: [batch, actionCount])
    for (row, index) in indices.enumerated() { gradient[row * actionCount + actions[index]] = loss.gradient[row] }
    online.zeroGradients()
    online.backward(gradient)
    optimizer.step(online.parameters)
  }

  /// One greedy action for a single observation.
  mutating func act() {
    let q = online.forward(observations([generator.nextInt(below: poolSize)]))
    var best = 0
    for a in 1..<actionCount where q[a] > q[best] { best = a }
    precondition(best < actionCount)
  }
}
