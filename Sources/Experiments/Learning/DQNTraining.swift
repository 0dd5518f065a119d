import Agents
import Checksums
import EnvironmentCore
import Evaluation
import Foundation
import NeuralNetworks

/// A DQN training run's folder: `run.json` (what was trained, where, how far), `weights.bin` (the online
/// network), `checkpoint.bin` (everything to resume), `curve.csv` and `curve.svg`.
public struct DQNRunFolder: TrainedRun {
  public static let infoFile = RunFiles.info

  public struct Info: Codable, Sendable {
    /// Always `dqn`: which learner reads this run.
    public var kind = AgentKind.dqn
    public var environment: String
    public var agent: String
    public var configuration: DQNConfiguration
    public var seed: UInt64
    public var trainedSteps: Int
    public var episodes: Int
    public var inputsPerFrame: Int
    /// One frame's network input, `[channels, height, width]` (absent in runs from before convolutions).
    public var frameShape: [Int]?
    public var actionCount: Int
    public var replayInCheckpoint: Bool
    /// The total steps the run was asked to train for: a resumed run goes on to this unless told otherwise
    /// (absent in runs from before it was recorded).
    public var targetSteps: Int?
    /// The command that started the run, as typed.
    public var command: String?
    /// SHA-256 of `weights.bin` as last saved.
    public var learnedSHA256: String?
    /// Resumes from a checkpoint without the replay buffer ("resumed at step N, replay rebuilt"): from each, the
    /// run differs from an uninterrupted one (absent when there were none).
    public var inexactResumes: [String]?
  }

  public let folder: URL
  public let info: Info
  public let header: RunHeader
  public var weights: URL { folder.appendingPathComponent("weights.bin") }
  public var learnedFile: URL { weights }
  public var checkpoint: URL { folder.appendingPathComponent("checkpoint.bin") }
  public var curve: URL { folder.appendingPathComponent("curve.csv") }

  /// Reads `folder/run.json`; errors name the file.
  public init(_ folder: URL, files: ProjectFiles) throws {
    self.folder = folder
    let url = folder.appendingPathComponent(Self.infoFile)
    do {
      let data = try Self.fillingNewKeys(files.read(url))
      info = try JSONDecoder().decode(Info.self, from: data)
      header = try JSONDecoder().decode(RunHeader.self, from: data)
    } catch let error as ConfigurationError { throw error } catch {
      throw ConfigurationError(file: files.display(url), "is not a run description (\(error))")
    }
    try RunValidation.check(header, configurationProblems: info.configuration.problems(), file: files.display(url))
    try RunValidation.check(info, file: files.display(url))
  }

  /// `data` with the configuration keys it lacks (added to ``DQNConfiguration`` after the run was written)
  /// set to their defaults, so older runs still load (where the defaults give another input, e.g. without
  /// the `void` plane, ``AgentPreset/reasonItCannotPlay(_:)`` says so); unchanged when none is missing.
  static func fillingNewKeys(_ data: Data) throws -> Data {
    let defaults = DQNConfiguration().jsonFields
    guard var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let given = object["configuration"] as? [String: Any], !Set(defaults.keys).isSubset(of: given.keys) else { return data }
    object["configuration"] = defaults.merging(given) { $1 }
    return try JSONSerialization.data(withJSONObject: object)
  }

  /// The trained network, or an error naming the weights file.
  public func loadNetwork() throws -> Sequential {
    let network = DQN.makeNetwork(configuration: info.configuration, frameShape: info.frameShape ?? [info.inputsPerFrame, 1, 1],
                                  outputs: info.actionCount, seed: 0)
    do { try network.loadWeights(from: weights.path) } catch {
      throw ConfigurationError("\(weights.path): cannot load the network (\(error))")
    }
    return network
  }
}

/// Trains a DQN preset on one variant into a run folder, or resumes one.
public enum DQNTraining {
  /// Trains until `request.steps` environment steps in total. `run.json` is written before the first step, so the
  /// folder says what was asked from the start. With `resume`, continues the folder's run from its checkpoint
  /// (exactly, when that checkpoint fell at an episode boundary — every periodic one does), or starts it afresh
  /// when it was stopped before its first checkpoint.
  public static func train(_ request: TrainingRequest) throws -> DQNRunFolder {
    let (preset, variant) = (request.preset, request.variant)
    precondition(preset.kind == .dqn, "DQNTraining trains dqn presets")
    var trainer = Trainer(request: request)
    do { try preset.dqn.withInput(for: variant.makeGame(), &trainer) } catch let mismatch as AgentMismatch {
      throw ConfigurationError("agent '\(preset.name)' cannot train on \(variant.id): \(mismatch.description)")
    }
    return try DQNRunFolder(request.folder, files: request.files)
  }

  /// Trains on the observation form and decoder the preset's configuration picks.
  private struct Trainer: DQNGameVisitor {
    let request: TrainingRequest
    var preset: AgentPreset { request.preset }
    var variant: VariantFile { request.variant }
    var steps: Int { request.steps }
    var seed: UInt64 { request.seed }
    var folder: URL { request.folder }
    var files: ProjectFiles { request.files }
    var progress: ProgressBar? { request.progress }

    func visit<G: Game, F: DQNInputForm>(game: G, form: F, decoder: any FrameDecoder) throws { try train(game, form: form, decoder: decoder) }

