import Foundation
import Testing

@Test(arguments: [
  (["rollout", "--env", "breakout/small", "--episodes", "-1"], "--episodes must be at least 1 (got -1)"),
  (["rollout", "--env", "breakout/small", "--episodes", "1000000000000000"], "--episodes must be at most 1000000"),
  (["rollout", "--env", "breakout/small", "--max-steps", "-5"], "--max-steps must be at least 1 (got -5)"),
  (["train", "--agent", "dqn-tiny", "--env", "breakout/small", "--steps", "-1"], "--steps must be at least 1 (got -1)"),
])
func negativeAndHugeCountsAreNamed(arguments: [String], message: String) throws {
  try withScratch { folder in
    let run = try arcade(arguments, in: folder)
    #expect(run.status != 0 && run.stderr.contains(message), "\(run.stderr)")
    #expect(!run.stderr.contains("Missing value"))
  }
}

@Test func outputFoldersAreCheckedBeforeAnyWork() throws {
  try withScratch { folder in
    try Data("a file".utf8).write(to: folder.appendingPathComponent("taken"))
    let file = try arcade(["train", "--agent", "dqn-tiny", "--env", "breakout/small", "--steps", "50", "--out", "taken", "--quiet"],
                          in: folder)
    #expect(file.status != 0 && file.stderr.contains("output folder") && file.stderr.contains("is a file, not a folder"),
            "\(file.stderr)")
    let long = String(repeating: "x", count: 300)
    let tooLong = try arcade(["transfer", "configs/smoke.yaml", "--quiet", "--out", long], in: folder)
    #expect(tooLong.status != 0 && tooLong.stderr.contains("300 bytes") && tooLong.stdout.isEmpty, "\(tooLong.stderr)")
    let below = try arcade(["transfer", "configs/smoke.yaml", "--quiet", "--out", "taken/report"], in: folder)
    #expect(below.status != 0 && below.stderr.contains("cannot be created"), "\(below.stderr)")
    #expect(below.stderr.split(separator: "\n").count == 1)
  }
}

@Test func resumeRefusesAConflictingAgentOrEnvironment() throws {
  try withScratch { folder in
    let first = try arcade(["train", "--agent", "dqn-tiny", "--env", "breakout/small", "--steps", "100", "--out", "run", "--quiet"],
                           in: folder)
    #expect(first.status == 0, "\(first.stderr)")
    let agent = try arcade(["train", "--resume", "run", "--agent", "dqn-small", "--steps", "200", "--quiet"], in: folder)
    #expect(agent.status != 0 && agent.stderr.contains("--agent dqn-small conflicts with --resume"), "\(agent.stderr)")
    let env = try arcade(["train", "--resume", "run", "--env", "breakout/standard", "--steps", "200", "--quiet"], in: folder)
    #expect(env.status != 0 && env.stderr.contains("the run was trained with env 'breakout/small'"), "\(env.stderr)")
    let same = try arcade(["train", "--resume", "run", "--env", "breakout/small", "--steps", "200", "--quiet"], in: folder)
    #expect(same.status == 0, "\(same.stderr)")
  }
}
