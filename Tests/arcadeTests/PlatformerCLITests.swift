import EnvironmentCore
import EnvironmentTesting
import Foundation
import Testing

@Test func solveWritesAPlanThatReplaysToAWinAndRecords() throws {
  try withScratch { folder in
    let solved = try arcade(["solve", "--env", "priors/original", "--out", "plan.txt"], in: folder)
    #expect(solved.status == 0, "\(solved.stderr)")
    #expect(solved.stdout.contains("shortest win: 91 steps"), "\(solved.stdout)")
    let plan = try String(contentsOf: folder.appendingPathComponent("plan.txt"), encoding: .utf8)
    #expect(plan.split(separator: "\n").filter { !$0.hasPrefix("#") }.count == 91)
    let replayed = try arcade(["replay", "--env", "priors/original", "--actions", "plan.txt", "--out", "run.gif"], in: folder)
    #expect(replayed.status == 0 && replayed.stdout.contains("won after 91"), "\(replayed.stdout)\(replayed.stderr)")
    let gif = try GIFDecoder.decode([UInt8](Data(contentsOf: folder.appendingPathComponent("run.gif"))))
    #expect(gif.frames.count == 92 && gif.frames[0].width == 230)
    // The same plan on map_3's geometry does not win: replay says so and exits non-zero.
    let elsewhere = try arcade(["replay", "--env", "priors/masked-object-identity", "--actions", "plan.txt"], in: folder)
    #expect(elsewhere.status != 0 && elsewhere.stdout.contains("priors/masked-object-identity"))
  }
}

@Test func replayRejectsAnUnknownActionNamingLineAndWord() throws {
  try withScratch { folder in
    try "LEFT RIGHT\n# a comment\nJUMP HOP\n".write(to: folder.appendingPathComponent("bad.txt"), atomically: true, encoding: .utf8)
    let run = try arcade(["replay", "--env", "priors/original", "--actions", "bad.txt"], in: folder)
    #expect(run.status != 0)
    #expect(run.stderr.contains("bad.txt:3") && run.stderr.contains("'HOP'") && run.stderr.contains("JUMP"), "\(run.stderr)")
  }
}

@Test func solveRefusesBreakout() throws {
  try withScratch { folder in
    let run = try arcade(["solve", "--env", "breakout/standard"], in: folder)
    #expect(run.status != 0 && run.stderr.contains("not a platformer variant"), "\(run.stderr)")
  }
}

@Test func rolloutOnThePlatformerPrintsExplorationMetrics() throws {
  try withScratch { folder in
    let run = try arcade(["rollout", "--env", "priors/masked-semantics", "--episodes", "3", "--json"], in: folder)
    #expect(run.status == 0)
    let summary = try jsonObject(run.lines.last!)
    for key in ["wins", "deaths", "meanUniqueCells", "meanUniqueStates"] { #expect(summary[key] != nil, "\(key)") }
    let first = try jsonObject(run.lines[0])
    #expect((first["uniqueStates"] as? Int ?? 0) >= (first["uniqueCells"] as? Int ?? 0))
  }
}
