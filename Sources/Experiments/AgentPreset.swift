import Checksums
import Agents
import EnvironmentCore
import Evaluation
import Foundation
import NeuralNetworks
import Yams

/// The kinds of agent the project can build.
public enum AgentKind: String, Codable, Sendable, CaseIterable {
  /// Uniform random actions.
  case random
  /// Scripted paddle tracker on the entity observation (``TrackerAgent``).
  case tracker
  /// Deep Q-network on stacked grid observations (``DQN``); learns on the training variant.
  case dqn
  /// Schema network (``SchemaAgent``, Kansky et al. 2017): learns local cause-and-effect rules from the entity view
  /// of the training variant and plans with them.
  case schema
  /// Model-based explorer on the grid's anonymous planes (``SchemaExplorer``); learns while it plays `arcade study priors`.
  case schemaExplore = "schema-explore"
  /// Double DQN with a count-based exploration bonus (``DQNExplorer``); learns while it plays `arcade study priors`.
  case dqnExplore = "dqn-explore"

  /// Whether agents of this kind learn: they train into a run folder and play from one.
  public var learns: Bool {
    switch self {
    case .random, .tracker, .schemaExplore, .dqnExplore: false
    case .dqn, .schema: true
    }
  }

  /// The kind's name in reports.
  public var displayName: String {
    switch self {
    case .random: "random"
    case .tracker: "tracker"
    case .dqn: "DQN"
    case .schema: "schema network"
    case .schemaExplore: "schema explorer"
    case .dqnExplore: "DQN explorer"
    }
  }

  /// Whether agents of this kind are exploring agents (``ExploringAgent``): they learn from scratch while they play.
  public var explores: Bool { self == .schemaExplore || self == .dqnExplore }
}

struct AgentHeader: Codable {
  var kind: AgentKind
  var summary: String?
}

/// An agent preset: `agents/<name>.yaml`, a `kind` plus the keys that differ from the kind's defaults.
public struct AgentPreset: Sendable {
  public internal(set) var name: String
  public let kind: AgentKind
  public internal(set) var summary: String
  /// SHA-256 of the preset file ("built-in" when none), or of a run's learned parameters.
  public internal(set) var sha256: String
  public let tracker: TrackerConfiguration
  public let dqn: DQNConfiguration
  public let schema: SchemaConfiguration
  public let schemaExplore: SchemaExplorerConfiguration
  public let dqnExplore: DQNExplorerConfiguration
  /// The trained run (`runs/<name>/`, `models/<name>/`) this agent plays with; `nil` for untrained presets and
  /// agents that do not learn.
  public internal(set) var run: (any TrainedRun)?
  /// Why the model shipped for this preset (`models/<name>/`) was not taken, when there is one that does not match.
  public private(set) var shippedModelProblem: String?
  /// Whether ``run`` is the model shipped for this preset.
  public private(set) var playsShippedModel = false

  /// What training on the training variant means for this agent (for reports).
  public var training: String {
    guard kind.learns else { return "does not learn (scripted baseline)" }
    return run?.trainingSummary ?? "\(kind.displayName), untrained"
  }

  /// Environment steps a learning agent trains for when nothing else is asked.
  public var trainingSteps: Int {
    switch kind {
    case .random, .tracker, .schemaExplore, .dqnExplore: 0
    case .dqn: dqn.trainingSteps
    case .schema: schema.trainingSteps
    }
  }

