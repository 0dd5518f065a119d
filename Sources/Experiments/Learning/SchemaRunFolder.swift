import Agents
import EnvironmentCore
import Foundation

/// A schema agent's run folder: `run.json` (what was trained, where, how far, its settings) and `rules.json` (the
/// learned model: the schemas with their counts, Kansky et al. 2017).
public struct SchemaRunFolder: TrainedRun {
  public struct Info: Codable, Sendable {
    /// Always `schema`: which learner reads this run.
    public var kind = AgentKind.schema
    public var environment: String
    public var agent: String
    public var configuration: SchemaConfiguration
    public var seed: UInt64
    public var trainedSteps: Int
    public var targetSteps: Int?
    public var command: String?
    /// The action names the model was learned with: a game must offer the same ones.
    public var actionNames: [String]
    /// Schemas learned.
    public var schemas: Int
    /// Seconds the training took (acting and learning).
    public var trainingSeconds: Double
    /// SHA-256 of `rules.json`.
    public var learnedSHA256: String?
  }

  public static let rulesFile = "rules.json"

  public let folder: URL
  public let info: Info
  public let header: RunHeader
  public var learnedFile: URL { folder.appendingPathComponent(Self.rulesFile) }

  /// Reads `folder/run.json`; errors name the file.
  public init(_ folder: URL, files: ProjectFiles) throws {
    self.folder = folder
    let url = folder.appendingPathComponent(RunFiles.info)
    do {
      let data = try files.read(url)
      info = try JSONDecoder().decode(Info.self, from: data)
      header = try JSONDecoder().decode(RunHeader.self, from: data)
    } catch let error as ConfigurationError { throw error } catch {
      throw ConfigurationError(file: files.display(url), "is not a schema run description (\(error))")
    }
    try RunValidation.check(header, configurationProblems: info.configuration.problems(), file: files.display(url))
    guard (1...1024).contains(info.actionNames.count) else {
      throw ConfigurationError(file: files.display(url), key: "actionNames", "must list between 1 and 1024 actions")
    }
  }

  /// The learned model, or an error naming `rules.json`.
  public func loadModel() throws -> SchemaModel {
    let data: Data
    do { data = try Data(contentsOf: learnedFile) } catch {
      throw ConfigurationError(file: learnedFile.path, "cannot be read (no such file)")
    }
    do { return try SchemaModel(jsonData: data) } catch {
      throw ConfigurationError(file: learnedFile.path, "is not a schema model (\(error))")
    }
  }

  public var resumingPreset: AgentPreset {
    AgentPreset(kind: .schema, name: info.agent, summary: "schema agent resumed from \(folder.lastPathComponent)",
                schema: info.configuration)
  }

  public func settingsDiffering(from preset: AgentPreset) -> [String] {
    info.configuration.keysDiffering(from: preset.schema).filter { !["trainingSteps", "learningThreads"].contains($0) }
  }

  /// The model plays any game with the entity view and the same actions (kinds it never saw stay invisible to it).
  public func reasonItCannotPlay(_ game: any Game) -> String? {
    guard game.actionNames == info.actionNames else {
      return "was trained on \(info.environment) with actions \(info.actionNames); this game has \(game.actionNames)"
    }
    return nil
  }

  /// Plays the model's planner on the per-pixel entity view (`Entities(expandPixels: true)`).
  public func accept<V: AgentVisitor>(_ visitor: inout V, game: any Game, maxEpisodeSteps: Int) throws -> V.Result {
    let model = try loadModel()
    func open<G: Game>(_ game: G) throws -> V.Result {
      var environment = TimeLimit(GameEnvironment(game: game, form: Entities(expandPixels: true)), maxEpisodeSteps: maxEpisodeSteps)
      var agent = SchemaAgent(model: model, actionCount: game.actionNames.count, configuration: info.configuration)
      return try visitor.visit(environment: &environment, agent: &agent)
    }
    return try open(game)
  }
}

extension SchemaConfiguration {
  /// The keys whose values differ between this configuration and `other`, sorted.
  func keysDiffering(from other: SchemaConfiguration) -> [String] {
    func fields(_ c: SchemaConfiguration) -> [String: String] {
      ((try? JSONSerialization.jsonObject(with: JSONEncoder().encode(c))) as? [String: Any] ?? [:]).mapValues { "\($0)" }
    }
    let (mine, theirs) = (fields(self), fields(other))
    return Set(mine.keys).union(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
  }
}
