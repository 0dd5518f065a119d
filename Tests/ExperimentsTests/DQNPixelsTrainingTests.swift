import Agents
import EnvironmentCore
import Evaluation
import Experiments
import Foundation
import Testing

/// A tiny DQN on full-size pixels of breakout/small: trains in seconds.
private let tinyPixelPreset = """
  kind: dqn
  observation: pixels
  convolutions: [[4, 4, 2]]
  hiddenUnits: [16]
  batchSize: 8
  learningStarts: 100
  bufferSize: 1000
  explorationSteps: 300
  targetNetworkFrequency: 100
  trainingSteps: 300
  """

@Test func pixelPresetTrainsAndItsRunPlaysOnlyFramesOfItsShape() throws {
  try withTemporaryProject { project in
    try project.copyVariants(["small", "standard"])
    try project.write("agents/px.yaml", tinyPixelPreset)
    let registry = try project.registry()
    let small = try registry.load("breakout/small"), standard = try registry.load("breakout/standard")
    let seed = UInt64.max - 6   // past Int64: the run description must keep it exact
    let trained = try DQNTraining.train(TrainingRequest(
      preset: AgentPreset("px", files: project.files), variant: small, steps: 300, seed: seed,
      folder: project.root.appendingPathComponent("runs/px"), files: project.files, resume: false, checkpointEvery: 100))
    #expect(trained.info.trainedSteps == 300 && trained.info.frameShape == [3, 67, 54] && trained.info.inputsPerFrame == 3 * 67 * 54)
    #expect(trained.info.configuration.observation == .pixels && trained.info.seed == seed)

    let agent = try AgentPreset("runs/px", files: project.files)
    #expect(agent.reasonItCannotPlay(small.makeGame()) == nil)
    var visitor = EpisodesVisitor(seeds: [1, 2])
    let episodes = try agent.accept(&visitor, game: small.makeGame(), maxEpisodeSteps: 60)
    #expect(episodes.count == 2 && episodes.allSatisfy { $0.length > 0 })
    #expect(try agent.accept(&visitor, game: small.makeGame(), maxEpisodeSteps: 60) == episodes, "same seeds, same episodes")

    let reason = try #require(agent.reasonItCannotPlay(standard.makeGame()))
    #expect(reason == "was trained on breakout/small with 3 × 67 × 54 inputs per frame (pixels); this variant gives 3 × 117 × 94")
    let message = configurationError { try agent.accept(&visitor, game: standard.makeGame(), maxEpisodeSteps: 60) }
    #expect(message.contains("agent 'px' cannot play this game: was trained on breakout/small"))
  }
}

/// Runs written before a configuration key existed load with its default (here `pixelSize`: the full frame).
@Test func runDescriptionWithoutNewerKeysStillLoads() throws {
  try withTemporaryProject { project in
    try project.copyVariants(["small"])
    try project.write("agents/px.yaml", tinyPixelPreset.replacingOccurrences(of: "trainingSteps: 300", with: "trainingSteps: 150"))
    let small = try project.registry().load("breakout/small")
    let folder = project.root.appendingPathComponent("runs/old")
    _ = try DQNTraining.train(TrainingRequest(preset: AgentPreset("px", files: project.files), variant: small, steps: 150, seed: 5,
                                              folder: folder, files: project.files, resume: false, checkpointEvery: 1_000))
    let url = folder.appendingPathComponent(DQNRunFolder.infoFile)
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    var configuration = try #require(object["configuration"] as? [String: Any])
    #expect(configuration.removeValue(forKey: "pixelSize") != nil)
    object["configuration"] = configuration
    try JSONSerialization.data(withJSONObject: object).write(to: url)
    let agent = try AgentPreset("runs/old", files: project.files)
    #expect(agent.dqn.pixelSize == .full && agent.dqn.observation == .pixels && agent.reasonItCannotPlay(small.makeGame()) == nil)
  }
}

@Test func unknownObservationInAPresetIsAOneLineErrorNamingTheKey() throws {
  try withTemporaryProject { project in
    try project.write("agents/eyes.yaml", "kind: dqn\nobservation: pixel\n")
    let message = configurationError { try AgentPreset("eyes", files: project.files) }
    #expect(message.contains("agents/eyes.yaml") && message.contains("observation") && message.contains("pixel")
              && message.contains("grid, pixels") && !message.contains("\n"), "\(message)")
    try project.write("agents/size.yaml", "kind: dqn\nobservation: pixels\npixelSize: [42]\n")
    let size = configurationError { try AgentPreset("size", files: project.files) }
    #expect(size.contains("agents/size.yaml") && size.contains("pixelSize") && size.contains("[42]") && !size.contains("\n"), "\(size)")
  }
}

@Test func pixelPresetWhoseConvolutionsDoNotFitTheFrameIsRefusedBeforeTraining() throws {
  try withTemporaryProject { project in
    try project.copyVariants(["small"])
    try project.write("agents/blur.yaml", "kind: dqn\nobservation: pixels\npixelSize: [6, 6]\nconvolutions: [[8, 8, 1]]\n")
    let small = try project.registry().load("breakout/small")
    let message = configurationError {
      try DQNTraining.train(TrainingRequest(preset: AgentPreset("blur", files: project.files), variant: small, steps: 10, seed: 1,
                                            folder: project.root.appendingPathComponent("runs/blur"), files: project.files,
                                            resume: false, checkpointEvery: 10))
    }
    #expect(message.contains("agent 'blur' cannot train on breakout/small") && message.contains("8×8"), "\(message)")
  }
}

@Test func shippedPixelPresetFitsBreakoutVariants() throws {
  let files = ProjectFiles(root: repositoryRoot)
  let preset = try AgentPreset("dqn-pixels", files: files)
  #expect(preset.kind == .dqn && preset.dqn.observation == .pixels && !preset.dqn.convolutions.isEmpty)
  let registry = try EnvironmentRegistry(files: files)
  for id in ["breakout/standard", "breakout/small"] {
    let decoder = try preset.dqn.decoder(for: registry.load(id).makeGame())
    #expect(decoder is PixelsDecoder && DQN.convolutionProblem(configuration: preset.dqn, frameShape: decoder.frameShape) == nil, "\(id)")
    #expect(DQN.unseenCells(configuration: preset.dqn, frameShape: decoder.frameShape) == nil, "\(id)")
  }
}
