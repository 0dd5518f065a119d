import Foundation
import Testing

/// The checkout: Tests/arcadeTests/<file> → ../../
let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let shippedVariants = [
  "breakout/half-negative", "breakout/juggling", "breakout/middle-wall", "breakout/moving-obstacles",
  "breakout/offset-paddle", "breakout/random-target", "breakout/small", "breakout/standard",
  "priors/all-masked", "priors/continual", "priors/ladder-swapped", "priors/low-gravity", "priors/masked-affordances",
  "priors/masked-object-identity", "priors/masked-semantics", "priors/masked-similarity", "priors/original",
  "priors/reversed-semantics", "priors/rotated",
]

/// What a run of the `arcade` binary produced.
struct Run {
  var status: Int32
  var stdout: String
  var stderr: String
  var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// A scratch folder, used as the working directory of the binary; removed afterwards.
func withScratch<T>(_ body: (URL) throws -> T) throws -> T {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arcade-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  return try body(folder)
}

/// The `arcade` binary built beside the test bundle.
func arcadeBinary() throws -> URL {
  let candidates = [
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent(),
    Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
  ].map { $0.appendingPathComponent("arcade") }
  return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                      "no arcade binary next to the tests: \(candidates.map(\.path))")
}

/// Runs `arcade arguments` in `directory` with the project root given by `--root` (appended) unless
/// `root` is nil; `environment` adds variables. Output goes through files, so no pipe can fill up.
func arcade(_ arguments: [String], in directory: URL, root: URL? = repositoryRoot,
            environment: [String: String] = [:]) throws -> Run {
  let process = Process()
  process.executableURL = try arcadeBinary()
  process.arguments = arguments + (root.map { ["--root", $0.path] } ?? [])
  process.currentDirectoryURL = directory
  var env = ProcessInfo.processInfo.environment
  env["ARCADE_ROOT"] = nil
  env.merge(environment) { $1 }
  process.environment = env
  let outURL = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
  let errURL = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
  _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
  _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
  defer {
    try? FileManager.default.removeItem(at: outURL)
    try? FileManager.default.removeItem(at: errURL)
  }
  let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
  process.standardOutput = out
  process.standardError = err
  try process.run()
  process.waitUntilExit()
  try out.close()
  try err.close()
  return Run(status: process.terminationStatus,
             stdout: try String(contentsOf: outURL, encoding: .utf8),
             stderr: try String(contentsOf: errURL, encoding: .utf8))
}

/// Files in `folder`, without the run's own output captures.
func contents(_ folder: URL) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".std") }.sorted()
}

func jsonObject(_ line: String) throws -> [String: Any] {
  try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
}

/// The keys of a one-line JSON object in the order they appear in the text.
func keysInOrder(_ line: String, among keys: [String]) -> [String] {
  keys.compactMap { key in line.range(of: "\"\(key)\":").map { (key, $0.lowerBound) } }
    .sorted { $0.1 < $1.1 }.map(\.0)
}

// MARK: - list

@Test func listPrintsEveryVariant() throws {
  let run = try withScratch { try arcade(["list"], in: $0) }
  #expect(run.status == 0, "\(run.stderr)")
  #expect(run.lines.compactMap { $0.split(separator: " ").first.map(String.init) } == shippedVariants)
}

/// A project folder inside `folder` holding only envs/breakout/small.yaml.
func smallOnlyProject(in folder: URL) throws -> URL {
  let root = folder.appendingPathComponent("project")
  let envs = root.appendingPathComponent("envs/breakout")
  try FileManager.default.createDirectory(at: envs, withIntermediateDirectories: true)
  try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("envs/breakout/small.yaml"),
                                   to: envs.appendingPathComponent("small.yaml"))
  return root
}

@Test func listReadsTheProjectGivenByRoot() throws {
  let run = try withScratch { try arcade(["list"], in: $0, root: try smallOnlyProject(in: $0)) }
  #expect(run.status == 0, "\(run.stderr)")
  #expect(run.lines.map { $0.split(separator: " ").first.map(String.init) } == ["breakout/small"])
}

