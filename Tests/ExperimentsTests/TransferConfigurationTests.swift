import Checksums
import EnvironmentCore
import Evaluation
import Experiments
import Foundation
import Testing

/// A valid, tiny transfer configuration; tests edit one line of it.
let tinyConfiguration = """
  name: tiny
  summary: "A tiny run."
  trainOn: breakout/standard
  evaluateOn: [breakout/small, breakout/standard]
  agents: [random, tracker]
  seeds: [3, 4]
  episodesPerSeed: 2
  maxEpisodeSteps: 200
  """

/// The error loading (`experiment` false) or resolving (`experiment` true) configs/bad.yaml in a throwaway
/// project holding standard.yaml and small.yaml.
func configurationMessage(_ text: String, experiment: Bool = false,
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
  try withTemporaryProject { project in
    try project.copyVariants(["standard", "small"])
    let url = try project.write("configs/bad.yaml", text)
    return configurationError(sourceLocation: sourceLocation) {
      if experiment { _ = try TransferExperiment(configuration: url, files: project.files) }
      else { _ = try TransferConfiguration.load(url, files: project.files) }
    }
  }
}

@Test func tinyConfigurationLoadsWithItsFingerprint() throws {
  let (config, sha) = try withTemporaryProject { project in
    let url = try project.write("configs/tiny.yaml", tinyConfiguration)
    return try TransferConfiguration.load(url, files: project.files)
  }
  #expect(config.name == "tiny")
  #expect(config.evaluateOn == ["breakout/small", "breakout/standard"])
  #expect(config.agents == ["random", "tracker"])
  #expect(config.seeds == [3, 4])
  #expect(config.episodesPerSeed == 2)
  #expect(config.maxEpisodeSteps == 200)
  #expect(sha == SHA256.hexDigest(Array(tinyConfiguration.utf8)))
}

@Test func shippedConfigurationsResolve() throws {
  let files = ProjectFiles(root: repositoryRoot)
  for name in ["breakout-transfer", "breakout-transfer-full", "smoke"] {
    let experiment = try TransferExperiment(configuration: repositoryRoot.appendingPathComponent("configs/\(name).yaml"), files: files)
    #expect(experiment.configurationPath == "configs/\(name).yaml")
    #expect(experiment.variants.count == experiment.configuration.evaluateOn.count)
    #expect(experiment.agents.map(\.name) == experiment.configuration.agents)
  }
}

@Test func missingConfigurationKeyIsNamed() throws {
  let message = try configurationMessage(try editing(tinyConfiguration, key: "seeds", to: nil))
  #expect(message.contains("configs/bad.yaml"))
  #expect(message.contains("'seeds'"))
  #expect(message.contains("missing"))
}

@Test func maxEpisodeStepsMayBeLeftOut() throws {
  let config = try withTemporaryProject { project in
    let url = try project.write("configs/ok.yaml", try editing(tinyConfiguration, key: "maxEpisodeSteps", to: nil))
    return try TransferConfiguration.load(url, files: project.files).0
  }
  #expect(config.maxEpisodeSteps == nil)
}

@Test func unknownConfigurationKeySuggestsTheNearest() throws {
  let message = try configurationMessage(try editing(tinyConfiguration, key: "episodesPerSeed", to: "episodesPerSed: 2"))
  #expect(message.contains("configs/bad.yaml"))
  #expect(message.contains("episodesPerSed"))
  #expect(message.contains("did you mean 'episodesPerSeed'"))
}

@Test(arguments: [
  ("evaluateOn", "evaluateOn: []"),
  ("evaluateOn", "evaluateOn: [breakout/small, breakout/small]"),
  ("agents", "agents: []"),
  ("agents", "agents: [random, random]"),
  ("seeds", "seeds: [1, 2, 1]"),
  ("seeds", "seeds: []"),
  ("seeds", "seeds: [-1]"),
  ("name", "name: Breakout Transfer"),
  ("name", "name: ../escape"),
  ("episodesPerSeed", "episodesPerSeed: 0"),
  ("maxEpisodeSteps", "maxEpisodeSteps: 0"),
])
func invalidValueNamesTheKey(key: String, line: String) throws {
  let message = try configurationMessage(try editing(tinyConfiguration, key: key, to: line))
  #expect(message.contains("configs/bad.yaml"))
  #expect(message.contains("key '\(key)"), "\(message)")
}

@Test func unknownAgentIsReportedUnderAgents() throws {
  let message = try configurationMessage(
    try editing(tinyConfiguration, key: "agents", to: "agents: [random, trackr]"), experiment: true)
  #expect(message.contains("configs/bad.yaml"))
  #expect(message.contains("key 'agents'"))
  #expect(message.contains("trackr"))
}

@Test func unknownEnvironmentIsReportedUnderEvaluateOn() throws {
  let message = try configurationMessage(
    try editing(tinyConfiguration, key: "evaluateOn", to: "evaluateOn: [breakout/small, breakout/smal]"), experiment: true)
  #expect(message.contains("configs/bad.yaml"))
  #expect(message.contains("key 'evaluateOn'"))
  #expect(message.contains("breakout/smal'"))
  #expect(message.contains("did you mean 'breakout/small'"))
}

@Test func unknownTrainingEnvironmentIsReportedUnderTrainOn() throws {
  let message = try configurationMessage(
    try editing(tinyConfiguration, key: "trainOn", to: "trainOn: breakout/juggling"), experiment: true)
  #expect(message.contains("configs/bad.yaml"))
  #expect(message.contains("key 'trainOn'"))
  #expect(message.contains("breakout/juggling"))
}

