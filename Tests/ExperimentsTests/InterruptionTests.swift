import Experiments
import Foundation
import Testing

/// A tiny DQN preset repeating each action `actionRepeat` times, and Small Breakout, in `project`.
private func tinyRun(_ project: TemporaryProject, actionRepeat: Int) throws -> (AgentPreset, VariantFile) {
  try project.copyVariants(["small"])
  try project.write("agents/tiny.yaml", shippedText("agents/dqn-tiny.yaml") + "actionRepeat: \(actionRepeat)\n")
  return (try AgentPreset("tiny", files: project.files), try project.registry().load("breakout/small"))
}

private func request(_ preset: AgentPreset, _ variant: VariantFile, _ project: TemporaryProject, steps: Int,
                     resume: Bool) -> TrainingRequest {
  TrainingRequest(preset: preset, variant: variant, steps: steps, seed: 4, folder: project.root.appendingPathComponent("runs/r"),
                  files: project.files, resume: resume, checkpointEvery: 100)
}

@Test func aCheckpointPastItsTargetIsAFinishedRun() throws {
  try withTemporaryProject { project in
    let (preset, variant) = try tinyRun(project, actionRepeat: 4)
    let run = try DQNTraining.train(request(preset, variant, project, steps: 301, resume: false))
    // An action repeat of 4 overshoots 301 steps; a kill after checkpoint.bin and before run.json leaves run.json behind.
    #expect(run.info.trainedSteps > 301)
    let url = run.folder.appendingPathComponent("run.json")
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    object["trainedSteps"] = 100
    try JSONSerialization.data(withJSONObject: object).write(to: url)
    let resumed = try DQNTraining.train(request(preset, variant, project, steps: 301, resume: true))
    #expect(resumed.info.trainedSteps == run.info.trainedSteps)
    #expect(resumed.info.learnedSHA256 == run.info.learnedSHA256)
    // Asking for fewer steps than the run took, other than its own target, is still refused.
    #expect(throws: ConfigurationError.self) { try DQNTraining.train(request(preset, variant, project, steps: 200, resume: true)) }
  }
}

@Test func resumesWithoutTheReplayAreRecordedAsInexact() throws {
  try withTemporaryProject { project in
    let (preset, variant) = try tinyRun(project, actionRepeat: 1)
    let first = try DQNTraining.train(request(preset, variant, project, steps: 300, resume: false))
    #expect(first.info.inexactResumes == nil)
    let resumed = try DQNTraining.train(request(preset, variant, project, steps: 500, resume: true))
    #expect(resumed.info.inexactResumes == ["resumed at step \(first.info.trainedSteps), replay rebuilt"])
    #expect(resumed.trainingSummary.contains("inexact: resumed at step \(first.info.trainedSteps), replay rebuilt"))
    // Finishing a finished run is no resume at all.
    let again = try DQNTraining.train(request(preset, variant, project, steps: 500, resume: true))
    #expect(again.info.inexactResumes == resumed.info.inexactResumes)
  }
}

@Test func aFolderSwapReplacesTheSetAndKeepsOtherFiles() throws {
  try withTemporaryProject { project in
    let folder = project.root.appendingPathComponent("reports/x")
    try project.write("reports/x/report.md", "old")
    try project.write("reports/x/results.csv", "old")
    try project.write("reports/x/gifs/a.gif", "gif")
    let staging = try FolderSwap.staging(for: folder)
    try AtomicFile.write("new", to: staging.appendingPathComponent("report.md"))
    try AtomicFile.write("new", to: staging.appendingPathComponent("results.csv"))
    try FolderSwap.commit(staging, to: folder)
    #expect(try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8) == "new")
    #expect(try String(contentsOf: folder.appendingPathComponent("results.csv"), encoding: .utf8) == "new")
    #expect(try String(contentsOf: folder.appendingPathComponent("gifs/a.gif"), encoding: .utf8) == "gif")
    #expect(!FileManager.default.fileExists(atPath: staging.path))
  }
}

@Test func staleTemporariesOfDeadProcessesAreRemoved() throws {
  try withTemporaryProject { project in
    let dead = ".report.md.tmp-2147483646"  // above any pid_max
    let mine = ".results.csv.tmp-\(ProcessInfo.processInfo.processIdentifier)"
    try project.write("reports/x/\(dead)", "partial")
    try project.write("reports/x/\(mine)", "in progress")
    try project.write("reports/x/report.md", "kept")
    let removed = StaleTemporaries.remove(in: project.root.appendingPathComponent("reports/x"))
    #expect(removed == [dead])
    let left = try FileManager.default.contentsOfDirectory(atPath: project.root.appendingPathComponent("reports/x").path).sorted()
    #expect(left == [mine, "report.md"].sorted())
  }
}

@Test func aLockedFolderNamesItsHolder() throws {
  try withTemporaryProject { project in
    let lock = try project.write("reports/.x.lock", "4242\n")
    // flock belongs to an open file description: one opened here conflicts with FolderLock's own, as another process's would.
    let fd = open(lock.path, O_RDWR)
    defer { close(fd) }
    #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
    let message = configurationError { try FolderLock.acquire(project.root.appendingPathComponent("reports/x")) }
    #expect(message.contains("is in use by another arcade process (pid 4242)"), "\(message)")
  }
}
