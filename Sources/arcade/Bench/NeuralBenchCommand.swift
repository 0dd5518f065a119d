import Agents
import ArgumentParser
import EnvironmentCore
import Experiments
import Foundation
import NeuralNetworks

/// `arcade bench nn`: DQN learner-step throughput of our networks, to set beside PyTorch's
/// (`python/torch_reference.py`: same networks, batch sizes and update).
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
      in PyTorch too (python/torch_reference.py, run after ours) and the line gains its figures. \
      Build with `swift build -c release` for meaningful numbers.
      """)

  enum Case: String, ExpressibleByArgument, CaseIterable { case minatar, nature, mlp, breakout, gemm }

  @Argument(help: "Cases to run (default: minatar nature mlp breakout gemm).") var cases: [Case] = Case.allCases
  @OptionGroup var threads: ThreadsOption<OneThread>
  @Option(help: "Batch size (default: 64 for mlp, 32 otherwise).") var batch: Int?
  @Option(help: "Seconds per timed run.") var seconds = 3.0
  @Option(help: "Timed runs per case (the median is reported).") var reps = 3
  @Option(help: "Seed for weights and the replay pool.") var seed: UInt64 = 0
  @Option(help: """
    Also time PyTorch on minatar, nature and mlp with this Python (a venv with torch and numpy); each line then gains PyTorch's \
    figures and the ratio.
    """)
  var torch: String?
  @Option(help: "The PyTorch reference script (default: python/torch_reference.py in the project).")
  var torchScript: String?
  @Option(help: "The product of the gemm case, MxNxK (C is M × N, the depth K).") var gemmShape = "32x128x1024"
  @OptionGroup var agent: AgentOption<DQNAgentDefault>
  @OptionGroup var env: DefaultedEnvironmentOption<StandardBreakout>
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    if let batch, batch < 1 { throw ValidationError("--batch must be at least 1 (got \(batch))") }
    guard seconds > 0, reps >= 1 else { throw ValidationError("--seconds must be positive and --reps at least 1") }
    guard gemmDimensions != nil else {
      throw ValidationError("--gemm-shape must be MxNxK with positive sizes, e.g. 32x128x1024 (got '\(gemmShape)')")
    }
  }

  func run() throws {
    for benchCase in cases {
      if benchCase == .gemm {
        for transposeB in [false, true] { try printJSONLine(try gemmLine(transposeB: transposeB)) }
        continue
      }
      if benchCase == .breakout {
        try printJSONLine(try presetLine())
        continue
      }
      var learner = DQNLearnerBench(benchCase, batch: batch ?? (benchCase == .mlp ? 64 : 32), threads: threads.count, seed: seed)
      let (updates, actions) = measure(chunk: benchCase == .nature ? 1 : 10, update: { learner.update() }, act: { learner.act() })
      var line = learnerLine(benchCase.rawValue, batch: learner.batch, params: learner.online.parameterCount,
                             updates: updates, actions: actions)
      if let reference = try torchReference() {
        // Run after ours, never beside it, so the two do not share the cores.
        let torch = try reference.measure(net: benchCase.rawValue, batch: learner.batch, threads: threads.count, seconds: seconds, reps: reps)
        line.torch = torch.version
        line.torchUpdatesPerSecond = torch.updatesPerSecond
        line.torchActionsPerSecond = torch.actionsPerSecond
        line.updatesRatio = updates / torch.updatesPerSecond
      }
      try printJSONLine(line)
    }
  }

  /// The PyTorch runner when `--torch` is given.
  func torchReference() throws -> TorchReference? {
    guard let torch else { return nil }
    let script = try torchScript.map { URL(fileURLWithPath: $0) }
      ?? project.files().root.appendingPathComponent("python/torch_reference.py")
    return TorchReference(python: torch, script: script)
  }

  /// The breakout case: our DQN's own learner step for `--agent` on `--env`.
  func presetLine() throws -> LearnerLine {
    let files = try project.files()
    let preset = try agent.preset(files: files)
    let variant = try EnvironmentRegistry(files: files).load(env.id)
    let learner = try PresetLearnerBench(preset: preset, variant: variant, threads: threads.count, seed: seed)
    let (updates, actions) = measure(chunk: 10, update: { learner.update() }, act: { learner.act() })
    var line = learnerLine("breakout", batch: preset.dqn.batchSize, params: learner.dqn.onlineNetwork.parameterCount,
                           updates: updates, actions: actions)
    line.network = learner.description
    line.env = variant.id.description
    // Training steps per second this allows at the preset's train frequency: every step acts, every
    // trainFrequency-th step also updates (environment stepping itself is far cheaper and left out).
    let perStep = 1 / actions + 1 / (updates * Double(preset.dqn.trainFrequency))
    line.trainingStepsPerSecondBound = 1 / perStep
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
  func learnerLine(_ name: String, batch: Int, params: Int, updates: Double, actions: Double) -> LearnerLine {
    LearnerLine(case: name, batch: batch, threads: threads.count, isa: gemmInstructionSet, params: params,
                updatesPerSecond: updates, actionsPerSecond: actions, reps: reps)
  }

  /// What a learner case prints; `--torch` adds PyTorch's figures, the breakout case its network and bound.
  struct LearnerLine: Encodable {
    var bench = "nn"
    var `case`: String
    var batch: Int, threads: Int
    var isa: String
    var params: Int
    var updatesPerSecond: Double, actionsPerSecond: Double
    var reps: Int
    var torch: String?
    var torchUpdatesPerSecond: Double?, torchActionsPerSecond: Double?, updatesRatio: Double?
    var network: String?, env: String?
    var trainingStepsPerSecondBound: Double?
  }

  /// Calls per second of `body` over about `seconds`, after a short warm-up.
  func rate(seconds: Double, chunk: Int, _ body: () -> Void) -> Double {
    for _ in 0..<max(2, chunk) { body() }
    let clock = ContinuousClock(), start = clock.now
    var calls = 0
    while true {
      for _ in 0..<chunk { body() }
      calls += chunk
      let elapsed = (clock.now - start).inSeconds
      if elapsed >= seconds { return Double(calls) / elapsed }
    }
  }

  func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }
}

