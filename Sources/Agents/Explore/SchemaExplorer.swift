import EnvironmentCore

/// `schema-explore`: a model-based explorer. It learns the game's transitions from what it sees (a
/// ``TransitionGraph`` over channel-blind state keys, ``AnonymousGrid``) and plans on them by breadth-first search:
/// toward any transition that paid a reward, else toward the nearest state with an action not yet tried, around
/// transitions that killed. An action is held until the grid changes, so the graph's edges are moves of whole
/// cells; with ``SchemaExplorerConfiguration/foldFalls`` it is held on while the self keeps going down, so a fall is
/// one edge from the decision that started it. What it learned outlives deaths and episodes.
public struct SchemaExplorer: ExploringAgent {
  public let configuration: SchemaExplorerConfiguration
  public let actionCount: Int
  public var name: String { "schema-explore" }
  /// The learned model.
  public private(set) var graph: TransitionGraph
  private var grid = AnonymousGrid()
  private var rng: SplitMix64
  private var current: Int32 = 0
  private var gridKey: UInt64 = 0
  /// The held action: where it started, which, and for how many steps so far (0: none held).
  private var holdStart: Int32 = 0
  private var held = 0
  private var heldSteps = 0
  /// The plan, last step first: the state each action is meant for.
  private var plan: [(state: Int32, action: Int)] = []
  private var stepsSincePlan = 0
  private var rewardSeen = false
  private var search = BreadthFirstSearch()
  /// Per action: holds finished, and those that changed the grid (how often the action does anything visible).
  private var holds: [Double]
  private var changes: [Double]
  /// Falls (``SchemaExplorerConfiguration/foldFalls``): the planes of the last grid that differed from the one before,
  /// whether the held action is being held through a fall, for how many steps, and the grid before the fall.
  private var lastWords: [UInt64] = []
  private var folding = false
  private var foldSteps = 0
  private var foldPrevious: UInt64 = 0
  /// Salt of the seeded tie-breaking offsets (``SchemaExplorerConfiguration/tieJitter``).
  private let tieSalt: UInt64

  /// An explorer of a game whose actions are `actionNames`, its random choices drawn from `seed`.
  public init(actionNames: [String], seed: UInt64, configuration: SchemaExplorerConfiguration = SchemaExplorerConfiguration()) {
    precondition(configuration.problems().isEmpty, "invalid schema-explore settings: \(configuration.problems())")
    self.configuration = configuration
    actionCount = actionNames.count
    graph = TransitionGraph(actionCount: actionCount)
    holds = [Double](repeating: 0, count: actionCount)
    changes = holds
    rng = SplitMix64(seed: SplitMix64.derive(seed, 0x5E))
    tieSalt = SplitMix64.derive(seed, 0x71E)
  }

  public mutating func beginEpisode(_ observation: ExplorerObservation) {
    plan.removeAll(keepingCapacity: true)
    heldSteps = 0
    (folding, foldSteps) = (false, 0)
    gridKey = grid.key(of: observation)
    if configuration.foldFalls > 0 { lastWords = observation.words }
    current = graph.state(stateKey(gridKey, previous: 0))
  }

  /// The state key of grid `key` reached from grid `previous`.
  private func stateKey(_ key: UInt64, previous: UInt64) -> UInt64 {
    configuration.history == 1 ? key : SplitMix64.mix(key ^ previous &* 0x2545_F491_4F6C_DD1D)
  }

  public mutating func act() -> Int {
    if heldSteps > 0 {
      heldSteps += 1
      return held
    }
    holdStart = current
    held = decide()
    heldSteps = 1
    return held
  }

  public mutating func observe(reward: Double, outcome: Outcome, next observation: ExplorerObservation) {
    if reward > 0 { rewardSeen = true }
    guard outcome == .ongoing else {
      folding = false
      graph.record(holdStart, held, next: nil, reward: reward, died: outcome == .terminated && reward <= 0)
      heldSteps = 0
      return
    }
    let key = grid.key(of: observation)
    if key != gridKey, configuration.foldFalls > 0 {
      let falling = SelfMotion.wentDown(from: lastWords, to: observation)
      lastWords = observation.words
      foldSteps += heldSteps
      if falling && foldSteps < configuration.foldFalls {
        // Keep holding: the grids of a fall are no decisions; the fall ends where the self stops going down.
        if !folding { foldPrevious = gridKey }
        (gridKey, folding, heldSteps) = (key, true, 1)
        return
      }
    }
    if key != gridKey {
      changes[held] += 1
      current = graph.state(stateKey(key, previous: gridKey))
      gridKey = key
    } else if heldSteps < configuration.repeatUntilChange {
      return // keep holding: nothing visible happened yet
    } else if folding {
      changes[held] += 1 // the fall ended where the self came to rest
      current = graph.state(stateKey(gridKey, previous: foldPrevious))
    }
    (folding, foldSteps) = (false, 0)
    holds[held] += 1
    graph.record(holdStart, held, next: current, reward: reward, died: false)
    heldSteps = 0
  }

