import EnvironmentCore

/// How well a model predicts observed transitions (for `arcade schemas check RUN --env ID`).
public struct SchemaCheckSummary: Codable, Sendable, Hashable {
  /// Transitions checked.
  public var steps: Int
  /// Fraction of the determined (non-stochastic) steps where the most likely prediction put the ball pixels
  /// (objects of the named kind) exactly where they were.
  public var ballPositionAccuracy: Double
  /// Steps the caller flagged as stochastic (the game drew a random outcome).
  public var stochasticSteps: Int
  /// Fraction of all steps whose true next observation was among the predicted alternatives: every object's
  /// fate (vanish, or velocity per axis) was possible, no object of a kind never seen appearing in training
  /// appeared, the reward's sign was possible.
  public var outcomeCoverage: Double
  /// Steps where some object was in a neighbourhood never seen in training (``ContextSet``), so that the model
  /// allowed every outcome for it.
  public var novelSteps: Int = 0
  /// ``outcomeCoverage`` with novelty taken away: the outcomes the schemas alone allowed.
  public var coverageByRules: Double = 0
  /// Fraction of cells whose whole attribute word (kinds, velocity, parts) the most likely prediction got right.
  public var cellAccuracy: Double
  /// Of the steps with a likely nonzero reward predicted, the fraction whose reward had that sign (1 if none).
  public var rewardPrecision: Double
  /// Of the steps with a nonzero reward, the fraction where that sign was the likely prediction (1 if none).
  public var rewardRecall: Double
  /// Why the steps outside ``outcomeCoverage`` fell outside, counted once per step by its first failure:
  /// `"<kind> vanished"`, `"<kind> stayed"` or `"<kind> moved"` (an object's fate the model did not allow),
  /// `"<kind> appeared"`, `"reward +"`, `"reward -"`, `"reward 0"` (a sign the model ruled out).
  public var uncovered: [String: Int] = [:]
}

/// Accumulates prediction quality over consecutive observations: call ``begin(_:)`` at each episode start,
/// then ``record(action:reward:next:stochastic:)`` for every step.
///
/// ```swift
/// var check = SchemaCheck(model: model, ballKind: EntityKind.ball.rawValue)
/// check.begin(env.reset(seed: 1))
/// let step = env.step(a)
/// check.record(action: a, reward: step.reward, next: step.observation, stochastic: gameDrewRandomOutcome)
/// print(check.summary)
/// ```
public struct SchemaCheck {
  public let model: SchemaModel
  /// The kind code the caller calls "ball".
  public let ballKind: UInt8
  private var simulator: SchemaSimulator
  private var scene: SchemaScene?
  private var changes: [CellBox]?
  private var steps = 0, determined = 0, ballHits = 0, stochastic = 0, covered = 0, novel = 0, coveredByRules = 0
  private var cells = 0, cellHits = 0
  private var predictedRewards = 0, actualRewards = 0, rewardHits = 0, rewardPredictedHits = 0
  private var uncovered: [String: Int] = [:]

  public init(model: SchemaModel, ballKind: UInt8) {
    self.model = model
    self.ballKind = ballKind
    simulator = SchemaSimulator(model: model)
  }

  /// Starts an episode at `observation`.
  public mutating func begin(_ observation: [Entity]) {
    scene = ground(observation, previous: nil)
    changes = nil
  }

