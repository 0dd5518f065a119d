import EnvironmentCore

/// Hyperparameters of ``DQN``, with published defaults (Mnih et al. 2015; CleanRL's `dqn_atari.py`).
/// Presets in `agents/*.yaml` override only what differs.
public struct DQNConfiguration: Codable, Sendable, Hashable {
  /// Adam step size (CleanRL: 1e-4).
  public var learningRate: Float = 1e-4
  /// Adam's ε, added to √v̂ (PyTorch's default 1e-8; Dopamine's Rainbow 1.5e-4; Obando-Ceron and Castro 2021
  /// found it among the settings that matter most on MinAtar): larger values damp the steps of weights whose
  /// gradients are rare, such as those that read sparse grid planes.
  public var adamEpsilon: Float = 1e-8
  /// Discount factor γ (Mnih et al. 2015: 0.99).
  public var gamma = 0.99
  /// Transitions kept in the replay buffer (Mnih et al. 2015: 1M; smaller fits CPU memory for grids).
  public var bufferSize = 100_000
  /// Transitions per gradient update (Mnih et al. 2015: 32).
  public var batchSize = 32
  /// Environment steps of pure exploration before learning starts (CleanRL: 80k for Atari).
  public var learningStarts = 10_000
  /// Environment steps between gradient updates (Mnih et al. 2015: 4).
  public var trainFrequency = 4
  /// Environment steps between copies of the online network into the target network (CleanRL: 1,000).
  public var targetNetworkFrequency = 1_000
  /// ε at the start of training.
  public var initialEpsilon = 1.0
  /// ε after `explorationSteps` (Mnih et al. 2015: 0.1; CleanRL: 0.01).
  public var finalEpsilon = 0.01
  /// Environment steps over which ε decays linearly (Mnih et al. 2015: 1M frames).
  public var explorationSteps = 250_000
  /// Steps of reward summed before bootstrapping (1 = the one-step target of Mnih et al.; Rainbow uses 3).
  public var nStep = 1
  /// Environment steps each chosen action is repeated for (Mnih et al. 2015: 4, as frame skipping): the network
  /// sees, stores and stacks only every `actionRepeat`-th frame and decides that often. Step counts (training
  /// steps, `learningStarts`, `trainFrequency`, `explorationSteps`, …) stay in environment steps.
  public var actionRepeat = 1
  /// Treat a lost life as terminal in the TD target while training, though the episode goes on (Mnih et al.
  /// 2015; Baselines' `EpisodicLifeEnv`): lives do not show in the frames, so otherwise a lost ball costs the
  /// learner only its own reward, not the play it ends.
  public var episodicLife = false
  /// Select the bootstrap action with the online network, evaluate it with the target (van Hasselt et al. 2016);
  /// `false` bootstraps from the target network's maximum (Mnih et al. 2015). Ignored when `munchausenScale` is
  /// on, whose target bootstraps from the target network's softmax policy. See ``tdTarget``.
  public var doubleDQN = true
  /// Munchausen DQN's α (Vieillard et al. 2020: 0.9; 0 = off): adds α·max(τ·ln π(a|s), −1) to the reward,
  /// π = softmax(Q_target/τ), and bootstraps from the soft value Σ π(a′|s′)(Q_target(s′, a′) − τ·ln π(a′|s′)).
  /// Penalising actions the current policy finds unlikely widens the action gap, which is small when one frame
  /// of paddle motion barely changes the return. With `nStep` > 1 the bonus is taken at the first step only.
  public var munchausenScale = 0.0
  /// Munchausen DQN's τ, the softmax temperature in Q units (Vieillard et al. 2020: 0.03).
  public var munchausenTemperature = 0.03
  /// Frames stacked into one state, so velocity can be inferred (Mnih et al. 2015: 4).
  public var frameStack = 2
  /// Steps between stacked frames: 3 stacks frames t, t−3, t−6, … (a slow ball then still moves a cell).
  public var stackStride = 1
  /// Convolutions before the fully connected head (ReLU after each), written `[filters, kernel, stride]` or
  /// `[filters, kernel, stride, padding]` in presets; empty for a plain multilayer perceptron.
  public var convolutions: [Convolution] = []
  /// Split the output into a state value and centred action advantages (Wang et al. 2016).
  public var dueling = false
  /// Sample transitions in proportion to their last TD error instead of uniformly (proportional prioritized
  /// replay, Schaul et al. 2016), with importance-sampling weights on the loss.
  public var prioritizedReplay = false
  /// α: how strongly priorities skew sampling, P(i) ∝ (|δᵢ| + ε)^α (0 = uniform; Rainbow: 0.5).
  public var priorityExponent = 0.5
  /// β at the start of training: importance-sampling weights (N·P(i))^(−β) undo prioritized sampling's bias
  /// fully at β = 1, which β reaches linearly over `trainingSteps` environment steps (Rainbow: 0.4).
  public var importanceSamplingExponent = 0.4
  /// Hidden layer widths of the fully connected head.
  public var hiddenUnits = [256]
  /// Grid planes fed to the network, by entity kind (`ball`, `paddle`, …); empty feeds every plane but
  /// `void`. Naming them lets a network read variants whose grids add planes it never saw.
  public var inputPlanes: [String] = []
  /// Global gradient-norm clip (CleanRL: 10).
  public var maxGradientNorm: Float = 10
  /// Huber loss threshold (Mnih et al. 2015 clip the TD error at 1).
  public var huberDelta: Float = 1
  /// What the network sees: `grid` (the entity-kind planes, pooled by `gridPool`, feeding `inputPlanes`) or
  /// `pixels` (the rendered RGB frame, area-averaged to `pixelSize`).
  public var observation = DQNObservation.grid
  /// The grid observation is max-pooled by this many lattice points per cell (Breakout: pixels).
  public var gridPool = 2
  /// `[width, height]` the RGB frame is area-averaged down to when `observation` is `pixels` (never up: a
  /// larger size keeps the frame's); `[]` keeps the full frame. A fixed size lets one network read variants
  /// of different screen sizes.
  public var pixelSize = PixelSize.full
  /// ε while evaluating a trained network (Mnih et al. 2015: 0.05).
  public var evaluationEpsilon = 0.05
  /// Environment steps of training when an experiment trains this agent (`arcade transfer`).
  public var trainingSteps = 200_000

