import Agents
import Checksums
import Dispatch
import EnvironmentCore
import Evaluation
import Foundation
import Games

/// Runs a ``PriorStudyConfiguration``: every exploring agent on every variant and seed, from scratch, until its first
/// win or the action budget. Each finished cell is kept in `cells/` beside the report and skipped on a rerun; a cell
/// that fails is listed in the report and the others go on.
public struct PriorStudy: Sendable {
  /// One cell to play.
  public struct Job: Sendable, Hashable {
    public let variant: Int, agent: Int, seed: UInt64
  }

  public let configuration: PriorStudyConfiguration
  public let configurationPath: String
  public let variants: [VariantFile]
  public let agents: [AgentPreset]
  public let jobs: [Job]
  /// SHA-256 of the configuration file, for the shards' fingerprint.
  public let configurationSHA256: String

  /// Resolves every name in the configuration before anything runs.
  public init(configuration url: URL, files: ProjectFiles) throws {
    let config = try PriorStudyConfiguration.load(url, files: files)
    configurationSHA256 = SHA256.hexDigest(try [UInt8](files.read(url)))
    let file = files.display(url)
    let registry = try EnvironmentRegistry(files: files)
    func located<T>(_ key: String, _ body: () throws -> T) throws -> T {
      do { return try body() } catch let error as ConfigurationError { throw ConfigurationError(file: file, key: key, error.message) }
    }
    variants = try located("variants") {
      try config.variants.map { id in
        let variant = try registry.load(id)
        guard case .priors = variant.parameters else { throw ConfigurationError("value '\(id)' is not a platformer variant (priors/*)") }
        return variant
      }
    }
    agents = try located("agents") {
      try config.agents.map { entry in
        let preset = try AgentPreset(entry.preset, files: files)
        guard preset.kind.explores else {
          throw ConfigurationError("value '\(entry.preset)' is a \(preset.kind.rawValue) agent; the study plays exploring agents"
                                   + " (kinds schema-explore, dqn-explore)")
        }
        return preset
      }
    }
    var jobs: [Job] = []
    for (a, entry) in config.agents.enumerated() {
      for (v, id) in config.variants.enumerated() where entry.variants?.contains(id) ?? true {
        jobs += (entry.seeds ?? config.seeds).map { Job(variant: v, agent: a, seed: $0) }
      }
    }
    self.jobs = jobs
    configuration = config
    configurationPath = file
  }

  /// Where a job's finished cell is kept inside the report folder.
  func cellFile(_ job: Job, in folder: URL) -> URL {
    let v = variants[job.variant].id
    return folder.appendingPathComponent("cells/\(agents[job.agent].name)--\(v.family)-\(v.variant)--seed\(job.seed).json")
  }

  /// Plays every job (of `shard` only, if given) not already finished in `folder` on `threads` threads (results do
  /// not depend on it) and returns the report.
  public func run(folder: URL, threads: Int, progress: ProgressBar?, shard: Shard? = nil) -> PriorStudyReport {
    play(folder: folder, threads: threads, progress: progress, shard: shard).report
  }

