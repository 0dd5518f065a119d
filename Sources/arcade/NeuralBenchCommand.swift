import Agents
import ArgumentParser
import EnvironmentCore
import Experiments
import Foundation
import NeuralNetworks

/// `arcade bench nn`: DQN learner-step throughput of our networks, to set beside
/// `../shared/bench/torch_reference.py` (same networks, batch sizes and update).
struct NeuralBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "nn",
    abstract: "Gradient updates per second (full DQN learner step) and greedy actions per second.",
    discussion: """
      One update, as in the PyTorch reference: sample a batch from a random replay pool, target-network \
      forward on s′ (max over actions), online forward on s, gather Q(s, a), Huber loss, backward, Adam. \
      Cases: minatar (4×10×10 → Conv 16 3×3 → FC 128 → 3, batch 32), nature (4×84×84 → Conv 32 8×8/4, \
      64 4×4/2, 64 3×3/1 → FC 512 → 4, batch 32), mlp (100 → 256 → 256 → 4, batch 64), breakout (our own \
      DQN learner step — replay sampling, grid decoding, the preset's TD targets — for the --agent preset on \
      --env, its replay filled by random play; batch from the preset), and gemm (best \
      GFLOP/s of a 32×1024 · 1024×128 product, or --gemm-shape, B row-major and transposed; the product is first \
      checked against a sum in Double, C = A·B then C += A·B, and on AVX-512 CPUs against the AVX2 kernel bit for bit, and \
      Adam's and the scattered convolution's dispatched copies against their portable loops; a wrong one fails \
      the command). Each network case prints one JSON \
      line with medians over --reps runs; with --torch PYTHON each of minatar, nature and mlp is then timed \
      in PyTorch too (../shared/bench/torch_reference.py, run after ours) and the line gains its figures. \
      Build with `swift build -c release` for meaningful numbers.
      """)

  enum Case: String, ExpressibleByArgument, CaseIterable { case minatar, nature, mlp, breakout, gemm }

  @Argument(help: "Cases to run (default: minatar nature mlp breakout gemm).") var cases: [Case] = Case.allCases
  @Option(help: "Threads for matrix products.") var threads = 1
  @Option(help: "Batch size (default: 64 for mlp, 32 otherwise).") var batch: Int?
  @Option(help: "Seconds per timed run.") var seconds = 3.0
  @Option(help: "Timed runs per case (the median is reported).") var reps = 3
  @Option(help: "Seed for weights and the replay pool.") var seed: UInt64 = 0
  @Option(help: "Also time PyTorch on minatar, nature and mlp with this Python (a venv with torch and numpy); each line then gains PyTorch's figures and the ratio.")
  var torch: String?
  @Option(help: "The PyTorch reference script (default: ../shared/bench/torch_reference.py beside the project).")
  var torchScript: String?
  @Option(help: "The product of the gemm case, MxNxK (C is M × N, the depth K).") var gemmShape = "32x128x1024"
  @Option(help: "The DQN preset of the breakout case.") var agent = "dqn"
  @Option(help: "The environment of the breakout case.") var env = "breakout/standard"
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256 (got \(threads))") }
    if let batch, batch < 1 { throw ValidationError("--batch must be at least 1 (got \(batch))") }
    guard seconds > 0, reps >= 1 else { throw ValidationError("--seconds must be positive and --reps at least 1") }
    guard gemmDimensions != nil else { throw ValidationError("--gemm-shape must be MxNxK with positive sizes, e.g. 32x128x1024 (got '\(gemmShape)')") }
  }

  func run() throws {
    for benchCase in cases {
      if benchCase == .gemm {
        for transposeB in [false, true] { print(try gemmLine(transposeB: transposeB).text) }
        continue
      }
      if benchCase == .breakout {
        print(try presetLine().text)
        continue
      }
      var learner = DQNLearnerBench(benchCase, batch: batch ?? (benchCase == .mlp ? 64 : 32), threads: threads, seed: seed)
      let (updates, actions) = measure(chunk: benchCase == .nature ? 1 : 10, update: { learner.update() }, act: { learner.act() })
      var line = learnerLine(benchCase.rawValue, batch: learner.batch, params: learner.online.parameterCount,
                             updates: updates, actions: actions)
      if let reference = try torchReference() {
        // Run after ours, never beside it, so the two do not share the cores.
        let torch = try reference.measure(net: benchCase.rawValue, batch: learner.batch, threads: threads, seconds: seconds, reps: reps)
        line.add("torch", torch.version)
        line.add("torchUpdatesPerSecond", torch.updatesPerSecond)
        line.add("torchActionsPerSecond", torch.actionsPerSecond)
        line.add("updatesRatio", updates / torch.updatesPerSecond)
      }
      print(line.text)
    }
  }

  /// The PyTorch runner when `--torch` is given.
  func torchReference() throws -> TorchReference? {
    guard let torch else { return nil }
    let script = try torchScript.map { URL(fileURLWithPath: $0) }
      ?? project.files().root.deletingLastPathComponent().appendingPathComponent("shared/bench/torch_reference.py")
    return TorchReference(python: torch, script: script)
  }

  /// The breakout case: our DQN's own learner step for `--agent` on `--env`.
  func presetLine() throws -> JSONLine {
    let files = try project.files()
    let preset = try AgentPreset(agent, files: files)
    let variant = try EnvironmentRegistry(files: files).load(env)
    let learner = try PresetLearnerBench(preset: preset, variant: variant, threads: threads, seed: seed)
    let (updates, actions) = measure(chunk: 10, update: { learner.update() }, act: { learner.act() })
    var line = learnerLine("breakout", batch: preset.dqn.batchSize, params: learner.dqn.onlineNetwork.parameterCount,
                           updates: updates, actions: actions)
    line.add("network", learner.description)
    line.add("env", variant.id.description)
    // Training steps per second this allows at the preset's train frequency: every step acts, every
    // trainFrequency-th step also updates (environment stepping itself is far cheaper and left out).
    let perStep = 1 / actions + 1 / (updates * Double(preset.dqn.trainFrequency))
    line.add("trainingStepsPerSecondBound", 1 / perStep)
    return line
  }

  /// Medians over `--reps` timed runs of learner updates per second (`chunk` calls between clock reads) and
  /// greedy actions per second.
  func measure(chunk: Int, update: () -> Void, act: () -> Void) -> (updates: Double, actions: Double) {
    var updates: [Double] = [], actions: [Double] = []
    for _ in 0..<reps {
      updates.append(rate(seconds: seconds, chunk: chunk, update))
      actions.append(rate(seconds: seconds / 3, chunk: 10, act))
    }
    return (median(updates), median(actions))
  }

  /// The fields every learner case prints.
  func learnerLine(_ name: String, batch: Int, params: Int, updates: Double, actions: Double) -> JSONLine {
    var line = JSONLine()
    line.add("bench", "nn")
    line.add("case", name)
    line.add("batch", batch)
    line.add("threads", threads)
    line.add("isa", gemmInstructionSet)
    line.add("params", params)
    line.add("updatesPerSecond", updates)
    line.add("actionsPerSecond", actions)
    line.add("reps", reps)
    return line
  }

  /// Calls per second of `body` over about `seconds`, after a short warm-up.
  func rate(seconds: Double, chunk: Int, _ body: () -> Void) -> Double {
    for _ in 0..<max(2, chunk) { body() }
    let clock = ContinuousClock(), start = clock.now
    var calls = 0
    while true {
      for _ in 0..<chunk { body() }
      calls += chunk
      let elapsed = (clock.now - start).seconds
      if elapsed >= seconds { return Double(calls) / elapsed }
    }
  }

  /// `--gemm-shape` as (m, n, k), or `nil` when it is not three positive sizes.
  var gemmDimensions: (m: Int, n: Int, k: Int)? {
    let sizes = gemmShape.split(separator: "x").compactMap { Int($0) }
    guard sizes.count == 3, sizes.allSatisfy({ (1...8192).contains($0) }) else { return nil }
    return (sizes[0], sizes[1], sizes[2])
  }

  /// Best-of-runs GFLOP/s of the `--gemm-shape` product (B stored transposed with `transposeB`), after checking
  /// it; throws when the product is wrong.
  func gemmLine(transposeB: Bool) throws -> JSONLine {
    let (m, n, k) = gemmDimensions!
    var generator = SplitMix64(seed: seed)
    let a = (0..<(m * k)).map { _ in Float(generator.nextUnit()) - 0.5 }
    let b = (0..<(k * n)).map { _ in Float(generator.nextUnit()) - 0.5 }
    var c = [Float](repeating: 0, count: m * n)
    let clock = ContinuousClock()
    var best = Double.infinity
    var error = 0.0
    var matchesAVX2: Bool?
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        c.withUnsafeMutableBufferPointer { c in
          // The release kernels are checked here, where they run (the tests run a debug build): C = A·B, then
          // C += A·B, against a sum in Double.
          for beta: Float in [0, 1] {
            gemm(transposeA: false, transposeB: transposeB, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!,
                 beta: beta, c: c.baseAddress!, threads: threads)
          }
          for i in 0..<m {
            for j in 0..<n {
              let exact = (0..<k).reduce(0.0) { sum, p in
                sum + Double(a[i * k + p]) * Double(transposeB ? b[j * k + p] : b[p * n + j])
              }
              error = max(error, abs(Double(c[i * n + j]) - 2 * exact) / (1 + abs(2 * exact)))
            }
          }
          matchesAVX2 = avx512KernelMatchesAVX2Kernel(m: m, n: n, k: k, transposeB: transposeB, a: a.baseAddress!,
                                                      b: b.baseAddress!, threads: threads)
          let deadline = clock.now.advanced(by: .seconds(seconds))
          while clock.now < deadline {
            let start = clock.now
            for _ in 0..<10 {
              gemm(transposeA: false, transposeB: transposeB, m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!,
                   c: c.baseAddress!, threads: threads)
            }
            best = min(best, (clock.now - start).seconds / 10)
          }
        }
      }
    }
    var line = JSONLine()
    line.add("bench", "nn")
    line.add("case", transposeB ? "gemm-nt" : "gemm")
    line.add("m", m)
    line.add("n", n)
    line.add("k", k)
    line.add("threads", threads)
    line.add("isa", gemmInstructionSet)
    line.add("kernel", gemmMicroKernel)
    line.add("gflops", 2 * Double(m * n * k) / best / 1e9)
    line.add("maxRelativeError", error)
    // The AVX-512 kernel must give the AVX2 kernel's bits, or runs would differ between CPUs.
    if let matchesAVX2 { line.add("matchesAVX2Kernel", matchesAVX2) }
    // Adam's and the scattered convolution's AVX2 and AVX-512 copies are checked here for the same reason.
    let adamMatches = adamKernelMatchesPortableLoop(), scatterMatches = scatterKernelMatchesPortableLoop()
    line.add("adamMatchesPortableLoop", adamMatches)
    line.add("scatterMatchesPortableLoop", scatterMatches)
    guard error < 1e-4 else {
      throw ConfigurationError("bench nn gemm: the \(gemmMicroKernel) kernel's product is wrong (relative error \(error)): \(line.text)")
    }
    guard matchesAVX2 != false else {
      throw ConfigurationError("bench nn gemm: the \(gemmMicroKernel) kernel's product differs from the AVX2 kernel's: \(line.text)")
    }
    guard adamMatches else {
      throw ConfigurationError("bench nn gemm: Adam's \(gemmInstructionSet) update differs from its portable loop: \(line.text)")
    }
    guard scatterMatches else {
      throw ConfigurationError("bench nn gemm: the \(gemmInstructionSet) scattered convolution differs from its portable loop: \(line.text)")
    }
    return line
  }

  func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

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
