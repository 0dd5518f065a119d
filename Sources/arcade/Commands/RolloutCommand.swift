import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments

struct RolloutCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollout",
    abstract: "Play episodes of an agent on one environment and print their returns.",
    discussion: "Episode i is reset with a seed derived from (--seed, i), the same episodes `arcade transfer` plays for that seed.")

  @OptionGroup var env: EnvironmentOption
  @OptionGroup var agent: AgentOption<RandomAgentDefault>
  @Option(parsing: .unconditional, help: "Number of episodes.") var episodes = 10
  @Option(parsing: .unconditional, help: "Seed of the run.") var seed: UInt64 = 0
  @Option(parsing: .unconditional, help: "Step cap per episode (default: the variant file's maxEpisodeSteps).") var maxSteps: Int?
  @Flag(help: "One JSON line per episode, then a summary line.") var json = false
  @Flag(help: "Also print a digest of every step (action, reward, outcome, lives), to compare trajectories.") var digest = false
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    try Bounds.check("episodes", episodes, Bounds.episodes)
    try Bounds.check("max-steps", maxSteps, Bounds.episodeSteps)
  }

  func run() throws {
    let files = try project.files()
    let variant = try EnvironmentRegistry(files: files).load(env.id)
    let preset = try agent.preset(files: files)
    let seeds = (0..<episodes).map { SplitMix64.derive(seed, UInt64($0)) }
    var visitor = DigestVisitor(seeds: seeds)
    let records = try preset.accept(&visitor, game: variant.makeGame(), maxEpisodeSteps: maxSteps ?? variant.maxEpisodeSteps)
    for (i, r) in records.enumerated() {
      if json {
        try printJSONLine(EpisodeLine(episode: i, record: r))
      } else {
        var text = "episode \(i)  return \(Summary.fixed(r.totalReward, 1))  length \(r.length)  \(r.outcome.rawValue)"
        if let cells = r.uniqueCells, let states = r.uniqueStates {
          text += r.won ? "  won" : r.outcome == .terminated ? "  died" : ""
          text += "  cells \(cells)  states \(states)"
        }
        print(text)
      }
    }
    var summary = RolloutSummary(env: variant.id.description, agent: preset.name, records: records)
    if digest { summary.digest = visitor.digest.hex }
    if json { return try printJSONLine(summary) }
    if digest { print("trajectory digest \(visitor.digest.hex)") }
    let returns = Summary(records.map(\.totalReward)), lengths = Summary(records.map { Double($0.length) })
    print("\(variant.id) · \(preset.name) · \(records.count) episodes: return \(returns.formatted()), length \(lengths.formatted(digits: 1))")
    if let wins = summary.wins, let deaths = summary.deaths {
      let cells = Summary(records.compactMap(\.uniqueCells).map(Double.init)), states = Summary(records.compactMap(\.uniqueStates).map(Double.init))
      print("wins \(wins), deaths \(deaths), unique cells \(cells.formatted(digits: 1)), unique states \(states.formatted(digits: 1))")
    }
  }
}

/// One episode of `rollout --json`; the platformer adds the human study's measures.
struct EpisodeLine: Encodable {
  var episode: Int
  var seed: UInt64
  var `return`: Double
  var length: Int
  var outcome: String
  var won: Int?
  var deaths: Int?
  var uniqueCells: Int?
  var uniqueStates: Int?

  init(episode: Int, record: EpisodeRecord) {
    self.episode = episode
    seed = record.seed
    `return` = record.totalReward
    length = record.length
    outcome = record.outcome.rawValue
    if let cells = record.uniqueCells, let states = record.uniqueStates {
      won = record.won ? 1 : 0
      deaths = record.outcome == .terminated && !record.won ? 1 : 0
      uniqueCells = cells
      uniqueStates = states
    }
  }
}

/// The last line of `rollout --json`.
struct RolloutSummary: Encodable {
  var env: String
  var agent: String
  var episodes: Int
  var meanReturn: Double
  var stdReturn: Double
  var meanLength: Double
  var stdLength: Double
  var wins: Int?
  var deaths: Int?
  var meanUniqueCells: Double?
  var meanUniqueStates: Double?
  /// With `--digest`: ``TrajectoryDigest`` of every step, in hex.
  var digest: String?

  init(env: String, agent: String, records: [EpisodeRecord]) {
    self.env = env
    self.agent = agent
    episodes = records.count
    let returns = Summary(records.map(\.totalReward)), lengths = Summary(records.map { Double($0.length) })
    (meanReturn, stdReturn, meanLength, stdLength) = (returns.mean, returns.standardDeviation, lengths.mean, lengths.standardDeviation)
    if records.allSatisfy({ $0.uniqueCells != nil && $0.uniqueStates != nil }) {
      wins = records.filter(\.won).count
      deaths = records.filter { $0.outcome == .terminated && !$0.won }.count
      meanUniqueCells = Summary(records.compactMap(\.uniqueCells).map(Double.init)).mean
      meanUniqueStates = Summary(records.compactMap(\.uniqueStates).map(Double.init)).mean
    }
  }
}