  /// The report of `shard`'s jobs (all without one), with the job index of each of its cells and failures.
  func play(folder: URL, threads: Int, progress: ProgressBar?, shard: Shard?)
    -> (report: PriorStudyReport, cellJobs: [Int], failureJobs: [Int]) {
    let started = Date()
    let mine = jobs.indices.filter { shard?.owns($0) ?? true }
    let queue = CellQueue(count: mine.count)
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, mine.count))) { _ in
      while let i = queue.claim() {
        let result = Result { try cell(jobs[mine[i]], folder: folder, progress: progress) }
        queue.store(i, result)
      }
    }
    progress?.finish()
    var cells: [PriorStudyReport.Cell] = [], failures: [PriorStudyReport.Failure] = [], cellJobs: [Int] = [], failureJobs: [Int] = []
    for (i, k) in mine.enumerated() {
      switch queue.results[i] {
      case .success(let cell)?:
        cells.append(cell)
        cellJobs.append(k)
      case .failure(let error)?:
        failures.append(failure(k, "\(error)"))
        failureJobs.append(k)
      case nil: break
      }
    }
    return (report(cells: cells, failures: failures, generatedAt: ISO8601DateFormatter().string(from: started)), cellJobs, failureJobs)
  }

  /// The failure entry of job `k`.
  func failure(_ k: Int, _ error: String) -> PriorStudyReport.Failure {
    let job = jobs[k]
    return .init(variant: variants[job.variant].id.description, agent: agents[job.agent].name, seed: job.seed, error: error)
  }

  /// The study's report holding `cells` and `failures`.
  func report(cells: [PriorStudyReport.Cell], failures: [PriorStudyReport.Failure], generatedAt: String) -> PriorStudyReport {
    PriorStudyReport(
      name: configuration.name, configuration: configurationPath, actionBudget: configuration.actionBudget,
      variants: variants.map { .init(id: $0.id.description, summary: $0.summary, shortestWin: Self.shortestWin($0)) },
      agents: agents.map(\.name), cells: cells, failures: failures, generatedAt: generatedAt, software: SoftwareVersions.current)
  }

  /// The finished cell of `job`: read from `folder` when a run with the same files left it there, else played and kept.
  func cell(_ job: Job, folder: URL, progress: ProgressBar?) throws -> PriorStudyReport.Cell {
    let url = cellFile(job, in: folder)
    let stamp = CellStamp(preset: agents[job.agent].sha256, variant: variants[job.variant].sha256, actionBudget: configuration.actionBudget)
    if let data = try? Data(contentsOf: url), let kept = try? JSONDecoder().decode(StoredCell.self, from: data), kept.stamp == stamp {
      progress?.advance(by: configuration.actionBudget)
      return kept.cell
    }
    let variant = variants[job.variant], preset = agents[job.agent]
    let game = variant.makeGame()
    var explorer = try preset.makeExplorer(actionNames: game.actionNames, seed: SplitMix64.derive(job.seed, 0xE8))
    var cell = try ExplorationRun.play(game, explorer: &explorer, seed: job.seed, budget: configuration.actionBudget,
                                       maxEpisodeSteps: variant.maxEpisodeSteps, progress: progress)
    cell.variant = variant.id.description
    cell.agent = preset.name
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicFile.write(encoder.encode(StoredCell(cell: cell, stamp: stamp)), to: url)
    return cell
  }

  /// The exact solver's shortest win on the variant's first episode, for scale.
  static func shortestWin(_ variant: VariantFile) -> Int? {
    guard case .priors(let options, let levels) = variant.parameters else { return nil }
    var game = PriorPlatformer(options: options, levels: levels)
    game.reset(seed: SplitMix64.derive(0, 0))
    return PriorSolver.solve(game, maxSteps: variant.maxEpisodeSteps).plan?.count
  }

  /// Writes `report.md`, `results.json`, `results.csv` and `chart.svg` into `folder` as one set: staged beside
  /// it and swapped in whole, so a kill never leaves files of two runs (kept cells stay in `cells/`).
  public static func write(_ report: PriorStudyReport, to folder: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try FolderLock.acquire(folder)
    let staging = try FolderSwap.staging(for: folder)
    try AtomicFile.write(report.markdown(), to: staging.appendingPathComponent("report.md"))
    try AtomicFile.write(encoder.encode(report) + Data("\n".utf8), to: staging.appendingPathComponent("results.json"))
    try AtomicFile.write(report.csv(), to: staging.appendingPathComponent("results.csv"))
    try AtomicFile.write(report.chartSVG(), to: staging.appendingPathComponent("chart.svg"))
    try FolderSwap.commit(staging, to: folder)
  }
}

/// What a kept cell was played with: it stands for a new run only when all of it matches.
struct CellStamp: Codable, Hashable {
  var preset: String
  var variant: String
  var actionBudget: Int
}

struct StoredCell: Codable {
  var cell: PriorStudyReport.Cell
  var stamp: CellStamp
}

/// Jobs handed to worker threads, and their results.
final class CellQueue: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private(set) var results: [Result<PriorStudyReport.Cell, any Error>?]

  init(count: Int) { results = Array(repeating: nil, count: count) }

  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard next < results.count else { return nil }
    next += 1
    return next - 1
  }

  func store(_ index: Int, _ result: Result<PriorStudyReport.Cell, any Error>) {
    lock.lock()
    results[index] = result
    lock.unlock()
  }
}
