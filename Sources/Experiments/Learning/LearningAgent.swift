import Agents
import EnvironmentCore
import Evaluation
import Foundation

/// What every run folder's `run.json` says, whatever agent it holds: enough to know which learner reads the rest.
public struct RunHeader: Codable, Sendable {
  /// The learner (absent in DQN runs from before the schema agent: they are `dqn`).
  public var kind: AgentKind
  /// The preset that trained.
  public var agent: String
  /// The environment id it trained on.
  public var environment: String
  public var seed: UInt64
  /// Environment steps trained so far.
  public var trainedSteps: Int
  /// The total it was asked for (absent in runs from before that was recorded).
  public var targetSteps: Int?
  /// The command that started the run, as typed.
  public var command: String?
  /// SHA-256 of the learned parameters file as last saved (absent in runs from before it was recorded).
  public var learnedSHA256: String?
  /// Resumes that could not continue exactly (a DQN checkpoint without its replay buffer), one line each.
  public var inexactResumes: [String]?

  enum CodingKeys: String, CodingKey { case kind, agent, environment, seed, trainedSteps, targetSteps, command, learnedSHA256, inexactResumes }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    kind = try c.decodeIfPresent(AgentKind.self, forKey: .kind) ?? .dqn
    agent = try c.decode(String.self, forKey: .agent)
    environment = try c.decode(String.self, forKey: .environment)
    seed = try c.decode(UInt64.self, forKey: .seed)
    trainedSteps = try c.decode(Int.self, forKey: .trainedSteps)
    targetSteps = try c.decodeIfPresent(Int.self, forKey: .targetSteps)
    command = try c.decodeIfPresent(String.self, forKey: .command)
    learnedSHA256 = try c.decodeIfPresent(String.self, forKey: .learnedSHA256)
    inexactResumes = try c.decodeIfPresent([String].self, forKey: .inexactResumes)
  }

  /// The header of the run in `folder`, or an error naming its `run.json`.
  public init(folder: URL, files: ProjectFiles) throws {
    let url = folder.appendingPathComponent(RunFiles.info)
    do { self = try JSONDecoder().decode(RunHeader.self, from: files.read(url)) } catch let error as ConfigurationError { throw error } catch {
      throw ConfigurationError(file: files.display(url), "is not a run description (\(error))")
    }
  }
}

/// The file names every run folder shares.
public enum RunFiles {
  public static let info = "run.json"
  public static let curveCSV = "curve.csv"
  public static let curveSVG = "curve.svg"
}

/// A trained agent in its run folder, ready to play: the DQN's network, the schema agent's rules.
///
/// Every command plays a run through this protocol (`rollout`, `transfer`, `record`, `watch`, `render`), so a new
/// learner needs no case of its own there.
public protocol TrainedRun: Sendable {
  var folder: URL { get }
  var header: RunHeader { get }
  /// The file of learned parameters (weights, rules); absent before the run's first checkpoint.
  var learnedFile: URL { get }
  /// The settings' keys that differ from `preset`'s (`trainingSteps` aside): a run of other settings must not stand
  /// in for the preset.
  func settingsDiffering(from preset: AgentPreset) -> [String]
  /// The preset a resumed run continues with: its recorded settings.
  var resumingPreset: AgentPreset { get }
  /// Why this run cannot play `game` (another input size, other actions), or `nil`.
  func reasonItCannotPlay(_ game: any Game) -> String?
  /// Builds the trained agent and the environment it plays on `game`, capped at `maxEpisodeSteps`, for `visitor`.
  func accept<V: AgentVisitor>(_ visitor: inout V, game: any Game, maxEpisodeSteps: Int) throws -> V.Result
}

extension TrainedRun {
  /// One line for reports: what trained, how far, where.
  public var trainingSummary: String {
    "\(header.kind.displayName), \(header.trainedSteps) steps on \(header.environment)"
      + (header.inexactResumes.map { " (inexact: \($0.joined(separator: "; ")))" } ?? "")
  }
  /// Whether the run has saved what it learned (a run stopped before its first checkpoint has not).
  public var hasLearned: Bool { FileManager.default.fileExists(atPath: learnedFile.path) }
}

/// What `arcade train` (and `arcade transfer`, for the agents it trains) asks of a learner.
public struct TrainingRequest {
  public var preset: AgentPreset
  public var variant: VariantFile
  /// Environment steps in all, counting those of a resumed run.
  public var steps: Int
  public var seed: UInt64
  public var folder: URL
  public var files: ProjectFiles
  /// Continue the run in `folder` (exactly, from its last checkpoint), or start it afresh when it has none.
  public var resume: Bool
  /// Checkpoint about every this many steps.
  public var checkpointEvery: Int
  /// Store the DQN's replay buffer in checkpoints.
  public var saveReplay = false
  /// Worker threads (results never depend on it).
  public var threads = 1
  /// Recorded in `run.json`.
  public var command: String?
  public var progress: ProgressBar?

  public init(preset: AgentPreset, variant: VariantFile, steps: Int, seed: UInt64, folder: URL, files: ProjectFiles,
              resume: Bool, checkpointEvery: Int, saveReplay: Bool = false, threads: Int = 1, command: String? = nil,
              progress: ProgressBar? = nil) {
    self.preset = preset
    self.variant = variant
    self.steps = steps
    self.seed = seed
    self.folder = folder
    self.files = files
    self.resume = resume
    self.checkpointEvery = checkpointEvery
    self.saveReplay = saveReplay
    self.threads = threads
    self.command = command
    self.progress = progress
  }
}

/// The agents that learn, by kind: the one place that knows which learner trains and reads which runs.
public enum Learners {
  /// Trains `request.preset` as its kind's learner; throws for agents that do not learn.
  public static func train(_ request: TrainingRequest) throws -> any TrainedRun {
    if request.preset.kind.learns { try FolderLock.acquire(request.folder) }
    switch request.preset.kind {
    case .dqn: return try DQNTraining.train(request)
    case .schema: return try SchemaTrainingRun.train(request)
    case .random, .tracker, .schemaExplore, .dqnExplore:
      throw ConfigurationError("agent '\(request.preset.name)' is a \(request.preset.kind.rawValue) agent, which does not learn;"
                               + " learning agents: \(AgentKind.allCases.filter(\.learns).map(\.rawValue).joined(separator: ", "))")
    }
  }

  /// The run in `folder`, read by the learner its `run.json` names.
  public static func loadRun(_ folder: URL, files: ProjectFiles) throws -> any TrainedRun {
    let header = try RunHeader(folder: folder, files: files)
    switch header.kind {
    case .dqn: return try DQNRunFolder(folder, files: files)
    case .schema: return try SchemaRunFolder(folder, files: files)
    case .random, .tracker, .schemaExplore, .dqnExplore:
      throw ConfigurationError(file: files.display(folder.appendingPathComponent(RunFiles.info)), key: "kind",
                               "value '\(header.kind.rawValue)' is not an agent that learns")
    }
  }

  /// Whether `folder` holds a run.
  public static func isRun(_ folder: URL) -> Bool {
    FileManager.default.fileExists(atPath: folder.appendingPathComponent(RunFiles.info).path)
  }
}
