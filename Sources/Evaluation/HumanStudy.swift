import Foundation

/// One episode a person played, as `arcade play --log FILE` writes it: one JSON object per line.
///
/// `extra` is the extension point for game-specific measures (the prior games' unique cells and states
/// visited); ``HumanStudyReport`` gives every key found there its own column.
public struct HumanEpisode: Codable, Sendable, Hashable {
  /// Environment id.
  public var env: String
  /// Index of the episode in the session (0-based).
  public var episode: Int
  /// The seed the episode was reset with.
  public var seed: UInt64
  public var steps: Int
  /// Sum of rewards.
  public var totalReturn: Double
  /// Whether the player won (for now: a positive return).
  public var won: Bool
  /// Seconds of play, pauses excluded.
  public var wallSeconds: Double
  /// How it ended: terminated, truncated, restarted (R) or quit (Esc).
  public var ending: String
  /// Game-specific measures, by name.
  public var extra: [String: Double]

  enum CodingKeys: String, CodingKey {
    case env, episode, seed, steps, totalReturn = "return", won, wallSeconds, ending, extra
  }

  public init(env: String, episode: Int, seed: UInt64, steps: Int, totalReturn: Double, won: Bool,
              wallSeconds: Double, ending: String, extra: [String: Double] = [:]) {
    self.env = env
    self.episode = episode
    self.seed = seed
    self.steps = steps
    self.totalReturn = totalReturn
    self.won = won
    self.wallSeconds = wallSeconds
    self.ending = ending
    self.extra = extra
  }

  /// The most steps an episode may record: sums over many episodes stay exact.
  public static let maxSteps = 1 << 40

  /// Why the record cannot be summed (counts out of range, non-finite numbers), or `nil`.
  var problem: String? {
    if !(0...Self.maxSteps).contains(steps) { return "steps \(steps) must be between 0 and \(Self.maxSteps)" }
    if !(wallSeconds.isFinite && wallSeconds >= 0) { return "wallSeconds \(wallSeconds) must be finite and not negative" }
    if !totalReturn.isFinite { return "return \(totalReturn) must be finite" }
    if let (name, value) = extra.first(where: { !$0.value.isFinite }) { return "extra measure \(name) \(value) must be finite" }
    return nil
  }

  /// The episode as one JSON line (sorted keys, no newline).
  public func jsonLine() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// Appends the episode's line to `url` (created if missing): a log keeps every session's episodes.
  public func append(to url: URL) throws {
    let line = Data((try jsonLine() + "\n").utf8)
    if !FileManager.default.fileExists(atPath: url.path) {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      guard FileManager.default.createFile(atPath: url.path, contents: line) else {
        throw HumanStudyError("cannot create \(url.path)")
      }
      return
    }
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: line)
  }

  /// Every episode in a JSONL log; blank lines are skipped, a bad line is an error naming its number.
  public static func read(_ text: String, file: String) throws -> [HumanEpisode] {
    let decoder = JSONDecoder()
    var episodes: [HumanEpisode] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.allSatisfy(\.isWhitespace) { continue }
      do {
        episodes.append(try decoder.decode(HumanEpisode.self, from: Data(line.utf8)))
      } catch let error as HumanStudyError { throw error } catch {
        throw HumanStudyError("\(file):\(number + 1): not a human-play episode record (\(error))")
      }
      if let problem = episodes.last?.problem { throw HumanStudyError("\(file):\(number + 1): \(problem)") }
    }
    return episodes
  }
}

/// A malformed log or an empty report.
public struct HumanStudyError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// The human-study table: per environment, mean ± std over players of the time played, the deaths
/// (episodes not won), the steps, and any game-specific measures — the layout of Dubey et al. (2018),
/// *Investigating Human Priors for Playing Video Games*, Table 1.
///
/// Each log file is one player. A player's numbers for an environment are totals over that player's
/// episodes of it (time, deaths, steps, and each `extra` measure), so a player who needed five attempts
/// counts four deaths.
public struct HumanStudyReport: Sendable {
  /// One table row.
  public struct Row: Sendable {
    public var env: String
    public var players: Int
    public var episodes: Int
    public var seconds: Summary
    public var deaths: Summary
    public var steps: Summary
    /// Players who won at least once.
    public var winners: Int
    public var extra: [String: Summary]
  }

  public var rows: [Row]
  /// Names of the `extra` measures, sorted (the extra columns).
  public var extraNames: [String]

  /// The report over `players`: each a name (the log file) and its episodes.
  public init(players: [(name: String, episodes: [HumanEpisode])]) throws {
    var byEnv: [String: [[HumanEpisode]]] = [:]
    for player in players {
      for (env, episodes) in Dictionary(grouping: player.episodes, by: \.env) { byEnv[env, default: []].append(episodes) }
    }
    guard !byEnv.isEmpty else { throw HumanStudyError("no episodes in \(players.map(\.name).joined(separator: ", "))") }
    let names = Set(players.flatMap { $0.episodes.flatMap(\.extra.keys) }).sorted()
    extraNames = names
    rows = byEnv.keys.sorted().map { env in
      let perPlayer = byEnv[env]!
      var extra: [String: Summary] = [:]
      for name in names { extra[name] = Summary(perPlayer.map { $0.reduce(0) { $0 + ($1.extra[name] ?? 0) } }) }
      return Row(env: env, players: perPlayer.count, episodes: perPlayer.map(\.count).reduce(0, +),
                 seconds: Summary(perPlayer.map { $0.reduce(0) { $0 + $1.wallSeconds } }),
                 deaths: Summary(perPlayer.map { Double($0.filter { !$0.won }.count) }),
                 steps: Summary(perPlayer.map { $0.reduce(0) { $0 + Double($1.steps) } }),
                 winners: perPlayer.filter { $0.contains(where: \.won) }.count,
                 extra: extra)
    }
  }

  /// The table in Markdown.
  public func markdown() -> String {
    var header = "| Game | Players | Episodes | Time (s) | Deaths | Steps | Won |"
    var rule = "|---|---:|---:|---:|---:|---:|---:|"
    for name in extraNames { header += " \(name) |"; rule += "---:|" }
    var lines = [header, rule]
    for row in rows {
      var line = "| \(row.env) | \(row.players) | \(row.episodes) | \(row.seconds.formatted(digits: 1)) | "
        + "\(row.deaths.formatted(digits: 1)) | \(row.steps.formatted(digits: 0)) | \(row.winners)/\(row.players) |"
      for name in extraNames { line += " \(row.extra[name]!.formatted(digits: 1)) |" }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