@Test func listHonoursARCADE_ROOT() throws {
  let run = try withScratch { folder in
    try arcade(["list"], in: folder, root: nil, environment: ["ARCADE_ROOT": try smallOnlyProject(in: folder).path])
  }
  #expect(run.status == 0, "\(run.stderr)")
  #expect(run.lines.map { $0.split(separator: " ").first.map(String.init) } == ["breakout/small"])
}

@Test func anARCADE_ROOTWithoutEnvsIsAnError() throws {
  let run = try withScratch { try arcade(["list"], in: $0, root: nil, environment: ["ARCADE_ROOT": $0.path]) }
  #expect(run.status != 0)
  #expect(run.stderr.contains("ARCADE_ROOT"))
  #expect(run.stdout.isEmpty)
}

// MARK: - rollout

@Test func rolloutOfAnUnknownEnvironmentFailsListingTheValidIds() throws {
  let run = try withScratch { try arcade(["rollout", "--env", "breakout/nope"], in: $0) }
  #expect(run.status != 0)
  #expect(run.stderr.contains("unknown environment id"))
  #expect(run.stderr.contains("breakout/nope"))
  for id in shippedVariants { #expect(run.stderr.contains(id), "\(id) not listed") }
  #expect(run.stdout.isEmpty)
}

@Test func rolloutJSONHasOneLinePerEpisodeAndAConsistentSummary() throws {
  let arguments = ["rollout", "--env", "breakout/small", "--agent", "tracker", "--episodes", "3", "--seed", "5",
                   "--max-steps", "300", "--json"]
  let run = try withScratch { try arcade(arguments, in: $0) }
  #expect(run.status == 0, "\(run.stderr)")
  let lines = run.lines
  try #require(lines.count == 4, "\(run.stdout)")
  let episodes = try lines.dropLast().map(jsonObject)
  #expect(episodes.map { $0["episode"] as? Int } == [0, 1, 2])
  #expect(episodes.allSatisfy { ($0["length"] as? Int).map { 1...300 ~= $0 } ?? false })
  let summary = try jsonObject(lines[3])
  let required = ["episodes", "meanReturn", "stdReturn", "meanLength", "stdLength"]
  #expect(Set(summary.keys).isSuperset(of: required), "\(lines[3])")
  #expect(Set(summary.keys).subtracting(required).isSubset(of: ["env", "agent"]), "\(lines[3])")
  #expect(summary["episodes"] as? Int == 3)
  #expect(summary["env"] == nil || summary["env"] as? String == "breakout/small")
  #expect(summary["agent"] == nil || summary["agent"] as? String == "tracker")
  let returns = episodes.compactMap { ($0["return"] as? NSNumber)?.doubleValue }
  let lengths = episodes.compactMap { ($0["length"] as? NSNumber)?.doubleValue }
  try #require(returns.count == 3 && lengths.count == 3)
  let meanReturn = try #require((summary["meanReturn"] as? NSNumber)?.doubleValue)
  let meanLength = try #require((summary["meanLength"] as? NSNumber)?.doubleValue)
  #expect(abs(meanReturn - returns.reduce(0, +) / 3) < 1e-9)
  #expect(abs(meanLength - lengths.reduce(0, +) / 3) < 1e-9)
  let m = lengths.reduce(0, +) / 3
  let sampleStd = (lengths.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 2).squareRoot()
  #expect(abs(((summary["stdLength"] as? NSNumber)?.doubleValue ?? -1) - sampleStd) < 1e-9)
}

@Test func rolloutIsDeterministic() throws {
  let arguments = ["rollout", "--env", "breakout/small", "--agent", "tracker", "--episodes", "3", "--seed", "5",
                   "--max-steps", "300", "--json"]
  let (a, b, other) = try withScratch { folder in
    (try arcade(arguments, in: folder), try arcade(arguments, in: folder),
     try arcade(arguments.map { $0 == "5" ? "6" : $0 }, in: folder))
  }
  #expect(a.status == 0 && b.status == 0)
  #expect(!a.stdout.isEmpty)
  #expect(a.stdout == b.stdout)
  #expect(other.stdout != a.stdout, "a different seed should play different episodes")
}

@Test(arguments: [["--episodes", "0"], ["--episodes", "-2"], ["--max-steps", "0"]])
func rolloutRejectsBadCounts(extra: [String]) throws {
  let run = try withScratch { try arcade(["rollout", "--env", "breakout/small"] + extra, in: $0) }
  #expect(run.status != 0)
  #expect(run.stderr.contains(extra[0]), "\(run.stderr)")
  #expect(run.stdout.isEmpty)
}

@Test func rolloutOfAnUnknownAgentFails() throws {
  let run = try withScratch { try arcade(["rollout", "--env", "breakout/small", "--agent", "genius"], in: $0) }
  #expect(run.status != 0)
  #expect(run.stderr.contains("unknown agent 'genius'"))
}

// MARK: - render

@Test func renderWritesAPNGOfTheScaledFrame() throws {
  let (run, bytes, files) = try withScratch { folder in
    let run = try arcade(["render", "--env", "breakout/standard", "--steps", "10", "--out", "X.png", "--scale", "2"], in: folder)
    let bytes = try? [UInt8](Data(contentsOf: folder.appendingPathComponent("X.png")))
    return (run, bytes, try contents(folder))
  }
  #expect(run.status == 0, "\(run.stderr)")
  #expect(files == ["X.png"], "no temporary files left behind")
  let png = try #require(bytes)
  try #require(png.count > 33)
  #expect(Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
  #expect(Array(png[12..<16]) == Array("IHDR".utf8))
  func bigEndian(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
  #expect(bigEndian(16) == 188)
  #expect(bigEndian(20) == 234)
  #expect(Array(png.suffix(8)[png.count - 8..<png.count - 4]) == Array("IEND".utf8))
}

@Test(arguments: [["--out", "X.txt"], ["--out", "X.png", "--scale", "0"], ["--out", "X.png", "--steps", "-1"]])
func renderRejectsBadOptionsAndWritesNothing(extra: [String]) throws {
  let (run, files) = try withScratch { folder in
    let run = try arcade(["render", "--env", "breakout/standard"] + extra, in: folder)
    return (run, try contents(folder))
  }
  #expect(run.status != 0)
  #expect(!run.stderr.isEmpty)
  #expect(files.isEmpty, "wrote \(files)")
}

// MARK: - bench

@Test func benchEnvPrintsOneJSONLineWithItsKeysSorted() throws {
  let run = try withScratch { try arcade(["bench", "env", "--env", "breakout/small", "--obs", "grid", "--steps", "2000"], in: $0) }
  #expect(run.status == 0, "\(run.stderr)")
  try #require(run.lines.count == 1, "\(run.stdout)")
  let line = run.lines[0]
  let keys = ["env", "obs", "envs", "threads", "steps", "seconds", "stepsPerSecond"]
  #expect(keysInOrder(line, among: keys) == keys.sorted(), "keys in alphabetical order, so lines compare as text")
  let object = try jsonObject(line)
  #expect(Set(object.keys) == Set(keys))
  #expect(object["env"] as? String == "breakout/small")
  #expect(object["obs"] as? String == "grid")
  #expect(object["envs"] as? Int == 1)
  #expect(object["threads"] as? Int == 1)
  #expect(object["steps"] as? Int == 2000)
  let seconds = try #require((object["seconds"] as? NSNumber)?.doubleValue)
  let rate = try #require((object["stepsPerSecond"] as? NSNumber)?.doubleValue)
  #expect(seconds > 0)
  #expect(abs(rate * seconds - 2000) < 1e-6 * 2000)
}