  /// The next action from ``current``: along the plan while it holds, else from a new plan.
  private mutating func decide() -> Int {
    stepsSincePlan += 1
    if let step = plan.last, step.state == current, stepsSincePlan < configuration.replanEvery {
      plan.removeLast()
      return step.action
    }
    plan.removeAll(keepingCapacity: true)
    stepsSincePlan = 0
    // Reward first, once one was seen; else the untried action that is cheapest to reach and likeliest to show
    // something new: actions that seldom change the grid (waiting against a wall) cost `idlePenalty` more hops.
    var idle = [Double](repeating: 0, count: actionCount)
    for a in 0..<actionCount { idle[a] = configuration.idlePenalty * (1 - (changes[a] + 1) / (holds[a] + 2)) }
    let score: (Int32, Int) -> (Double, Int)? = { [configuration, graph, rewardSeen, idle, tieSalt] s, distance in
      let edges = graph.edges[Int(s) * graph.actionCount ..< Int(s + 1) * graph.actionCount]
      if rewardSeen {
        return edges.firstIndex { $0.rewards > 0 && !Self.isWall($0, configuration) }.map { (Double(distance), $0 - edges.startIndex) }
      }
      var best: (Double, Int)? = nil
      // Where an action already killed, the others often kill too (a fall over fire): they wait behind safer tries.
      var deaths: Int32 = 0
      if configuration.deathPenalty > 0 { for edge in edges { deaths += edge.deaths } }
      let danger = configuration.deathPenalty * Double(deaths)
      for (a, edge) in zip(0..., edges) where edge.tries < configuration.triesPerAction {
        var cost = Double(distance) + idle[a] + danger
        if configuration.tieJitter > 0 { cost += configuration.tieJitter * Self.unitOffset(tieSalt, s, a) }
        if best.map({ cost < $0.0 }) ?? true { best = (cost, a) }
      }
      return best
    }
    if let path = search.cheapest(in: graph, from: current, score: score, minShare: configuration.minOutcomeShare,
                                  passable: { Self.isWall($0, configuration) == false }) {
      plan = path
      if let step = plan.popLast() { return step.action }
    }
    if !rewardSeen && configuration.retryWalls, let path = search.cheapest(in: graph, from: current, score: leastTriedWall,
        minShare: configuration.minOutcomeShare, passable: { Self.isWall($0, configuration) == false }) {
      plan = path // nothing untried is reachable: try again the wall tried least, nearest first
      if let step = plan.popLast() { return step.action }
    }
    if rewardSeen, let action = untried(at: current) { return action }
    return safeRandomAction()
  }

  /// The wall from `state` tried least, rated by its tries (far first) and then the distance (``retryWalls``).
  private func leastTriedWall(_ state: Int32, _ distance: Int) -> (Double, Int)? {
    var best: (Double, Int)? = nil
    for a in 0..<actionCount {
      let edge = graph.edge(state, a)
      guard Self.isWall(edge, configuration) else { continue }
      let cost = Double(distance) + 1_000_000 * Double(edge.tries)
      if best.map({ cost < $0.0 }) ?? true { best = (cost, a) }
    }
    return best
  }

  /// Whether the self went down from the planes `old` to `new` (``SelfMotion``; for tests).
  public static func selfWentDown(from old: [UInt64], to new: ExplorerObservation) -> Bool { SelfMotion.wentDown(from: old, to: new) }

  /// A fixed offset in [0, 1) for `action` from `state`, drawn from `salt` (the seed): breaks the planner's ties.
  static func unitOffset(_ salt: UInt64, _ state: Int32, _ action: Int) -> Double {
    Double(SplitMix64.mix(salt ^ UInt64(UInt32(bitPattern: state)) << 8 ^ UInt64(action)) >> 11) * 0x1p-53
  }

  static func isWall(_ edge: TransitionGraph.Edge, _ configuration: SchemaExplorerConfiguration) -> Bool {
    edge.deaths > 0 && Double(edge.deaths) > configuration.wallDeathRate * Double(edge.tries)
  }

  /// A random action among the least-tried ones here, when some has fewer tries than the configuration asks.
  private mutating func untried(at state: Int32) -> Int? {
    var fewest = Int32.max, choices = 0, pick = 0
    for a in 0..<actionCount {
      let tries = graph.edge(state, a).tries
      guard tries < configuration.triesPerAction else { continue }
      if tries < fewest { fewest = tries; choices = 0 }
      guard tries == fewest else { continue }
      // Reservoir choice: every least-tried action equally likely, no buffer needed.
      choices += 1
      if rng.nextInt(below: choices) == 0 { pick = a }
    }
    return choices > 0 ? pick : nil
  }

  /// A random action that is not a known wall from here (any action when all are).
  private mutating func safeRandomAction() -> Int {
    var choices = 0, pick = rng.nextInt(below: actionCount)
    for a in 0..<actionCount where !Self.isWall(graph.edge(current, a), configuration) {
      choices += 1
      if rng.nextInt(below: choices) == 0 { pick = a }
    }
    return pick
  }
}
