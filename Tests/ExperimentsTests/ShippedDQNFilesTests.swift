import Agents
import EnvironmentCore
import Experiments
import Foundation
import Testing

/// The DQN presets and configs in the repository fit the games they are meant for.
@Test(arguments: [("dqn", "breakout/standard"), ("dqn-small", "breakout/small"), ("dqn-tiny", "breakout/small")])
func shippedGridPresetsFitTheirEnvironment(preset name: String, env: String) throws {
  let files = ProjectFiles(root: repositoryRoot)
  let preset = try AgentPreset(name, files: files)
  let game = try EnvironmentRegistry(files: files).load(env).makeGame()
  let decoder = try preset.dqn.decoder(for: game)
  #expect(DQN.convolutionProblem(configuration: preset.dqn, frameShape: decoder.frameShape) == nil)
  // Only dqn skips cells: the bottom 2 rows of Standard's grid, below the paddle's top (see agents/dqn.yaml).
  let unseen = DQN.unseenCells(configuration: preset.dqn, frameShape: decoder.frameShape)
  #expect(name == "dqn" ? unseen?.contains("never sees the last 2 rows (") == true : unseen == nil, "\(unseen ?? "every cell seen")")
  #expect(preset.dqn.problems().isEmpty)
}

/// The Breakout preset names its planes, so one trained network reads every variant on the standard screen.
@Test func breakoutPresetReadsEveryStandardSizedVariant() throws {
  let files = ProjectFiles(root: repositoryRoot)
  let preset = try AgentPreset("dqn", files: files)
  let registry = try EnvironmentRegistry(files: files)
  let shape = try preset.dqn.decoder(for: registry.load("breakout/standard").makeGame()).frameShape
  for variant in ["offset-paddle", "middle-wall", "random-target", "juggling", "half-negative", "moving-obstacles"] {
    let decoder = try preset.dqn.decoder(for: registry.load("breakout/\(variant)").makeGame())
    #expect(decoder.frameShape == shape, "\(variant)")
  }
  #expect(try preset.dqn.decoder(for: registry.load("breakout/small").makeGame()).frameShape != shape, "small is a smaller screen")
}

@Test func shippedTransferConfigsLoad() throws {
  let files = ProjectFiles(root: repositoryRoot)
  for name in ["breakout-transfer", "breakout-transfer-full", "dqn-transfer", "smoke"] {
    let (config, _) = try TransferConfiguration.load(repositoryRoot.appendingPathComponent("configs/\(name).yaml"), files: files)
    #expect(!config.agents.isEmpty, "\(name)")
  }
}

/// The main job plays the models shipped in models/: each must still match its preset (settings, steps and the
/// SHA-256 of what it learned), or the job would refuse it. Retrain with the command its run.json records.
@Test(arguments: ["dqn", "schema"])
func shippedModelsMatchTheirPresets(name: String) throws {
  let files = ProjectFiles(root: repositoryRoot)
  let preset = try AgentPreset(name, files: files)
  let model = try #require(try ShippedModels.load(for: preset, files: files), "models/\(name) is missing")
  #expect(model.header.environment == "breakout/standard" && model.header.kind == preset.kind)
  #expect(model.header.command?.hasPrefix("arcade train --agent \(name) ") == true, "\(model.header.command ?? "no command")")
  #expect(preset.playsShippedModel)
}