  /// The preset named `text`: a trained run folder (`runs/<name>`), a path to a YAML file, a file
  /// `agents/<text>.yaml`, or a built-in kind.
  public init(_ text: String, files: ProjectFiles) throws {
    let manager = FileManager.default
    let folder = files.resolve(text)
    if Learners.isRun(folder) {
      let run = try Learners.loadRun(folder, files: files)
      guard run.hasLearned else {
        throw ConfigurationError("\(files.display(folder)) holds a run with nothing learned yet (it stopped before its first"
                                 + " checkpoint): resume it with `arcade train --resume \(text)`")
      }
      self = run.resumingPreset
      name = folder.lastPathComponent
      summary = "\(run.header.kind.displayName) trained in \(files.display(folder))"
      sha256 = SHA256.hexDigest(try [UInt8](files.read(run.learnedFile)))
      self.run = run
      return
    }
    let asFile = text.hasSuffix(".yaml") ? files.resolve(text) : files.root.appendingPathComponent("agents/\(text).yaml")
    guard manager.fileExists(atPath: asFile.path) else {
      if !text.hasSuffix(".yaml"), let kind = AgentKind(rawValue: text) {
        name = text
        self.kind = kind
        summary = "built-in \(kind.rawValue) agent with default settings"
        sha256 = "built-in"
        tracker = TrackerConfiguration()
        dqn = DQNConfiguration()
        schema = SchemaConfiguration()
        schemaExplore = SchemaExplorerConfiguration()
        dqnExplore = DQNExplorerConfiguration()
        return
      }
      let presets = ((try? manager.contentsOfDirectory(atPath: files.root.appendingPathComponent("agents").path)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
      let kinds = AgentKind.allCases.map(\.rawValue).joined(separator: ", ")
      throw ConfigurationError("unknown agent '\(text)': give a preset (\(presets.joined(separator: ", "))), a kind (\(kinds))"
                               + " or a path to a .yaml file")
    }
    let file = files.display(asFile)
    let data = try files.read(asFile)
    let yaml = String(decoding: data, as: UTF8.self)
    let headerKeys = ["kind", "summary"]
    let trackerKeys = StrictYAML.keys(of: TrackerConfiguration()), dqnKeys = StrictYAML.keys(of: DQNConfiguration())
    let schemaKeys = StrictYAML.keys(of: SchemaConfiguration())
    let explorerKeys = StrictYAML.keys(of: SchemaExplorerConfiguration()), bonusKeys = ["bonusScale"]
    let every = headerKeys + trackerKeys + dqnKeys + schemaKeys + explorerKeys + bonusKeys
    let distinct = every.enumerated().filter { !every[..<$0.offset].contains($0.element) }.map(\.element)
    let probe = try StrictYAML.mapping(yaml, file: file, allowed: distinct)
    let header = try StrictYAML.decode(AgentHeader.self, from: probe, file: file)
    var trackerSettings = TrackerConfiguration(), dqnSettings = DQNConfiguration(), schemaSettings = SchemaConfiguration()
    var explorerSettings = SchemaExplorerConfiguration(), dqnExplorerSettings = DQNExplorerConfiguration()
    switch header.kind {
    case .random:
      _ = try StrictYAML.mapping(yaml, file: file, allowed: headerKeys)
    case .tracker:
      _ = try StrictYAML.mapping(yaml, file: file, allowed: headerKeys + trackerKeys)
      trackerSettings = try Self.overriding(TrackerConfiguration(), with: probe, file: file)
      if trackerSettings.deadZone < 0 {
        throw ConfigurationError(file: file, key: "deadZone", "value \(trackerSettings.deadZone) must not be negative")
      }
    case .dqn:
      _ = try StrictYAML.mapping(yaml, file: file, allowed: headerKeys + dqnKeys)
      dqnSettings = try Self.overriding(DQNConfiguration(), with: probe, file: file)
      if let problem = dqnSettings.problems().first {
        throw ConfigurationError(file: file, key: problem.key, "value \(problem.value) \(problem.reason)")
      }
    case .schema:
      _ = try StrictYAML.mapping(yaml, file: file, allowed: headerKeys + schemaKeys)
      schemaSettings = try Self.overriding(SchemaConfiguration(), with: probe, file: file)
      if let problem = schemaSettings.problems().first {
        throw ConfigurationError(file: file, key: problem.key, "value \(problem.value) \(problem.reason)")
      }
    case .schemaExplore:
      _ = try StrictYAML.mapping(yaml, file: file, allowed: headerKeys + explorerKeys)
      explorerSettings = try Self.overriding(SchemaExplorerConfiguration(), with: probe, file: file)
      if let problem = explorerSettings.problems().first {
        throw ConfigurationError(file: file, key: problem.key, "value \(problem.value) \(problem.reason)")
      }
    case .dqnExplore:
      _ = try StrictYAML.mapping(yaml, file: file, allowed: headerKeys + dqnKeys + bonusKeys)
      dqnExplorerSettings.network = try Self.overriding(DQNExplorerConfiguration.defaultNetwork, with: probe, file: file)
      if let problem = dqnExplorerSettings.network.problems().first {
        throw ConfigurationError(file: file, key: problem.key, "value \(problem.value) \(problem.reason)")
      }
      if let bonus = probe.mapping?["bonusScale"] {
        guard let value = bonus.scalar.flatMap({ Double($0.string) }), value >= 0 else {
          throw ConfigurationError(file: file, key: "bonusScale", line: bonus.mark?.line, "value '\(bonus.string ?? "?")' must be a number ≥ 0")
        }
        dqnExplorerSettings.bonusScale = value
      }
    }
    tracker = trackerSettings
    dqn = dqnSettings
    schema = schemaSettings
    schemaExplore = explorerSettings
    dqnExplore = dqnExplorerSettings
    name = asFile.deletingPathExtension().lastPathComponent
    kind = header.kind
    summary = header.summary ?? ""
    sha256 = SHA256.hexDigest([UInt8](data))
    // A learning preset plays the model the repository ships for it, when that model matches it.
    if kind.learns {
      do {
        run = try ShippedModels.load(for: self, files: files)
        playsShippedModel = run != nil
      } catch { shippedModelProblem = "\(error)" }
    }
  }

  /// A learning agent's preset built from settings a run recorded (what it learned, if anything, is not read).
  init(kind: AgentKind, name: String, summary: String, dqn: DQNConfiguration = DQNConfiguration(),
       schema: SchemaConfiguration = SchemaConfiguration()) {
    self.name = name
    self.kind = kind
    self.summary = summary
    sha256 = "recorded"
    tracker = TrackerConfiguration()
    self.dqn = dqn
    self.schema = schema
    schemaExplore = SchemaExplorerConfiguration()
    dqnExplore = DQNExplorerConfiguration()
  }

  /// `defaults` with the values that `node` gives for its keys (the file lists only what differs).
  static func overriding<T: Codable>(_ defaults: T, with node: Node, file: String) throws -> T {
    guard case .mapping(var merged) = try Yams.compose(yaml: YAMLEncoder().encode(defaults)) ?? Node.mapping([:]),
          let given = node.mapping else { return defaults }
    let known = Set(StrictYAML.keys(of: defaults))
    for (key, value) in given { if let k = key.string, known.contains(k) { merged[key] = value } }
    return try StrictYAML.decode(T.self, from: .mapping(merged), file: file)
  }
}

/// Code that runs with an environment and an agent built for a preset, typed concretely.
public protocol AgentVisitor {
  associatedtype Result
  mutating func visit<E: Environment & Renderable, A: Agent>(environment: inout E, agent: inout A) throws -> Result
    where A.Observation == E.Observation
}

extension AgentPreset {
  /// Builds this preset's agent and the observation form it needs on `game`, capped at `maxEpisodeSteps`,
  /// and hands both to `visitor`.
  public func accept<V: AgentVisitor>(_ visitor: inout V, game: any Game, maxEpisodeSteps: Int) throws -> V.Result {
    try open(game, visitor: &visitor, maxEpisodeSteps: maxEpisodeSteps)
  }

  private func open<G: Game, V: AgentVisitor>(_ game: G, visitor: inout V, maxEpisodeSteps: Int) throws -> V.Result {
    switch kind {
    case .schemaExplore, .dqnExplore:
      throw ConfigurationError("agent '\(name)' is an exploring agent, which learns while it plays: run it with `arcade study priors`")
    case .random:
      var environment = TimeLimit(GameEnvironment(game: game, form: NoObservation()), maxEpisodeSteps: maxEpisodeSteps)
      var agent = RandomAgent<Void>(actionCount: game.actionNames.count)
      return try visitor.visit(environment: &environment, agent: &agent)
    case .tracker:
      var environment = TimeLimit(GameEnvironment(game: game, form: Entities()), maxEpisodeSteps: maxEpisodeSteps)
      do {
        var agent = try TrackerAgent(actionNames: game.actionNames, configuration: tracker)
        return try visitor.visit(environment: &environment, agent: &agent)
      } catch let mismatch as AgentMismatch {
        throw ConfigurationError("agent '\(name)' cannot play this game: \(mismatch.description)")
      }
    case .dqn, .schema:
      guard let run else {
        throw ConfigurationError("agent '\(name)' is an untrained \(kind.displayName): train it with `arcade train` (or list it in an"
                                 + " `arcade transfer` config, which trains it) and play the run folder"
                                 + (shippedModelProblem.map { "; \($0)" } ?? ""))
      }
      if let reason = run.reasonItCannotPlay(game) { throw ConfigurationError("agent '\(name)' cannot play this game: \(reason)") }
      do { return try run.accept(&visitor, game: game, maxEpisodeSteps: maxEpisodeSteps) } catch let mismatch as AgentMismatch {
        throw ConfigurationError("agent '\(name)' cannot play this game: \(mismatch.description)")
      }
    }
  }

  /// Why this agent cannot play `game` (a trained network needs its observation — grid planes or pixels — of the
  /// same shape, and the same actions), or `nil` when it can.
  public func reasonItCannotPlay(_ game: any Game) -> String? { run?.reasonItCannotPlay(game) }
}

/// Plays one episode per seed.
public struct EpisodesVisitor: AgentVisitor {
  public let seeds: [UInt64]
  public init(seeds: [UInt64]) { self.seeds = seeds }

  public mutating func visit<E: Environment & Renderable, A: Agent>(environment: inout E, agent: inout A) throws -> [EpisodeRecord]
    where A.Observation == E.Observation {
    seeds.map { EpisodeRunner.run(&environment, agent: &agent, seed: $0) }
  }
}
