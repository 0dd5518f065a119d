import EnvironmentCore

/// The results of a zero-shot transfer evaluation: agents × variants, with everything needed to rerun it.
public struct TransferReport: Codable, Sendable {
  /// An evaluated environment variant and the exact file it came from.
  public struct Variant: Codable, Sendable, Hashable {
    public var id: String
    public var summary: String
    public var version: Int
    /// SHA-256 of the variant file's bytes.
    public var sha256: String
    public var maxEpisodeSteps: Int

    public init(id: String, summary: String, version: Int, sha256: String, maxEpisodeSteps: Int) {
      self.id = id
      self.summary = summary
      self.version = version
      self.sha256 = sha256
      self.maxEpisodeSteps = maxEpisodeSteps
    }
  }

  /// An evaluated agent preset.
  public struct AgentEntry: Codable, Sendable, Hashable {
    public var name: String
    public var kind: String
    /// How it was trained on the training variant ("does not learn" for scripted baselines).
    public var training: String
    /// SHA-256 of the preset file's bytes.
    public var sha256: String

    public init(name: String, kind: String, training: String, sha256: String) {
      self.name = name
      self.kind = kind
      self.training = training
      self.sha256 = sha256
    }
  }

  /// One agent on one variant, over every training run and seed: the statistics are over training runs ×
  /// seeds × episodes.
  public struct Cell: Codable, Sendable {
    public var agent: String
    public var variant: String
    public var returns: Summary
    public var lengths: Summary
    /// Mean return of each (training run, seed)'s episodes, runs outer, seeds inner.
    public var meanReturnPerSeed: [Double]
    /// Training runs the episodes come from (1 for agents that do not learn, or one shipped model).
    public var trainingRuns: Int
    /// Episodes cut short by the step cap.
    public var truncated: Int
    public var episodes: [EpisodeRecord]

    /// `episodesBySeed` holds one list per (training run, seed), runs outer.
    public init(agent: String, variant: String, episodesBySeed: [[EpisodeRecord]], trainingRuns: Int = 1) {
      precondition(trainingRuns >= 1 && episodesBySeed.count % trainingRuns == 0, "one list of episodes per training run and seed")
      self.agent = agent
      self.variant = variant
      self.trainingRuns = trainingRuns
      episodes = episodesBySeed.flatMap { $0 }
      returns = Summary(episodes.map(\.totalReward))
      lengths = Summary(episodes.map { Double($0.length) })
      meanReturnPerSeed = episodesBySeed.map { Summary($0.map(\.totalReward)).mean }
      truncated = episodes.filter { $0.outcome == .truncated }.count
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      agent = try c.decode(String.self, forKey: .agent)
      variant = try c.decode(String.self, forKey: .variant)
      returns = try c.decode(Summary.self, forKey: .returns)
      lengths = try c.decode(Summary.self, forKey: .lengths)
      meanReturnPerSeed = try c.decode([Double].self, forKey: .meanReturnPerSeed)
      trainingRuns = try c.decodeIfPresent(Int.self, forKey: .trainingRuns) ?? 1
      truncated = try c.decode(Int.self, forKey: .truncated)
      episodes = try c.decode([EpisodeRecord].self, forKey: .episodes)
    }
  }

  /// Published figures shown beside ours, labelled with their source.
  public struct PublishedRow: Codable, Sendable, Hashable {
    /// The row's label, e.g. "A3C image-only".
    public var agent: String
    /// Where the figures come from, e.g. "Kansky et al. 2017, Table 1".
    public var source: String
    /// Mean and standard deviation of the episode return, by variant id; variants without a figure are absent.
    public var returns: [String: PublishedFigure]

    public init(agent: String, source: String, returns: [String: PublishedFigure]) {
      self.agent = agent
      self.source = source
      self.returns = returns
    }
  }

  /// A published mean ± standard deviation.
  public struct PublishedFigure: Codable, Sendable, Hashable {
    public var mean: Double
    public var standardDeviation: Double
    public init(_ mean: Double, _ standardDeviation: Double) {
      self.mean = mean
      self.standardDeviation = standardDeviation
    }
  }

  /// The pixel-based A3C of Kansky et al. (2017, Table 1), trained on standard Breakout and evaluated zero-shot.
  public static let publishedA3CImage = PublishedRow(
    agent: "A3C image-only", source: "Kansky et al. 2017, Table 1 (published)",
    returns: ["breakout/offset-paddle": .init(0.60, 20.05), "breakout/middle-wall": .init(9.55, 17.44),
              "breakout/random-target": .init(6.83, 5.02), "breakout/juggling": .init(-39.35, 14.57)])

  public var name: String
  public var summary: String
  public var trainingVariant: String
  public var agents: [AgentEntry]
  public var variants: [Variant]
  public var seeds: [UInt64]
  public var episodesPerSeed: Int
  public var cells: [Cell]
  /// Tool and toolchain versions.
  public var software: [String: String]
  /// The configuration file, as given on the command line, and its SHA-256.
  public var configuration: String
  public var configurationSHA256: String
  public var generatedAt: String
  public var wallSeconds: Double
  /// One GIF per agent and variant, as paths relative to the report (empty unless requested).
  public var recordings: [Recording] = []
  /// Cells left out because the agent cannot play the variant.
  public var skipped: [Skip] = []
  /// Published rows shown beside ours (rows whose variants this report has none of are left out when drawn);
  /// absent in reports from before they were added.
  public var published: [PublishedRow]? = nil

  /// An agent and variant that were not evaluated, and why.
  public struct Skip: Codable, Sendable, Hashable {
    public var agent: String
    public var variant: String
    public var reason: String
    public init(agent: String, variant: String, reason: String) {
      self.agent = agent
      self.variant = variant
      self.reason = reason
    }
  }

  /// An episode recorded as a GIF beside the report.
  public struct Recording: Codable, Sendable, Hashable {
    public var agent: String
    public var variant: String
    public var path: String

    public init(agent: String, variant: String, path: String) {
      self.agent = agent
      self.variant = variant
      self.path = path
    }
  }

  public init(name: String, summary: String, trainingVariant: String, agents: [AgentEntry], variants: [Variant],
              seeds: [UInt64], episodesPerSeed: Int, cells: [Cell], software: [String: String],
              configuration: String, configurationSHA256: String, generatedAt: String, wallSeconds: Double, skipped: [Skip] = [],
              published: [PublishedRow] = []) {
    self.published = published
    self.name = name
    self.summary = summary
    self.trainingVariant = trainingVariant
    self.agents = agents
    self.variants = variants
    self.seeds = seeds
    self.episodesPerSeed = episodesPerSeed
    self.cells = cells
    self.software = software
    self.configuration = configuration
    self.configurationSHA256 = configurationSHA256
    self.generatedAt = generatedAt
    self.wallSeconds = wallSeconds
    self.skipped = skipped
  }

  /// The cell of `agent` on `variant`.
  public func cell(agent: String, variant: String) -> Cell? {
    cells.first { $0.agent == agent && $0.variant == variant }
  }
}