@Test func brokenVariantFileIsReportedUnderEvaluateOnWithItsOwnFile() throws {
  let message = try withTemporaryProject { project in
    try project.copyVariants(["standard"])
    try project.write("envs/breakout/small.yaml", try editing(shippedText("envs/breakout/small.yaml"), key: "lives", to: "lives: many"))
    let url = try project.write("configs/bad.yaml", tinyConfiguration)
    return configurationError { try TransferExperiment(configuration: url, files: project.files) }
  }
  #expect(message.contains("configs/bad.yaml"))
  #expect(message.contains("evaluateOn"))
  #expect(message.contains("envs/breakout/small.yaml"))
  #expect(message.contains("lives"))
}

// MARK: - Running

@Test func transferRunIsIndependentOfThreadsAndCoversEveryCell() throws {
  let (one, two) = try withTemporaryProject { project in
    try project.copyVariants(["standard", "small"])
    let url = try project.write("configs/tiny.yaml", tinyConfiguration)
    let experiment = try TransferExperiment(configuration: url, files: project.files)
    return (try experiment.run(threads: 1, progress: nil), try experiment.run(threads: 2, progress: nil))
  }
  #expect(one.agents.map(\.name) == ["random", "tracker"])
  #expect(one.variants.map(\.id) == ["breakout/small", "breakout/standard"])
  #expect(one.variants.allSatisfy { $0.maxEpisodeSteps == 200 })
  #expect(one.cells.count == 4)
  for cell in one.cells {
    #expect(cell.episodes.count == 4)
    #expect(cell.episodes.allSatisfy { $0.length <= 200 && $0.outcome != .ongoing })
    #expect(cell.meanReturnPerSeed.count == 2)
    let twin = try #require(two.cell(agent: cell.agent, variant: cell.variant))
    #expect(twin.episodes == cell.episodes)
  }
  // Every agent meets the same episodes: seeds derive from (seed, episode index) only.
  let random = try #require(one.cell(agent: "random", variant: "breakout/small"))
  let tracker = try #require(one.cell(agent: "tracker", variant: "breakout/small"))
  #expect(random.episodes.map(\.seed) == tracker.episodes.map(\.seed))
  #expect(random.episodes.map(\.seed) == [3, 4].flatMap { s in (0..<2).map { SplitMix64.derive(s, UInt64($0)) } })
  #expect(Set(random.episodes.map(\.seed)).count == 4)
}

@Test func writeProducesTheThreeReportFiles() throws {
  let (names, csvLines, decoded) = try withTemporaryProject { project in
    try project.copyVariants(["standard", "small"])
    let url = try project.write("configs/tiny.yaml", tinyConfiguration)
    let report = try TransferExperiment(configuration: url, files: project.files).run(threads: 2, progress: nil)
    let folder = project.root.appendingPathComponent("reports/tiny")
    try TransferExperiment.write(report, to: folder)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    let csv = try String(contentsOf: folder.appendingPathComponent("results.csv"), encoding: .utf8)
    let json = try Data(contentsOf: folder.appendingPathComponent("results.json"))
    return (names, csv.split(separator: "\n"), try JSONDecoder().decode(TransferReport.self, from: json))
  }
  #expect(names == ["chart.svg", "report.md", "results.csv", "results.json"])
  #expect(csvLines.count == 1 + 2 * 2 * 2 * 2)
  #expect(decoded.configuration == "configs/tiny.yaml")
  #expect(decoded.configurationSHA256 == SHA256.hexDigest(Array(tinyConfiguration.utf8)))
  #expect(decoded.cells.count == 4)
}

/// A shipped model plays only while it matches its preset: same settings, same steps, the learned file its
/// run.json names.
@Test func shippedModelsThatDoNotMatchTheirPresetAreRefused() throws {
  try withTemporaryProject { project in
    try project.copyVariants(["small"])
    let preset = "kind: dqn\ngridPool: 4\nhiddenUnits: [8]\nlearningStarts: 50\nbufferSize: 500\ntrainingSteps: 200\n"
    try project.write("agents/tiny.yaml", preset)
    let small = try project.registry().load("breakout/small")
    let tiny = try AgentPreset("tiny", files: project.files)
    let folder = ShippedModels.folder(for: tiny, files: project.files)
    _ = try DQNTraining.train(TrainingRequest(preset: tiny, variant: small, steps: 200, seed: 3, folder: folder, files: project.files,
                                              resume: false, checkpointEvery: 100, command: "arcade train --agent tiny"))
    let model = try #require(try ShippedModels.load(for: tiny, files: project.files))
    #expect(model.header.trainedSteps == 200 && model.header.seed == 3 && model.header.learnedSHA256 != nil)

    try project.write("agents/tiny.yaml", preset + "learningRate: 0.001\n")
    let changed = configurationError { try ShippedModels.load(for: AgentPreset("tiny", files: project.files), files: project.files) }
    #expect(changed.contains("models/tiny does not match the preset 'tiny'") && changed.contains("learningRate")
            && changed.contains("arcade train --agent tiny"), "\(changed)")
    try project.write("agents/tiny.yaml", preset.replacingOccurrences(of: "trainingSteps: 200", with: "trainingSteps: 300"))
    let longer = configurationError { try ShippedModels.load(for: AgentPreset("tiny", files: project.files), files: project.files) }
    #expect(longer.contains("trained 200 steps, the preset asks for 300"), "\(longer)")

    try project.write("agents/tiny.yaml", preset)
    var weights = try Data(contentsOf: folder.appendingPathComponent("weights.bin"))
    weights[weights.count / 2] ^= 1
    try weights.write(to: folder.appendingPathComponent("weights.bin"))
    let corrupt = configurationError { try ShippedModels.load(for: AgentPreset("tiny", files: project.files), files: project.files) }
    #expect(corrupt.contains("weights.bin has SHA-256"), "\(corrupt)")
  }
}
