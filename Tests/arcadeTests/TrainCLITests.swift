import Foundation
import Testing

@Test func trainWritesARunThatRolloutPlaysAndResumeExtends() throws {
  try withScratch { folder in
    let first = try arcade(["train", "--agent", "dqn-tiny", "--env", "breakout/small", "--steps", "600", "--out", "run",
                            "--checkpoint-every", "200", "--quiet"], in: folder)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(try contents(folder.appendingPathComponent("run")) == ["checkpoint.bin", "curve.csv", "curve.svg", "run.json", "weights.bin"])
    let info = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("run/run.json"))) as? [String: Any]
    #expect(info?["trainedSteps"] as? Int == 600 && info?["environment"] as? String == "breakout/small")
    let csv = try String(contentsOf: folder.appendingPathComponent("run/curve.csv"), encoding: .utf8)
    #expect(csv.hasPrefix("step,episode,return,length\n") && csv.split(separator: "\n").count > 2)

    let played = try arcade(["rollout", "--env", "breakout/small", "--agent", "run", "--episodes", "2", "--max-steps", "100", "--json"], in: folder)
    #expect(played.status == 0 && played.lines.count == 3, "\(played.stderr)")

    let resumed = try arcade(["train", "--resume", "run", "--steps", "900", "--quiet"], in: folder)
    #expect(resumed.status == 0 && resumed.stdout.contains("trained 900 steps"), "\(resumed.stdout)\(resumed.stderr)")
    // Without --steps a run trains to the total it was last asked for (900, not dqn-tiny's 2,000): here it is finished.
    let finished = try arcade(["train", "--resume", "run", "--quiet"], in: folder)
    #expect(finished.status == 0 && finished.stdout.contains("trained 900 steps"), "\(finished.stdout)\(finished.stderr)")
    let fewer = try arcade(["train", "--resume", "run", "--steps", "700", "--quiet"], in: folder)
    #expect(fewer.status != 0 && fewer.stderr.contains("already taken 900 steps"), "\(fewer.stderr)")
    let again = try arcade(["train", "--agent", "dqn-tiny", "--env", "breakout/small", "--steps", "300", "--out", "run", "--quiet"], in: folder)
    #expect(again.status != 0 && again.stderr.contains("already holds a run"))
    let wrongSize = try arcade(["rollout", "--env", "breakout/standard", "--agent", "run", "--episodes", "1"], in: folder)
    #expect(wrongSize.status != 0 && wrongSize.stderr.contains("was trained on breakout/small"), "\(wrongSize.stderr)")
  }
}

@Test func trainRefusesAgentsThatDoNotLearnAndUntrainedDQNsCannotPlay() throws {
  try withScratch { folder in
    let tracker = try arcade(["train", "--agent", "tracker", "--env", "breakout/small", "--steps", "10", "--quiet"], in: folder)
    #expect(tracker.status != 0 && tracker.stderr.contains("does not learn") && tracker.stderr.contains("learning agents: dqn"), "\(tracker.stderr)")
    let untrained = try arcade(["rollout", "--env", "breakout/small", "--agent", "dqn-tiny"], in: folder)
    #expect(untrained.status != 0 && untrained.stderr.contains("untrained DQN"), "\(untrained.stderr)")
  }
}

@Test func transferTrainsAListedDQNAndSkipsVariantsItsNetworkCannotRead() throws {
  let config = """
    name: dqn-cli
    summary: "DQN smoke."
    trainOn: breakout/small
    evaluateOn: [breakout/small, breakout/standard]
    agents: [random, dqn-tiny]
    seeds: [0]
    episodesPerSeed: 1
    maxEpisodeSteps: 100

    """
  try withScratch { folder in
    let root = folder.appendingPathComponent("project")
    for sub in ["envs", "agents", "configs"] {
      try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent(sub), to: root.appendingPathComponent(sub))
    }
    try Data(config.utf8).write(to: root.appendingPathComponent("configs/dqn.yaml"))
    let run = try arcade(["transfer", "configs/dqn.yaml", "--quiet"], in: root, root: root)
    #expect(run.status == 0, "\(run.stderr)")
    let report = try String(contentsOf: root.appendingPathComponent("reports/dqn-cli/report.md"), encoding: .utf8)
    #expect(report.contains("| dqn-tiny |") && report.contains("Not evaluated: dqn-tiny on `breakout/standard`"))
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("runs/dqn-cli-dqn-tiny/weights.bin").path))
    // Edited after training: the run no longer fits the preset, and is neither reused nor overwritten.
    let preset = root.appendingPathComponent("agents/dqn-tiny.yaml")
    try Data((try String(contentsOf: preset, encoding: .utf8) + "learningRate: 0.001\n").utf8).write(to: preset)
    let weights = try Data(contentsOf: root.appendingPathComponent("runs/dqn-cli-dqn-tiny/weights.bin"))
    let edited = try arcade(["transfer", "configs/dqn.yaml", "--quiet"], in: root, root: root)
    #expect(edited.status != 0 && edited.stderr.contains("agent 'dqn-tiny': key 'learningRate': differs from the run in runs/dqn-cli-dqn-tiny"),
            "\(edited.stderr)")
    #expect(try Data(contentsOf: root.appendingPathComponent("runs/dqn-cli-dqn-tiny/weights.bin")) == weights)
  }
}

/// A run killed before its target goes on to the steps it was asked for, not to its preset's, and its run.json
/// exists from the start.
@Test func aKilledRunResumesToTheStepsItWasAskedFor() throws {
  try withScratch { folder in
    let run = folder.appendingPathComponent("run")
    let process = Process()
    process.executableURL = try arcadeBinary()
    process.arguments = ["train", "--agent", "dqn-tiny", "--env", "breakout/small", "--steps", "3000", "--out", run.path,
                         "--checkpoint-every", "300", "--threads", "1", "--quiet", "--root", repositoryRoot.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    var sawInfoBeforeCheckpoint = false
    let deadline = Date().addingTimeInterval(120)
    while !FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoint.bin").path) && Date() < deadline {
      if FileManager.default.fileExists(atPath: run.appendingPathComponent("run.json").path) { sawInfoBeforeCheckpoint = true }
      usleep(2_000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(sawInfoBeforeCheckpoint, "run.json is written before the first checkpoint")
    let info = try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("run.json"))) as? [String: Any]
    #expect(info?["targetSteps"] as? Int == 3000)
    #expect((info?["command"] as? String)?.contains("--steps 3000") == true, "\(info?["command"] ?? "no command")")
    let resumed = try arcade(["train", "--resume", run.path, "--quiet"], in: folder)
    #expect(resumed.status == 0 && resumed.stdout.contains("trained 3000 steps"), "\(resumed.stdout)\(resumed.stderr)")
  }
}
