import EnvironmentCore

/// The transitions the learner learns from, deduplicated: grounded rows, bags of rows (an object's pixels at
/// one step, or a rewarded step's moving objects) and, per bag and target, how often the target was true and
/// false (Kansky et al. 2017 §3: rows are deduplicated; counts keep what dedup would lose, so noisy and
/// stochastic outcomes keep their frequencies).
///
/// ```swift
/// var data = SchemaDataset(configuration: .init())
/// data.beginEpisode(observation)
/// data.record(action: a, reward: r, next: nextObservation)
/// ```
public struct SchemaDataset: Sendable {
  public let layout: CellLayout
  /// Kind slots in order of first sight.
  public private(set) var kinds: KindTable
  /// Kind bits (a cell word's kind slots and `other`) of objects seen to move, stop, turn or vanish.
  public private(set) var changingKinds: UInt64 = 0
  /// Kind bits of objects seen to stop moving (and stay).
  public private(set) var stoppingKinds: UInt64 = 0
  /// Kind bits of objects seen to appear during an episode (a new id, or a jump beyond any speed: a respawn).
  public private(set) var appearingKinds: UInt64 = 0
  /// Steps at which an object of kind slot `a` shared a cell with kind slot `b`: `overlapCounts[a * n + b]`,
  /// n = kind slots + 1 (`other` last).
  public private(set) var overlapCounts: [Int]
  /// Per kind slot (and `other` last), the kind bits seen in the windows of its pixels, other than on the
  /// object's own pixels.
  public private(set) var neighbours: [UInt64]
  /// Transitions recorded.
  public private(set) var transitions = 0
  /// Context hashes of every row with something moving in it (``ContextSet``).
  public private(set) var contexts: Set<UInt64> = []
  var rows: RowTable
  var bags: BagTable
  private var scene: SchemaScene?
  private var changes: [CellBox]?
  /// Bag of each object under each action, while nothing near it changes.
  private var cachedBags: [Int32: [Int]] = [:]
  private var actionCount = 0

  public init(configuration: SchemaConfiguration) {
    layout = configuration.layout
    kinds = KindTable(capacity: configuration.kindSlots)
    rows = RowTable(width: layout.rowWords)
    bags = BagTable(targetCount: layout.targetCount)
    overlapCounts = [Int](repeating: 0, count: (configuration.kindSlots + 1) * (configuration.kindSlots + 1))
    neighbours = [UInt64](repeating: 0, count: configuration.kindSlots + 1)
  }

  /// Unique rows stored.
  public var rowCount: Int { rows.count }
  /// Unique bags stored.
  public var bagCount: Int { bags.count }

  /// Starts an episode at `observation`.
  public mutating func beginEpisode(_ observation: [Entity]) {
    let scene = ground(observation, previous: nil)
    for i in scene.objects.indices { noteOverlaps(of: i, in: scene) }
    self.scene = scene
    changes = nil
    cachedBags.removeAll(keepingCapacity: true)
  }

  /// Records which kinds share cells with object `i`'s pixels.
  private mutating func noteOverlaps(of i: Int, in scene: SchemaScene) {
    let kind = scene.objects[i].kind, kindBits = layout.kindBits, n = layout.kindSlots + 1
    let slot = kind.trailingZeroBitCount
    var shared: UInt64 = 0
    scene.forEachPixel(of: i) { x, y, _ in shared |= scene.cell(x, y) & kindBits & ~kind }
    while shared != 0 {
      overlapCounts[slot * n + shared.trailingZeroBitCount] += 1
      shared &= shared - 1
    }
  }