  public init() {}

  /// Settings that cannot work, as (key, value, reason).
  public func problems() -> [(key: String, value: String, reason: String)] {
    var found: [(key: String, value: String, reason: String)] = []
    func check(_ ok: Bool, _ key: String, _ value: Any, _ reason: String) { if !ok { found.append((key, "\(value)", reason)) } }
    // Sizes first: the checks below and the learner's allocations do arithmetic on them.
    if let problem = sizeProblem() { return [problem] }
    check(learningRate > 0 && learningRate.isFinite, "learningRate", learningRate, "must be positive and finite")
    check(adamEpsilon > 0 && adamEpsilon.isFinite, "adamEpsilon", adamEpsilon, "must be positive and finite")
    check((0...1).contains(gamma), "gamma", gamma, "must be in [0, 1]")
    check((0...1).contains(munchausenScale), "munchausenScale", munchausenScale, "must be in [0, 1]")
    check(munchausenTemperature > 0 && munchausenTemperature.isFinite, "munchausenTemperature", munchausenTemperature, "must be positive and finite")
    check(batchSize >= 1, "batchSize", batchSize, "must be at least 1")
    check(frameStack >= 1 && frameStack <= 8, "frameStack", frameStack, "must be between 1 and 8")
    check(bufferSize > batchSize + frameStack + 1, "bufferSize", bufferSize, "must exceed batchSize + frameStack + 1")
    check((1...100).contains(nStep), "nStep", nStep, "must be between 1 and 100")
    check(learningStarts >= 0, "learningStarts", learningStarts, "must not be negative")
    check((1...16).contains(actionRepeat), "actionRepeat", actionRepeat, "must be between 1 and 16")
    check(trainFrequency >= 1, "trainFrequency", trainFrequency, "must be at least 1")
    check(targetNetworkFrequency >= 1, "targetNetworkFrequency", targetNetworkFrequency, "must be at least 1")
    check((0...1).contains(initialEpsilon) && (0...1).contains(finalEpsilon), "finalEpsilon", finalEpsilon, "ε values must be in [0, 1]")
    check((0...1).contains(evaluationEpsilon), "evaluationEpsilon", evaluationEpsilon, "must be in [0, 1]")
    check(stackStride >= 1 && (frameStack - 1) * stackStride < 64, "stackStride", stackStride, "must be at least 1 and span under 64 frames")
    check(convolutions.allSatisfy { $0.filters >= 1 && $0.kernel >= 1 && $0.stride >= 1 && $0.padding >= 0 }, "convolutions",
          convolutions, "each entry must be [filters, kernel, stride] (all positive) or [filters, kernel, stride, padding]")
    check(hiddenUnits.allSatisfy { $0 >= 1 }, "hiddenUnits", hiddenUnits, "widths must be positive")
    check(gridPool >= 1, "gridPool", gridPool, "must be at least 1")
    if case .downsampled(let width, let height) = pixelSize {
      check(width >= 1 && height >= 1, "pixelSize", pixelSize, "must be [width, height] with both positive, or [] for the full frame")
    }
    check(maxGradientNorm > 0 && huberDelta > 0 && maxGradientNorm.isFinite && huberDelta.isFinite, "maxGradientNorm", maxGradientNorm,
          "and huberDelta must be positive and finite")
    check(trainingSteps >= 1, "trainingSteps", trainingSteps, "must be at least 1")
    check((0...1).contains(priorityExponent), "priorityExponent", priorityExponent, "must be in [0, 1]")
    check((0...1).contains(importanceSamplingExponent), "importanceSamplingExponent", importanceSamplingExponent, "must be in [0, 1]")
    return found
  }

  /// How the TD target bootstraps: Munchausen when `munchausenScale` is on, else Double DQN or the plain maximum.
  public var tdTarget: TDTarget {
    if munchausenScale > 0 { return .munchausen(scale: munchausenScale, temperature: munchausenTemperature) }
    return doubleDQN ? .double : .max
  }

  /// Frames a stacked state reaches back over, the newest included.
  public var stackSpan: Int { (frameStack - 1) * stackStride + 1 }

  /// ε after `step` environment steps: linear from `initialEpsilon` to `finalEpsilon`.
  public func epsilon(atStep step: Int) -> Double {
    let fraction = explorationSteps <= 0 ? 1 : min(1, Double(step) / Double(explorationSteps))
    return initialEpsilon + fraction * (finalEpsilon - initialEpsilon)
  }

  /// β after `step` environment steps: linear from `importanceSamplingExponent` to 1 at `trainingSteps`, then 1.
  public func importanceSamplingExponent(atStep step: Int) -> Double {
    let fraction = min(1, Double(step) / Double(max(1, trainingSteps)))
    return importanceSamplingExponent + fraction * (1 - importanceSamplingExponent)
  }

  /// Added to |δ| before it becomes a priority, so a transition whose TD error vanished is still replayed now
  /// and then (Schaul et al. 2016's ε; a small constant, not a setting).
  public static let priorityEpsilon = 1e-6
}