    private func train<G: Game, F: DQNInputForm>(_ game: G, form: F, decoder: any FrameDecoder) throws {
      let configuration = preset.dqn
      if let unseen = DQN.unseenCells(configuration: configuration, frameShape: decoder.frameShape) {
        FileHandle.standardError.write(Data("warning: agent '\(preset.name)' on \(variant.id): \(unseen)\n".utf8))
      }
      var environment = TimeLimit(GameEnvironment(game: game, form: form), maxEpisodeSteps: variant.maxEpisodeSteps)
      let dqn = DQN(configuration: configuration, decoder: decoder, actionCount: game.actionNames.count, seed: seed,
                    threads: request.threads)
      var seeds = SplitMix64(seed: SplitMix64.derive(seed, 2))
      var curve = LearningCurve(title: "\(preset.name) on \(variant.id)", points: [])
      let checkpointURL = folder.appendingPathComponent("checkpoint.bin")
      var inexactResumes = request.resume ? ((try? DQNRunFolder(folder, files: files))?.info.inexactResumes ?? []) : []
      if request.resume && FileManager.default.fileExists(atPath: checkpointURL.path) {
        let extra = try dqn.restore(try [UInt8](files.read(checkpointURL)))
        if dqn.replay.written == 0 && dqn.steps > 0 && dqn.steps < steps { inexactResumes.append("resumed at step \(dqn.steps), replay rebuilt") }
        guard let state = extra.first else { throw ConfigurationError("\(checkpointURL.path): has no seed stream") }
        seeds = SplitMix64(seed: state)
        let text = String(decoding: (try? files.read(folder.appendingPathComponent("curve.csv"))) ?? Data(), as: UTF8.self)
        curve.points = (LearningCurve.points(fromCSV: text) ?? []).filter { $0.step <= dqn.steps }
      }
      // A run already at its target is finished: the files are written again from its checkpoint, which mends a
      // folder whose last save was cut short. An action repeat can overshoot the target by a few steps, so a
      // checkpoint past the run's own recorded target is finished too (run.json may lag behind it after a kill).
      let recordedTarget = request.resume ? (try? DQNRunFolder(folder, files: files))?.info.targetSteps : nil
      guard steps >= dqn.steps || steps == recordedTarget else {
        throw ConfigurationError("the run has already taken \(dqn.steps) steps, more than the \(steps) asked; ask for at least that many")
      }
      var learnedSHA256: String? = nil
      func info(episodes: Int) -> DQNRunFolder.Info {
        .init(environment: variant.id.description, agent: preset.name, configuration: configuration, seed: seed, trainedSteps: dqn.steps,
              episodes: episodes, inputsPerFrame: decoder.inputCount, frameShape: decoder.frameShape, actionCount: game.actionNames.count,
              replayInCheckpoint: request.saveReplay, targetSteps: steps, command: request.command, learnedSHA256: learnedSHA256,
              inexactResumes: inexactResumes.isEmpty ? nil : inexactResumes)
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      if dqn.steps == 0 {
        try AtomicFile.write(try encoder.encode(info(episodes: 0)), to: folder.appendingPathComponent(DQNRunFolder.infoFile))
      }
      func save(seedState: UInt64) throws {
        try AtomicFile.write(Data(dqn.checkpoint(includeReplay: request.saveReplay, extra: [seedState])), to: checkpointURL)
        let weights = dqn.onlineNetwork.encodedWeights()
        learnedSHA256 = SHA256.hexDigest(weights)
        try AtomicFile.write(Data(weights), to: folder.appendingPathComponent("weights.bin"))
        try AtomicFile.write(curve.csv(), to: folder.appendingPathComponent("curve.csv"))
        try AtomicFile.write(curve.svg(), to: folder.appendingPathComponent("curve.svg"))
        try AtomicFile.write(try encoder.encode(info(episodes: curve.points.count)), to: folder.appendingPathComponent(DQNRunFolder.infoFile))
      }
      var lastCheckpoint = dqn.steps, reported = dqn.steps
      progress?.advance(by: dqn.steps)
      try dqn.train(&environment, until: steps, seeds: &seeds) { episode in
        curve.points.append(.init(step: episode.step, totalReward: episode.totalReward, length: episode.length))
        progress?.detail = "ε \(Summary.fixed(configuration.epsilon(atStep: episode.step), 2))  return(20) \(Summary.fixed(curve.recentMean(), 2))"
        progress?.advance(by: episode.step - reported)
        reported = episode.step
        if episode.step - lastCheckpoint >= request.checkpointEvery {
          try save(seedState: episode.seedState)
          lastCheckpoint = episode.step
        }
      }
      progress?.advance(by: dqn.steps - reported)
      progress?.finish()
      // The last checkpoint: resuming from it starts a fresh episode from the seed stream as it stands.
      try save(seedState: seeds.state)
    }
  }
}

extension DQNConfiguration {
  /// The keys whose values differ between this configuration and `other`, sorted.
  public func keysDiffering(from other: DQNConfiguration) -> [String] {
    let mine = jsonFields.mapValues { "\($0)" }, theirs = other.jsonFields.mapValues { "\($0)" }
    return Set(mine.keys).union(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
  }

  /// Every key with its value as `run.json` stores it.
  var jsonFields: [String: Any] {
    (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(self))) as? [String: Any] ?? [:]
  }
}