  /// Checks the prediction of the step from the current observation under `action` against what happened:
  /// `reward` and `next`; `stochastic` says whether the game drew a random outcome in this step.
  public mutating func record(action: Int, reward: Double, next observation: [Entity], stochastic isStochastic: Bool) {
    guard let scene else { return begin(observation) }
    var actual = scene
    let kinds = model.kinds
    let actualChanges = actual.observe(observation) { kinds.slot(of: $0) }
    var predicted = scene
    var forecasts = [ObjectForecast](repeating: simulator.book.unchanged(nil), count: scene.objects.count)
    let step = forecasts.withUnsafeMutableBufferPointer {
      simulator.step(&predicted, action: action, changes: changes, forecasts: $0.baseAddress!)
    }
    steps += 1
    if isStochastic { stochastic += 1 } else {
      determined += 1
      if ballPixels(predicted) == ballPixels(actual) { ballHits += 1 }
    }
    // Coverage: every object's fate possible, nothing unforeseen appeared, the reward's sign possible.
    var miss: String?, ruleMiss = false, isNovel = false
    for i in scene.objects.indices where scene.objects[i].isPresent {
      let outcome = scene.outcome(of: i, in: actual)
      if forecasts[i].isNovel { isNovel = true }
      if !forecasts[i].allowsByRules(outcome, maxSpeed: model.layout.maxSpeed) { ruleMiss = true }
      if miss == nil && !forecasts[i].allows(outcome, maxSpeed: model.layout.maxSpeed) {
        miss = "\(Self.name(scene.objects[i].kindCode)) \(Self.describe(outcome))"
      }
    }
    var otherMiss: String?
    for o in actual.objects where o.isPresent && o.kind & model.appearingKinds == 0 {
      guard let j = scene.index[o.id], scene.objects[j].isPresent, scene.outcome(of: j, in: actual) != .vanished else {
        otherMiss = "\(Self.name(o.kindCode)) appeared"
        break
      }
    }
    let sign = reward > 0 ? 1 : reward < 0 ? -1 : 0
    let (positive, negative) = (step.positive, step.negative)
    let signPossible = switch sign {
    case 1: positive > 0
    case -1: negative > 0
    default: positive <= simulator.certain && negative <= simulator.certain
    }
    if otherMiss == nil && !signPossible { otherMiss = "reward \(sign > 0 ? "+" : sign < 0 ? "-" : "0")" }
    miss = miss ?? otherMiss
    if let miss { uncovered[miss, default: 0] += 1 } else { covered += 1 }
    if !ruleMiss && otherMiss == nil { coveredByRules += 1 }
    if isNovel { novel += 1 }
    // Cells and rewards.
    if predicted.width == actual.width && predicted.height == actual.height {
      for k in actual.cells.indices where predicted.cells[k] == actual.cells[k] { cellHits += 1 }
    }
    cells += actual.cells.count
    let guess = positive > simulator.likely && positive >= negative ? 1 : negative > simulator.likely ? -1 : 0
    if guess != 0 { predictedRewards += 1; if guess == sign { rewardPredictedHits += 1 } }
    if sign != 0 { actualRewards += 1; if guess == sign { rewardHits += 1 } }
    self.changes = actualChanges
    self.scene = actual
  }

  /// The summary so far.
  public var summary: SchemaCheckSummary {
    func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }
    return SchemaCheckSummary(steps: steps, ballPositionAccuracy: ratio(ballHits, determined), stochasticSteps: stochastic,
                              outcomeCoverage: ratio(covered, steps), novelSteps: novel, coverageByRules: ratio(coveredByRules, steps),
                              cellAccuracy: ratio(cellHits, cells),
                              rewardPrecision: ratio(rewardPredictedHits, predictedRewards), rewardRecall: ratio(rewardHits, actualRewards),
                              uncovered: uncovered)
  }

  private static func describe(_ outcome: ObjectOutcome) -> String {
    switch outcome {
    case .vanished: "vanished"
    case .stays(nil): "stayed"
    case .stays: "moved"
    }
  }

  private static func name(_ kindCode: UInt8) -> String {
    EntityKind(rawValue: kindCode)?.description ?? "kind \(kindCode)"
  }

  private func ground(_ observation: [Entity], previous: SchemaScene?) -> SchemaScene {
    let kinds = model.kinds
    return SchemaScene(entities: observation, previous: previous, layout: model.layout) { kinds.slot(of: $0) }
  }

  /// The pixels of every present object of the ball kind, sorted.
  private func ballPixels(_ scene: SchemaScene) -> [SchemaPoint] {
    var pixels: [SchemaPoint] = []
    for i in scene.objects.indices where scene.objects[i].isPresent && scene.objects[i].kindCode == ballKind {
      scene.forEachPixel(of: i) { x, y, _ in pixels.append(SchemaPoint(x: x, y: y)) }
    }
    return pixels.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
  }
}
