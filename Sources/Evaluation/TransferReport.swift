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

  /// One agent on one variant, over every seed.
  public struct Cell: Codable, Sendable {
    public var agent: String
    public var variant: String
    public var returns: Summary
    public var lengths: Summary
    /// Mean return of each seed's episodes, in seed order.
    public var meanReturnPerSeed: [Double]
    /// Episodes cut short by the step cap.
    public var truncated: Int
    public var episodes: [EpisodeRecord]

    public init(agent: String, variant: String, episodesBySeed: [[EpisodeRecord]]) {
      self.agent = agent
      self.variant = variant
      episodes = episodesBySeed.flatMap { $0 }
      returns = Summary(episodes.map(\.totalReward))
      lengths = Summary(episodes.map { Double($0.length) })
      meanReturnPerSeed = episodesBySeed.map { Summary($0.map(\.totalReward)).mean }
      truncated = episodes.filter { $0.outcome == .truncated }.count
    }
  }

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
              configuration: String, configurationSHA256: String, generatedAt: String, wallSeconds: Double, skipped: [Skip] = []) {
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