  /// Records the step from the current observation under `action`, which earned `reward` and led to `next`.
  public mutating func record(action: Int, reward: Double, next observation: [Entity]) {
    guard let scene else { return beginEpisode(observation) }
    precondition(action >= 0 && action < 64, "a row holds at most 64 actions")
    actionCount = max(actionCount, action + 1)
    var next = scene
    var table = kinds
    changes = next.observe(observation) { table.register($0) }
    kinds = table
    transitions += 1
    for o in next.objects where o.isPresent {
      if let j = scene.index[o.id], scene.objects[j].isPresent, scene.outcome(of: j, in: next) != .vanished { continue }
      appearingKinds |= o.kind
    }
    var stepBag: [Int32] = []
    var objectBags: [(bag: Int, isActive: Bool)] = []
    for i in scene.objects.indices where scene.objects[i].isPresent {
      let o = scene.objects[i]
      let bag = bag(of: i, in: scene, action: action)
      let outcome = scene.outcome(of: i, in: next)
      count(bag, velocity: o.velocity, outcome: outcome)
      let changed = outcome != .stays(o.velocity)
      if changed { changingKinds |= kindBits(of: o.kindCode) }
      if o.velocity != nil && outcome == .stays(nil) { stoppingKinds |= kindBits(of: o.kindCode) }
      let isActive = o.velocity != nil || changed
      if isActive && reward != 0 { stepBag += bags.rows(of: bag) }
      objectBags.append((bag, isActive))
    }
    // Rewards: a rewarded step is one bag of the rows of every object that moved or changed; every other
    // object's bag, and every bag of an unrewarded step, is a negative example.
    let positive = layout.positiveRewardIndex, negative = layout.negativeRewardIndex
    for (bag, isActive) in objectBags {
      if !(reward > 0 && isActive) { bags.count(bag, target: positive, false) }
      if !(reward < 0 && isActive) { bags.count(bag, target: negative, false) }
    }
    if reward != 0 && !stepBag.isEmpty {
      let bag = bags.insert(Array(Set(stepBag)).sorted())
      bags.count(bag, target: reward > 0 ? positive : negative, true)
    }
    for i in next.objects.indices where next.isTouched(i, by: changes) {
      cachedBags[next.objects[i].id] = nil
      if next.objects[i].velocity != nil { noteOverlaps(of: i, in: next) }
    }
    self.scene = next
  }

  // MARK: Labels

  /// Counts the object targets of one object whose velocity was `velocity` and whose fate was `outcome`.
  private mutating func count(_ bag: Int, velocity: Velocity?, outcome: ObjectOutcome) {
    guard case .stays(let next) = outcome else { return bags.count(bag, target: layout.vanishIndex, true) }
    bags.count(bag, target: layout.vanishIndex, false)
    for axis in Axis.allCases {
      for v in -layout.maxSpeed...layout.maxSpeed {
        let now = velocity?[axis] == v, later = next?[axis] == v
        if now { bags.count(bag, target: layout.offIndex(axis, v), !later) } else { bags.count(bag, target: layout.onIndex(axis, v), later) }
      }
    }
  }

  private func kindBits(of code: UInt8) -> UInt64 { layout.kindWord(slot: kinds.slot(of: code)) }

  // MARK: Grounding

  private mutating func ground(_ observation: [Entity], previous: SchemaScene?) -> SchemaScene {
    var table = kinds
    let scene = SchemaScene(entities: observation, previous: previous, layout: layout) { table.register($0) }
    kinds = table
    return scene
  }

  /// The bag of object `i` of `scene` under `action`: the ids of its pixels' rows.
  private mutating func bag(of i: Int, in scene: SchemaScene, action: Int) -> Int {
    let id = scene.objects[i].id
    if let cached = cachedBags[id], action < cached.count, cached[action] >= 0 { return cached[action] }
    var ids: [Int32] = []
    var row = [UInt64](repeating: 0, count: layout.rowWords)
    var seen: UInt64 = 0
    row.withUnsafeMutableBufferPointer { r in
      scene.forEachPixel(of: i) { x, y, own in
        scene.row(atX: x, y: y, own: own, action: action, into: r.baseAddress!)
        for k in 0..<layout.windowCells {
          let (dx, dy) = layout.offset(ofCell: k)
          if !scene.covers(i, x: x + dx, y: y + dy) { seen |= r[k] }
        }
        if let context = layout.context(of: r.baseAddress!) { contexts.insert(context) }
        ids.append(rows.insert(r.baseAddress!))
      }
    }
    neighbours[scene.objects[i].kind.trailingZeroBitCount] |= seen & layout.kindBits
    let bag = bags.insert(Array(Set(ids)).sorted())
    var entry = cachedBags[id] ?? []
    if entry.count < max(actionCount, action + 1) { entry += [Int](repeating: -1, count: max(actionCount, action + 1) - entry.count) }
    entry[action] = bag
    cachedBags[id] = entry
    return bag
  }
}
