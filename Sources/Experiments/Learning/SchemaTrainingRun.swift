import Agents
import Checksums
import EnvironmentCore
import Evaluation
import Foundation

/// Trains a schema agent's preset on one variant into a run folder.
///
/// Learning takes minutes, not hours, so a run is not checkpointed along the way: a run stopped before it finished
/// is trained again from its start (the same seed gives the same rules), and a finished run asked for its own
/// steps is finished.
public enum SchemaTrainingRun {
  public static func train(_ request: TrainingRequest) throws -> SchemaRunFolder {
    let (preset, variant, folder) = (request.preset, request.variant, request.folder)
    precondition(preset.kind == .schema, "SchemaTrainingRun trains schema presets")
    var configuration = preset.schema
    configuration.trainingSteps = request.steps
    if request.resume, Learners.isRun(folder), let done = try? SchemaRunFolder(folder, files: request.files), done.hasLearned {
      guard request.steps != done.header.trainedSteps else { return done }
      if request.steps < done.header.trainedSteps {
        throw ConfigurationError("the run has already taken \(done.header.trainedSteps) steps, more than the \(request.steps) asked;"
                                 + " ask for at least that many")
      }
    }
    let game = variant.makeGame()
    func info(trained: Int, schemas: Int, seconds: Double, sha256: String?) -> SchemaRunFolder.Info {
      .init(environment: variant.id.description, agent: preset.name, configuration: configuration, seed: request.seed,
            trainedSteps: trained, targetSteps: request.steps, command: request.command, actionNames: game.actionNames,
            schemas: schemas, trainingSeconds: seconds, learnedSHA256: sha256)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try AtomicFile.write(try encoder.encode(info(trained: 0, schemas: 0, seconds: 0, sha256: nil)),
                         to: folder.appendingPathComponent(RunFiles.info))
    try? FileManager.default.removeItem(at: folder.appendingPathComponent(SchemaRunFolder.rulesFile))
    let started = ContinuousClock.now
    var curve = LearningCurve(title: "\(preset.name) on \(variant.id) (exploring while it learns)", points: [])
    let model = train(game, configuration: configuration, seed: request.seed, maxEpisodeSteps: variant.maxEpisodeSteps,
                      curve: &curve, progress: request.progress)
    let seconds = (ContinuousClock.now - started).inSeconds
    try AtomicFile.write(curve.csv(), to: folder.appendingPathComponent(RunFiles.curveCSV))
    try AtomicFile.write(curve.svg(), to: folder.appendingPathComponent(RunFiles.curveSVG))
    let rules = try model.jsonData()
    // The rules first, then the description naming them: a kill between the two leaves a run to train again.
    try AtomicFile.write(rules, to: folder.appendingPathComponent(SchemaRunFolder.rulesFile))
    try AtomicFile.write(try encoder.encode(info(trained: request.steps, schemas: model.schemas.count, seconds: seconds,
                                                 sha256: SHA256.hexDigest([UInt8](rules)))),
                         to: folder.appendingPathComponent(RunFiles.info))
    return try SchemaRunFolder(folder, files: request.files)
  }

  private static func train<G: Game>(_ game: G, configuration: SchemaConfiguration, seed: UInt64, maxEpisodeSteps: Int,
                                     curve: inout LearningCurve, progress: ProgressBar?) -> SchemaModel {
    var environment = EpisodeLog(TimeLimit(GameEnvironment(game: game, form: Entities(expandPixels: true)),
                                           maxEpisodeSteps: maxEpisodeSteps))
    defer { curve.points = environment.episodes }
    var reported = 0
    let model = SchemaTraining.train(&environment, configuration: configuration, seed: seed) { steps, message in
      progress?.detail = message
      progress?.advance(by: steps - reported)
      reported = steps
    }
    progress?.finish()
    return model
  }
}

/// Passes an environment through, noting every finished episode (the step it ended on, its return and length) for
/// the learning curve of a learner that plays it itself.
struct EpisodeLog<Base: Environment>: Environment {
  var base: Base
  private(set) var episodes: [LearningCurve.Point] = []
  private var steps = 0, length = 0, total = 0.0

  init(_ base: Base) { self.base = base }

  var actionNames: [String] { base.actionNames }
  var lives: Int? { base.lives }

  mutating func reset(seed: UInt64?) -> Base.Observation {
    (length, total) = (0, 0)
    return base.reset(seed: seed)
  }

  mutating func step(_ action: Int) -> Step<Base.Observation> {
    let step = base.step(action)
    steps += 1
    length += 1
    total += step.reward
    if step.outcome.isFinal { episodes.append(.init(step: steps, totalReward: total, length: length)) }
    return step
  }
}
