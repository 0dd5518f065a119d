import Checksums
import Agents
import Experiments
import Foundation
import Testing

@Test(arguments: AgentKind.allCases)
func builtInKindsResolveWithoutFiles(kind: AgentKind) throws {
  let preset = try withTemporaryProject { project in try AgentPreset(kind.rawValue, files: project.files) }
  #expect(preset.kind == kind)
  #expect(preset.name == kind.rawValue)
  #expect(preset.sha256 == "built-in")
  #expect(preset.tracker == TrackerConfiguration())
}

@Test func presetFileOverridesOnlyTheKeysItGives() throws {
  let text = "kind: tracker\ndeadZone: 4\n"
  let preset = try withTemporaryProject { project in
    try project.write("agents/tracker.yaml", text)
    return try AgentPreset("tracker", files: project.files)
  }
  #expect(preset.kind == .tracker)
  #expect(preset.name == "tracker")
  #expect(preset.tracker.deadZone == 4)
  #expect(preset.tracker.predictLanding == TrackerConfiguration().predictLanding)
  #expect(preset.tracker.predictLanding == true)
  #expect(preset.tracker.varyAim == TrackerConfiguration().varyAim)
  #expect(preset.sha256 == SHA256.hexDigest(Array(text.utf8)))
}

@Test func presetFileCanSwitchABooleanOff() throws {
  let preset = try withTemporaryProject { project in
    _ = try project.write("agents/straight.yaml", "kind: tracker\nsummary: no aiming\nvaryAim: false\n")
    return try AgentPreset("straight", files: project.files)
  }
  #expect(preset.name == "straight")
  #expect(preset.summary == "no aiming")
  #expect(preset.tracker.varyAim == false)
  #expect(preset.tracker.deadZone == TrackerConfiguration().deadZone)
}

@Test func presetGivenAsAPathIsRead() throws {
  let preset = try withTemporaryProject { project in
    try project.write("elsewhere/mine.yaml", "kind: tracker\ndeadZone: 7\n")
    return try AgentPreset("elsewhere/mine.yaml", files: project.files)
  }
  #expect(preset.name == "mine")
  #expect(preset.tracker.deadZone == 7)
}

@Test func shippedPresetsLoad() throws {
  let files = ProjectFiles(root: repositoryRoot)
  let tracker = try AgentPreset("tracker", files: files)
  #expect(tracker.kind == .tracker)
  #expect(tracker.sha256 != "built-in")
  let random = try AgentPreset("random", files: files)
  #expect(random.kind == .random)
}

@Test func unknownKeyInAPresetIsAnError() throws {
  let message = try withTemporaryProject { project in
    _ = try project.write("agents/sloppy.yaml", "kind: tracker\ndeadzone: 4\n")
    return configurationError { try AgentPreset("sloppy", files: project.files) }
  }
  #expect(message.contains("agents/sloppy.yaml"))
  #expect(message.contains("'deadzone'"))
  #expect(message.contains("did you mean 'deadZone'"))
}

@Test func randomPresetWithTrackerKeysIsAnError() throws {
  let message = try withTemporaryProject { project in
    _ = try project.write("agents/confused.yaml", "kind: random\ndeadZone: 3\n")
    return configurationError { try AgentPreset("confused", files: project.files) }
  }
  #expect(message.contains("agents/confused.yaml"))
  #expect(message.contains("deadZone"))
}

@Test func presetWithAnUnknownKindIsAnError() throws {
  let message = try withTemporaryProject { project in
    _ = try project.write("agents/ppo.yaml", "kind: ppo\n")
    return configurationError { try AgentPreset("ppo", files: project.files) }
  }
  #expect(message.contains("agents/ppo.yaml"))
  #expect(message.contains("kind"))
  #expect(message.contains("ppo"))
}

@Test func presetWithAWrongTypeIsAnError() throws {
  let message = try withTemporaryProject { project in
    _ = try project.write("agents/wide.yaml", "kind: tracker\ndeadZone: wide\n")
    return configurationError { try AgentPreset("wide", files: project.files) }
  }
  #expect(message.contains("agents/wide.yaml"))
  #expect(message.contains("deadZone"))
  #expect(message.contains("wide"))
}

@Test func negativeDeadZoneIsAnError() throws {
  let message = try withTemporaryProject { project in
    _ = try project.write("agents/neg.yaml", "kind: tracker\ndeadZone: -2\n")
    return configurationError { try AgentPreset("neg", files: project.files) }
  }
  #expect(message.contains("agents/neg.yaml"))
  #expect(message.contains("deadZone"))
  #expect(message.contains("-2"))
}

@Test func unknownAgentNameListsPresetsAndKinds() throws {
  let message = try withTemporaryProject { project in
    _ = try project.write("agents/mine.yaml", "kind: random\n")
    return configurationError { try AgentPreset("trackr", files: project.files) }
  }
  #expect(message.contains("unknown agent 'trackr'"))
  #expect(message.contains("mine"))
  #expect(message.contains("random") && message.contains("tracker"))
}

@Test func dqnPresetsOverrideOnlyTheirKeysAndRejectImpossibleValues() throws {
  try withTemporaryProject { project in
    _ = try project.write("agents/mine.yaml", "kind: dqn\nhiddenUnits: [64, 32]\ngridPool: 3\n")
    let preset = try AgentPreset("mine", files: project.files)
    #expect(preset.dqn.hiddenUnits == [64, 32] && preset.dqn.gridPool == 3 && preset.dqn.gamma == 0.99)
    _ = try project.write("agents/bad.yaml", "kind: dqn\nframeStack: 0\n")
    #expect(throws: ConfigurationError.self) { try AgentPreset("bad", files: project.files) }
    _ = try project.write("agents/typo.yaml", "kind: dqn\nlearningRat: 0.1\n")
    do { _ = try AgentPreset("typo", files: project.files) } catch { #expect("\(error)".contains("did you mean 'learningRate'")) }
    _ = try project.write("agents/mixed.yaml", "kind: dqn\ndeadZone: 2\n")
    #expect(throws: ConfigurationError.self) { try AgentPreset("mixed", files: project.files) }
  }
}
