import Dispatch
import EnvironmentCore

/// A learned schema network (Kansky et al. 2017): the schemas of every target, with the grounding settings and
/// kind table they were learned under. `Codable`; saved as a run folder's `rules.json` (``jsonData()``).
///
/// ```swift
/// var data = SchemaDataset(configuration: configuration)
/// // … data.beginEpisode / data.record …
/// var model = SchemaModel(configuration: configuration)
/// model.learn(from: data)
/// try model.jsonData().write(to: url)
/// ```
public struct SchemaModel: Codable, Sendable, Hashable {
  /// The settings it was learned with; grounding (window, kinds, speeds, parts) must match when it is used.
  public var configuration: SchemaConfiguration
  /// Kind slots: the opaque kind codes the rows' kind bits stand for.
  public var kinds: KindTable
  /// Kind bits of objects seen to change (move, stop, turn, vanish) in training; others are never evaluated.
  public var changingKinds: UInt64
  /// Kind bits of objects seen to stop moving in training (the paddle, not the ball): when a schema takes the
  /// velocity of anything else away and none gives a new one, the model does not know what happens.
  public var stoppingKinds: UInt64
  /// Kind bits of objects seen to appear during an episode in training (a respawned ball): where and when is
  /// beyond the schemas, but that such an object may appear is among the outcomes the model allows.
  public var appearingKinds: UInt64
  /// Per kind slot (`other` last), the kinds seen sharing a cell with it in training: a prediction that puts a
  /// ball inside a wall is outside anything the model knows.
  public var overlaps: [UInt64]
  /// Per kind slot (`other` last), the kinds seen in the windows of its pixels in training. Kinds an object never
  /// saw near it are invisible to its schemas: a second ball, unknown in standard Breakout, does not deflect the
  /// first (nor does it in the game).
  public var neighbours: [UInt64]
  /// Every schema, grouped by target in ``CellLayout/targets`` order.
  public var schemas: [Schema]
  /// Transitions the schemas were learned from.
  public var trainingTransitions: Int
  /// The neighbourhoods seen in training; in any other, every outcome is possible (``ContextSet``). `nil` in
  /// models saved before it existed: they trust their schemas everywhere.
  public var contexts: ContextSet?

  public init(configuration: SchemaConfiguration) {
    self.configuration = configuration
    kinds = KindTable(capacity: configuration.kindSlots)
    changingKinds = 0
    stoppingKinds = 0
    appearingKinds = 0
    overlaps = [UInt64](repeating: 0, count: configuration.kindSlots + 1)
    neighbours = overlaps
    schemas = []
    trainingTransitions = 0
  }

  /// The cell and row layout of the schemas' features.
  public var layout: CellLayout { configuration.layout }

  /// The schemas of `target`.
  public func schemas(for target: SchemaTarget) -> [Schema] { schemas.filter { $0.target == target } }

  /// Learns every target from `data`, revising the schemas already held (targets are learned in parallel on
  /// `threads` threads, default ``SchemaConfiguration/learningThreads``; the result does not depend on it).
  ///
  /// - Complexity: per seed, O(|S| · (literal checks)) coverage queries, each an AND of a few bitset columns.
  public mutating func learn(from data: SchemaDataset, threads: Int? = nil) {
    precondition(data.layout == layout, "the dataset was grounded with other settings")
    let targets = layout.targets
    let existing = targets.map { schemas(for: $0) }
    let learner = SchemaLearner(configuration: configuration)
    let results = ResultSlots<[Schema]>(count: targets.count)
    let (rows, bags) = (data.rows, data.bags)
    let workers = max(1, min(threads ?? configuration.learningThreads, targets.count))
    // Targets are dealt round-robin to workers; each result lands in its own slot, so the order is fixed.
    let work: @Sendable (Int) -> Void = { worker in
      for t in stride(from: worker, to: targets.count, by: workers) {
        var problem = TargetProblem(rows: rows, bags: bags, target: t, hardSightings: learner.configuration.hardNegativeSightings)
        results.store(t, learner.learn(&problem, target: targets[t], existing: existing[t]))
      }
    }
    if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
    schemas = results.values.flatMap { $0 }
    kinds = data.kinds
    changingKinds = data.changingKinds
    stoppingKinds = data.stoppingKinds
    appearingKinds = data.appearingKinds
    neighbours = data.neighbours
    let n = overlaps.count
    overlaps = [UInt64](repeating: 0, count: n)
    for a in 0..<n {
      for b in 0..<n where data.overlapCounts[a * n + b] + data.overlapCounts[b * n + a] >= configuration.overlapSightings {
        overlaps[a] |= 1 << UInt64(b)
      }
    }
    trainingTransitions = data.transitions
    contexts = ContextSet(data.contexts)
  }
}

/// One slot per parallel job, each written by exactly one job (so no two threads touch the same slot).
final class ResultSlots<Value>: @unchecked Sendable {
  private let slots: UnsafeMutablePointer<Value?>
  private let count: Int

  init(count: Int) {
    self.count = count
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
  }

  deinit {
    slots.deinitialize(count: count)
    slots.deallocate()
  }

  func store(_ index: Int, _ value: Value) { slots[index] = value }

  var values: [Value] { (0..<count).map { slots[$0]! } }
}
