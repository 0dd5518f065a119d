import Agents
import Experiments
import Foundation
import Testing

// Values that used to trap (arithmetic overflow, huge allocations) or were silently accepted: each must give one
// ConfigurationError naming the key, before any arithmetic or allocation uses it.

@Test(arguments: [
  ("paddleWidth", "paddleWidth: 89\npaddleStartX: 3", "paddleWidth"),
  ("wallThickness", "wallThickness: 9223372036854775000", "wallThickness"),
  ("brickRows", "brickRows: 9223372036854775000", "brickRows"),
  ("brickReward", "brickReward: .nan", "brickReward"),
  ("rewardUponBallLoss", "rewardUponBallLoss: -.inf", "rewardUponBallLoss"),
  ("width", "width: -9223372036854775807", "width"),
  ("obstacleSpeeds", "obstacleSpeeds: [9223372036854775807]\nobstacleHeights: [40]", "obstacleSpeeds"),
])
func breakoutVariantValuesAreRefusedBeforeArithmetic(key: String, replacement: String, named: String) throws {
  let message = try withTemporaryProject { project in
    var text = try shippedText("envs/breakout/standard.yaml")
    for line in replacement.split(separator: "\n") {
      let k = String(line.split(separator: ":")[0])
      text = text.contains("\n\(k):") ? try editing(text, key: k, to: String(line)) : text + "\n\(line)\n"
    }
    try project.write("envs/breakout/hostile.yaml", text)
    return configurationError { try project.registry().load("breakout/hostile") }
  }
  #expect(message.contains("envs/breakout/hostile.yaml"))
  #expect(message.contains("key '\(named)'"), "\(message)")
}

@Test func variantHeaderBoundsMaxEpisodeSteps() throws {
  let message = try withTemporaryProject { project in
    let text = try editing(shippedText("envs/breakout/standard.yaml"), key: "maxEpisodeSteps", to: "maxEpisodeSteps: 9223372036854775807")
    try project.write("envs/breakout/hostile.yaml", text)
    return configurationError { try project.registry().load("breakout/hostile") }
  }
  #expect(message.contains("key 'maxEpisodeSteps'") && message.contains("between 1 and"))
}

@Test(arguments: [
  ("kind: dqn\nbufferSize: 1000000000000\n", "bufferSize", "TB"),
  ("kind: dqn\nhiddenUnits: [1000000000]\n", "hiddenUnits", "65536"),
  ("kind: dqn\nlearningRate: .inf\n", "learningRate", "finite"),
  ("kind: dqn\nlearningRate: 1e40\n", "learningRate", "finite"),
  ("kind: dqn\nadamEpsilon: .nan\n", "adamEpsilon", "finite"),
  ("kind: dqn\nstackStride: 9223372036854775807\n", "stackStride", "between"),
  ("kind: dqn\nframeStack: -9223372036854775808\n", "frameStack", "between"),
  ("kind: dqn\nconvolutions: [[9223372036854775807, 3, 1]]\n", "convolutions", "filters"),
  ("kind: dqn\nmunchausenTemperature: .inf\n", "munchausenTemperature", "finite"),
  ("kind: schema\nkindSlots: 9223372036854775807\n", "kindSlots", "between"),
  ("kind: schema\nuncertaintyPenalty: .inf\n", "uncertaintyPenalty", "finite"),
  ("kind: schema\npartLevelsX: 9223372036854775807\n", "partLevelsX", "between"),
])
func presetValuesAreRefusedWithTheirReason(text: String, key: String, reason: String) throws {
  let message = try withTemporaryProject { project in
    try project.write("agents/hostile.yaml", text)
    return configurationError { try AgentPreset("hostile", files: project.files) }
  }
  #expect(message.contains("agents/hostile.yaml: key '\(key)'"), "\(message)")
  #expect(message.contains(reason), "\(message)")
}

@Test func aByteOrderMarkIsAcceptedInPresetsAndConfigs() throws {
  try withTemporaryProject { project in
    try project.write("agents/bom.yaml", "\u{FEFF}kind: tracker\ndeadZone: 2\n")
    #expect(try AgentPreset("bom", files: project.files).tracker.deadZone == 2)
    let config = try project.write("configs/bom.yaml", "\u{FEFF}" + shippedText("configs/smoke.yaml"))
    #expect(try TransferConfiguration.load(config, files: project.files).0.name == "smoke")
  }
}

@Test(arguments: [
  ("episodesPerSeed", "episodesPerSeed: 1000000000000000"),
  ("maxEpisodeSteps", "maxEpisodeSteps: 9223372036854775807"),
])
func transferConfigurationBoundsItsCounts(key: String, line: String) throws {
  let message = try withTemporaryProject { project in
    let url = try project.write("configs/hostile.yaml", editing(shippedText("configs/smoke.yaml"), key: key, to: line))
    return configurationError { try TransferConfiguration.load(url, files: project.files) }
  }
  #expect(message.contains("key '\(key)'"), "\(message)")
}

/// The message that loading the shipped DQN model's run.json, changed by `edit`, gives.
private func damagedRunMessage(_ edit: (inout [String: Any]) throws -> Void) throws -> String {
  try withTemporaryProject { project in
    var object = try #require(try JSONSerialization.jsonObject(
      with: Data(contentsOf: repositoryRoot.appendingPathComponent("models/dqn/run.json"))) as? [String: Any])
    try edit(&object)
    try project.write("runs/hostile/run.json", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    return configurationError { try Learners.loadRun(project.root.appendingPathComponent("runs/hostile"), files: project.files) }
  }
}

@Test(arguments: [
  ("batchSize", 0.0), ("learningRate", -1.0), ("bufferSize", 1e12),
])
func runDescriptionsAreValidatedLikePresets(key: String, value: Double) throws {
  let message = try damagedRunMessage { object in
    var configuration = try #require(object["configuration"] as? [String: Any])
    configuration[key] = value.rounded() == value ? Int(value) as Any : value as Any
    object["configuration"] = configuration
  }
  #expect(message.contains("run.json: key 'configuration.\(key)'"), "\(message)")
}

@Test func runDescriptionsRefuseImpossibleShapes() throws {
  let message = try damagedRunMessage { $0["frameShape"] = [1 << 29, 1 << 29, 1 << 29] }
  #expect(message.contains("key 'frameShape'"), "\(message)")
}
