/// The masked-prior study's results: exploring agents on platformer variants, each played from scratch until its
/// first win or the action budget, beside the published human figures (Dubey et al. 2018).
public struct PriorStudyReport: Codable, Sendable {
  /// One agent on one variant from one seed.
  public struct Cell: Codable, Sendable, Hashable {
    public var variant: String
    public var agent: String
    public var seed: UInt64
    /// Actions until the first win, the winning one included; `nil` when the budget ran out first.
    public var actionsToFirstWin: Int?
    /// Episodes that ended in a death.
    public var deaths: Int
    /// Distinct exact states and 15-px cells visited over every episode played (the human study's measures).
    public var uniqueStates: Int
    public var uniqueCells: Int
    public var seconds: Double

    public init(variant: String, agent: String, seed: UInt64, actionsToFirstWin: Int?, deaths: Int, uniqueStates: Int,
                uniqueCells: Int, seconds: Double) {
      self.variant = variant
      self.agent = agent
      self.seed = seed
      self.actionsToFirstWin = actionsToFirstWin
      self.deaths = deaths
      self.uniqueStates = uniqueStates
      self.uniqueCells = uniqueCells
      self.seconds = seconds
    }

    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(variant, forKey: .variant)
      try c.encode(agent, forKey: .agent)
      try c.encode(seed, forKey: .seed)
      try c.encode(actionsToFirstWin, forKey: .actionsToFirstWin) // null, not absent, when not won
      try c.encode(deaths, forKey: .deaths)
      try c.encode(uniqueStates, forKey: .uniqueStates)
      try c.encode(uniqueCells, forKey: .uniqueCells)
      try c.encode(seconds, forKey: .seconds)
    }
  }

  /// A studied variant.
  public struct Variant: Codable, Sendable, Hashable {
    public var id: String
    public var summary: String
    /// The exact solver's shortest win (actions), for scale; `nil` when the variant has none or is not a platformer.
    public var shortestWin: Int?

    public init(id: String, summary: String, shortestWin: Int?) {
      self.id = id
      self.summary = summary
      self.shortestWin = shortestWin
    }
  }

  /// A cell that failed, and why.
  public struct Failure: Codable, Sendable, Hashable {
    public var variant: String
    public var agent: String
    public var seed: UInt64
    public var error: String

    public init(variant: String, agent: String, seed: UInt64, error: String) {
      self.variant = variant
      self.agent = agent
      self.seed = seed
      self.error = error
    }
  }

  public var name: String
  public var configuration: String
  public var actionBudget: Int
  public var variants: [Variant]
  /// Agent presets, in the configuration's order.
  public var agents: [String]
  public var cells: [Cell]
  public var failures: [Failure]
  public var generatedAt: String
  /// Seconds the cells took, summed (cells run in parallel take less wall time).
  public var cellSeconds: Double
  public var software: [String: String]

  public init(name: String, configuration: String, actionBudget: Int, variants: [Variant], agents: [String], cells: [Cell],
              failures: [Failure], generatedAt: String, software: [String: String]) {
    self.name = name
    self.configuration = configuration
    self.actionBudget = actionBudget
    self.variants = variants
    self.agents = agents
    self.cells = cells
    self.failures = failures
    self.generatedAt = generatedAt
    cellSeconds = cells.reduce(0) { $0 + $1.seconds }
    self.software = software
  }

  /// The cells of `agent` on `variant`, by seed.
  public func cells(agent: String, variant: String) -> [Cell] {
    cells.filter { $0.agent == agent && $0.variant == variant }.sorted { $0.seed < $1.seed }
  }

  /// Median, range and wins of actions to the first win over seeds; a seed that never won counts as more than any win.
  public struct Spread: Sendable, Hashable {
    /// `nil` when the median seed did not win.
    public var median: Double?
    public var minimum: Int?
    /// `nil` when some seed did not win.
    public var maximum: Int?
    public var wins: Int
    public var seeds: Int
  }

  /// The spread of `agent` on `variant`, or `nil` when it has no cells there.
  public func spread(agent: String, variant: String) -> Spread? {
    let found = cells(agent: agent, variant: variant)
    guard !found.isEmpty else { return nil }
    let sorted = found.map { $0.actionsToFirstWin.map(Double.init) ?? .infinity }.sorted()
    let n = sorted.count
    let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    let wins = found.compactMap(\.actionsToFirstWin)
    return Spread(median: median.isFinite ? median : nil, minimum: wins.min(), maximum: wins.count == n ? wins.max() : nil,
                  wins: wins.count, seeds: n)
  }

  /// Median actions of `agent` on `variant` over its median on the original, when both won.
  public func ratioToOriginal(agent: String, variant: String) -> Double? {
    guard let original = variants.first(where: { PublishedHumans.condition(of: $0.id) == "original" }),
          let base = spread(agent: agent, variant: original.id)?.median, let here = spread(agent: agent, variant: variant)?.median
    else { return nil }
    return here / base
  }
}

/// The published human figures of the masked-prior study (Dubey et al. 2018, Table 1, via secondary notes: see
/// docs/priors-study.md): per condition, unique game states explored, deaths and minutes to finish.
public enum PublishedHumans {
  public struct Figures: Sendable, Hashable {
    public var uniqueStates: Double?
    public var deaths: Double?
    public var minutes: Double?
  }

  /// The condition a variant id stands for (its name after the family), when the paper studied it.
  public static func condition(of variant: String) -> String? {
    let name = variant.split(separator: "/").last.map(String.init) ?? variant
    return table[name] == nil ? nil : name
  }

  public static func figures(for variant: String) -> Figures? { condition(of: variant).flatMap { table[$0] } }

  static let table: [String: Figures] = [
    "original": Figures(uniqueStates: 3_011, deaths: 3.3, minutes: 1.8),
    "masked-semantics": Figures(uniqueStates: 7_205, deaths: 11.1, minutes: 4.3),
    "masked-object-identity": Figures(uniqueStates: 12_232, deaths: 20.2, minutes: 7.7),
    "masked-affordances": Figures(uniqueStates: 7_031, deaths: 10.7, minutes: 4.7),
    "masked-similarity": Figures(uniqueStates: 11_715, deaths: 14.8, minutes: 7.6),
    "ladder-swapped": Figures(uniqueStates: 5_942, deaths: 6, minutes: 3.6),
    "all-masked": Figures(uniqueStates: 27_000, deaths: 40, minutes: 20),
    "reversed-semantics": Figures(uniqueStates: nil, deaths: nil, minutes: nil),
  ]
}
