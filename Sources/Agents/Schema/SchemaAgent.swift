import EnvironmentCore

/// The schema-network agent (Kansky et al. 2017): it grounds each entity observation into objects and rows,
/// predicts with its learned schemas only, and plans with ``SchemaPlanner``. It never sees a game type: only
/// `[Entity]` observations (``Entities`` with `expandPixels: true`) and the number of actions.
///
/// It replans when the observation differs from what the plan predicted (surprise), when the plan ends (at its
/// predicted reward or horizon), and when half the time to the predicted contact has passed (coarse-to-fine
/// aiming). ``overlay`` exposes what it currently expects.
///
/// ```swift
/// var agent = SchemaAgent(model: model, actionCount: env.actionCount)
/// let record = EpisodeRunner.run(&env, agent: &agent, seed: 7)
/// ```
public struct SchemaAgent: Agent {
  public typealias Observation = [Entity]

  public let model: SchemaModel
  /// The planner's settings (grounding settings always come from the model).
  public let configuration: SchemaConfiguration
  /// Probability of a random action each step (training exploration; 0 to evaluate).
  public var explorationEpsilon = 0.0
  /// Probability that a plan is a random candidate (training exploration; 0 to evaluate).
  public var planExplorationEpsilon = 0.0
  private let planner: SchemaPlanner
  private var simulator: SchemaSimulator
  private var rng = SplitMix64(seed: 0)
  private var scene: SchemaScene?
  private(set) var plan = SchemaPlan()
  private var step = 0
  private var controlled: [Int32] = []
  private var flights: [UInt64: SchemaPlanner.Flight] = [:]
  /// Plans made in this agent's life (for statistics).
  public private(set) var plansMade = 0

  /// An agent planning with `model` over `actionCount` actions; `configuration` (default: the model's) sets
  /// the planner.
  public init(model: SchemaModel, actionCount: Int, configuration: SchemaConfiguration? = nil) {
    precondition(actionCount >= 1 && actionCount <= 64, "the schema agent handles 1 to 64 actions")
    self.model = model
    self.configuration = configuration ?? model.configuration
    planner = SchemaPlanner(configuration: self.configuration, actionCount: actionCount)
    simulator = SchemaSimulator(model: model)
  }

  public mutating func beginEpisode(seed: UInt64) {
    rng = SplitMix64(seed: seed)
    scene = nil
    plan = SchemaPlan()
    step = 0
    flights.removeAll(keepingCapacity: true)
  }

  public mutating func action(for observation: [Entity]) -> Int {
    let kinds = model.kinds
    guard scene != nil else {
      scene = SchemaScene(entities: observation, previous: nil, layout: model.layout) { kinds.slot(of: $0) }
      return 0
    }
    let changes = scene!.observe(observation) { kinds.slot(of: $0) }
    step += 1
    let surprised = step > plan.expected.count
      || scene!.signature(controlled: controlled, changing: simulator.book.changingKinds) != plan.expected[step - 1]
    let approaching = configuration.replanOnApproach && plan.contact > 2 && step >= (plan.contact + 1) / 2
    if surprised || approaching {
      let explore = planExplorationEpsilon > 0 && rng.nextBool(probability: planExplorationEpsilon)
      if flights.count > 1 << 16 { flights.removeAll(keepingCapacity: true) }
      // Refining the same approach keeps the current aim unless a clearly better one appears.
      let keeping = surprised ? nil : (action: plan.pressAction, presses: max(0, plan.presses - step))
      plan = planner.plan(from: &scene!, changes: changes, simulator: &simulator, flights: &flights, rng: &rng, explore: explore,
                          keeping: keeping)
      controlled = plan.controlled
      plansMade += 1
      step = 0
    }
    let planned = step < plan.actions.count ? plan.actions[step] : 0
    if explorationEpsilon > 0 && rng.nextBool(probability: explorationEpsilon) { return rng.nextInt(below: planner.actionCount) }
    return planned
  }

  /// What the agent currently expects: the predicted paths of the moving objects it does not control, where the
  /// controlled objects are headed, and the remaining planned actions.
  public var overlay: SchemaOverlay {
    var overlay = plan.overlay
    overlay.paths = overlay.paths.map { Array($0.dropFirst(min(step, $0.count))) }
    overlay.plannedActions = Array(plan.actions.dropFirst(min(step, plan.actions.count)).prefix(plan.expected.count - min(step, plan.expected.count)))
    return overlay
  }
}
