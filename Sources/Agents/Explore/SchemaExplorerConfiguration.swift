/// Settings of ``SchemaExplorer`` (`agents/schema-explore.yaml` lists the ones that differ from these defaults).
public struct SchemaExplorerConfiguration: Codable, Sendable, Hashable {
  /// Grids a state key spans: 1 keys on the current grid; 2 adds the previous different one, which shows which way
  /// the player moves (the grid alone cannot tell a rise from a fall).
  public var history = 1
  /// An action is repeated until the grid changes, at most this many steps, and the graph records where the repeat
  /// led: the grid shows tiles, and one press often moves the player less than a tile (1 = no repeats).
  public var repeatUntilChange = 4
  /// The planner follows an observed outcome of an action only when it came in at least this share of its tries
  /// (the coarse grid hides sub-tile positions, so an action sometimes leads elsewhere).
  public var minOutcomeShare = 0.2
  /// Times every action is tried from a state before the state stops counting as unexplored.
  public var triesPerAction = 1
  /// A transition that killed in more than this share of its tries is a wall the planner routes around.
  public var wallDeathRate = 0.0
  /// Extra hops the planner counts for trying an action that seldom changes the grid (scaled by the share of its
  /// holds that changed nothing): untried moves are explored before untried waits.
  public var idlePenalty = 8.0
  /// Extra hops the planner counts for an untried action from a state, per death already seen from that state (0 = off):
  /// where one action killed, the others often kill too (mid-air over fire, every action falls in), so they wait.
  public var deathPenalty = 0.0
  /// A hold that moves the self down (a fall, or down a ladder) goes on while the self keeps going down, at most this
  /// many steps, and the grids it passes are not states: the fall is one edge from the decision that began it, so a
  /// death at its end makes that decision a wall (0 = off). The self is found without names: the smallest changed plane.
  public var foldFalls = 0
  /// The planner adds this many hops times a fixed offset in [0, 1), drawn from the seed per state and action, to
  /// every untried action: ties are broken by the seed, not by the order states were found (0 = off).
  public var tieJitter = 0.0
  /// When no untried action is reachable and no reward was seen, retry the wall tried least (nearest first) instead of
  /// acting at random: a death can depend on what the grid hides (where in a tile a folded fall began), so a wall
  /// may be passable another time.
  public var retryWalls = false
  /// Replan at least every this many steps, even when the plan still holds (new edges may have opened a shorter way).
  public var replanEvery = 64

  public init() {}

  /// The first invalid setting, as (key, value, why).
  public func problems() -> [(key: String, value: String, reason: String)] {
    var found: [(key: String, value: String, reason: String)] = []
    if !(1...2).contains(history) { found.append(("history", "\(history)", "must be 1 or 2")) }
    if repeatUntilChange < 1 { found.append(("repeatUntilChange", "\(repeatUntilChange)", "must be at least 1")) }
    if !(0...1).contains(minOutcomeShare) { found.append(("minOutcomeShare", "\(minOutcomeShare)", "must be in 0...1")) }
    if triesPerAction < 1 { found.append(("triesPerAction", "\(triesPerAction)", "must be at least 1")) }
    if !(0...1).contains(wallDeathRate) { found.append(("wallDeathRate", "\(wallDeathRate)", "must be in 0...1")) }
    if idlePenalty < 0 { found.append(("idlePenalty", "\(idlePenalty)", "must not be negative")) }
    if deathPenalty < 0 { found.append(("deathPenalty", "\(deathPenalty)", "must not be negative")) }
    if foldFalls < 0 { found.append(("foldFalls", "\(foldFalls)", "must not be negative")) }
    if tieJitter < 0 { found.append(("tieJitter", "\(tieJitter)", "must not be negative")) }
    if replanEvery < 1 { found.append(("replanEvery", "\(replanEvery)", "must be at least 1")) }
    return found
  }
}
