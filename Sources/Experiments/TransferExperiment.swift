import Recording
import Agents
import Dispatch
import EnvironmentCore
import Evaluation
import Foundation

/// Runs a ``TransferConfiguration``: trains each agent on the training variant if it learns (or plays the model the
/// repository ships for it), evaluates it zero-shot on every variant over every seed, and writes the report.
public struct TransferExperiment: Sendable {
  public let configuration: TransferConfiguration
  public let configurationPath: String
  public let configurationSHA256: String
  public let variants: [VariantFile]
  public private(set) var agents: [AgentPreset]
  /// The trained runs each learning agent plays, by agent: one shipped model, one run, or one per training seed;
  /// empty for agents that do not learn.
  public private(set) var trainedRuns: [[any TrainedRun]]
  /// The variant agents that learn are trained on.
  public let trainingVariant: VariantFile
  public let files: ProjectFiles

  /// Resolves every name in the configuration before anything runs, so a typo fails in a second.
  public init(configuration url: URL, files: ProjectFiles) throws {
    let (config, hash) = try TransferConfiguration.load(url, files: files)
    let registry = try EnvironmentRegistry(files: files)
    let file = files.display(url)
    func located<T>(_ key: String, _ body: () throws -> T) throws -> T {
      do { return try body() } catch let error as ConfigurationError { throw ConfigurationError(file: file, key: key, error.message) }
    }
    trainingVariant = try located("trainOn") { try registry.load(config.trainOn) }
    self.files = files
    variants = try located("evaluateOn") { try config.evaluateOn.map { try registry.load($0) } }
    agents = try located("agents") { try config.agents.map { try AgentPreset($0, files: files) } }
    // Rows are keyed by preset name, so two presets may not share one.
    for (i, agent) in agents.enumerated() where agents[..<i].contains(where: { $0.name == agent.name }) {
      throw ConfigurationError(file: file, key: "agents", "two entries resolve to presets named '\(agent.name)'; rename one file")
    }
    // Agents named by a run folder play it; presets play their shipped model unless the config trains anew.
    trainedRuns = agents.map { agent in
      guard let run = agent.run, !(agent.playsShippedModel && config.useShippedModels == false) else { return [] }
      return [run]
    }
    configuration = config
    configurationPath = file
    configurationSHA256 = hash
  }

  /// Episodes the evaluation plays (of `shard`'s cells only, if given): every agent's runs × variants × seeds ×
  /// episodes per seed.
  public func totalEpisodes(shard: Shard? = nil) -> Int {
    cellKeys(shard: shard).map { players($0.agent).count }.reduce(0, +) * configuration.seeds.count * configuration.episodesPerSeed
  }

  /// Every evaluation cell (agent, variant) in report order, agents outer; with `shard`, only the cells it owns
  /// (cell `k` of that order belongs to shard `k mod N`, so no cell is split between shards).
  func cellKeys(shard: Shard? = nil) -> [(agent: Int, variant: Int)] {
    let all = agents.indices.flatMap { a in variants.indices.map { (agent: a, variant: $0) } }
    guard let shard else { return all }
    return all.indices.filter(shard.owns).map { all[$0] }
  }

  /// The presets that play for agent `a`: one per trained run for an agent that learns, else the preset itself.
  func players(_ a: Int) -> [AgentPreset] {
    guard agents[a].kind.learns, !trainedRuns[a].isEmpty else { return [agents[a]] }
    return trainedRuns[a].map { run in
      var player = agents[a]
      player.run = run
      return player
    }
  }

  /// The step cap used for `variant`.
  func cap(_ variant: VariantFile) -> Int { configuration.maxEpisodeSteps ?? variant.maxEpisodeSteps }

  /// Gives every agent that learns its trained runs: the run folder it names, else the model the repository ships
  /// for it (`models/<agent>/`, unless `useShippedModels` is false), else runs trained on the training variant for
  /// its preset's `trainingSteps` — one per `trainingSeeds` entry, in `runs/<experiment>-<agent>-seed<S>/`, or one in
  /// `runs/<experiment>-<agent>/` — reusing or resuming what is there. Training uses `threads` threads, which never
  /// changes the result.
  public mutating func trainAgents(quiet: Bool, threads: Int = 1) throws {
    for i in agents.indices where agents[i].kind.learns && trainedRuns[i].isEmpty {
      if configuration.useShippedModels ?? true, let model = try ShippedModels.load(for: agents[i], files: files) {
        trainedRuns[i] = [model]
        continue
      }
      trainedRuns[i] = try trainingPlan(i).map { try trainOrReuse(agents[i], seed: $0.seed, folder: $0.folder, quiet: quiet, threads: threads) }
    }
  }

  /// The training runs of agent `i` when no shipped model or named run stands in: one per `trainingSeeds` entry,
  /// or one.
  func trainingPlan(_ i: Int) -> [(seed: UInt64, folder: URL)] {
    let base = "runs/\(configuration.name)-\(agents[i].name)"
    let plan: [(seed: UInt64, folder: String)] = configuration.trainingSeeds.map { seeds in seeds.map { ($0, "\(base)-seed\($0)") } }
      ?? [(SplitMix64.derive(configuration.seeds[0], 0x7EA1), base)]
    return plan.map { ($0.seed, files.root.appendingPathComponent($0.folder)) }
  }

  /// The finished run of `preset` in `folder`, trained (or resumed) first when it is not finished.
  func trainOrReuse(_ preset: AgentPreset, seed: UInt64, folder: URL, quiet: Bool, threads: Int) throws -> any TrainedRun {
    let existing = Learners.isRun(folder) ? try Learners.loadRun(folder, files: files) : nil
    if let existing {
      // A run of other settings would silently stand in for the preset (or be resumed with the new ones).
      let differing = existing.header.kind == preset.kind ? existing.settingsDiffering(from: preset) : ["kind"]
      guard differing.isEmpty else {
        throw ConfigurationError(file: "agent '\(preset.name)'", key: differing[0],
                                 "differs from the run in \(files.display(folder)) (changed: \(differing.joined(separator: ", ")));"
                                   + " move that folder away to train anew, or restore the setting to reuse it")
      }
      if existing.hasLearned, existing.header.trainedSteps >= preset.trainingSteps,
         existing.header.environment == trainingVariant.id.description {
        return existing
      }
    }
    let progress = ProgressBar(total: preset.trainingSteps, label: "train \(preset.name) (seed \(seed)) on \(trainingVariant.id)",
                               unit: "steps", enabled: !quiet)
    return try Learners.train(TrainingRequest(
      preset: preset, variant: trainingVariant, steps: preset.trainingSteps, seed: seed, folder: folder, files: files,
      resume: existing != nil, checkpointEvery: 50_000, threads: threads, progress: progress))
  }

  /// Evaluates every agent on every variant and seed (only `shard`'s cells, if given), on `threads` threads; results
  /// do not depend on it. Cells an agent cannot play (a trained network's input size differs) are left out and listed.
  public func run(threads: Int, progress: ProgressBar?, shard: Shard? = nil) throws -> TransferReport {
    let started = Date()
    let config = configuration
    struct Job: Sendable { let agent: Int, run: Int, variant: Int, seed: Int }
    var skipped: [TransferReport.Skip] = []
    var playable: [(Int, Int)] = []
    for (a, v) in cellKeys(shard: shard) {
      if let reason = players(a)[0].reasonItCannotPlay(variants[v].makeGame()) {
        skipped.append(.init(agent: agents[a].name, variant: variants[v].id.description, reason: reason))
        progress?.advance(by: config.episodesPerSeed * config.seeds.count * players(a).count)
      } else {
        playable.append((a, v))
      }
    }
    let lineup = agents.indices.map(players)
    let jobs = playable.flatMap { a, v in
      lineup[a].indices.flatMap { r in config.seeds.indices.map { Job(agent: a, run: r, variant: v, seed: $0) } }
    }
    let results = JobResults(count: jobs.count)
    let work: @Sendable (Int) throws -> [EpisodeRecord] = { [variants, self] index in
      let job = jobs[index]
      let variant = variants[job.variant]
      let seeds = (0..<config.episodesPerSeed).map { SplitMix64.derive(config.seeds[job.seed], UInt64($0)) }
      var visitor = EpisodesVisitor(seeds: seeds)
      return try lineup[job.agent][job.run].accept(&visitor, game: variant.makeGame(), maxEpisodeSteps: self.cap(variant))
    }
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, jobs.count))) { _ in
      while let index = results.claim() {
        results.store(index, Result { try work(index) })
        progress?.advance(by: config.episodesPerSeed)
      }
    }
    progress?.finish()
    let records = try results.values()
    var cells: [TransferReport.Cell] = []
    for (a, v) in playable {
      let bySeed = jobs.indices.filter { jobs[$0].agent == a && jobs[$0].variant == v }.map { records[$0] }
      cells.append(TransferReport.Cell(agent: agents[a].name, variant: variants[v].id.description, episodesBySeed: bySeed,
                                       trainingRuns: lineup[a].count))
    }
    return TransferReport(
      name: config.name, summary: config.summary, trainingVariant: config.trainOn,
      agents: agents.indices.map { .init(name: agents[$0].name, kind: agents[$0].kind.rawValue, training: training($0), sha256: agents[$0].sha256) },
      variants: variants.map { .init(id: $0.id.description, summary: $0.summary, version: $0.version, sha256: $0.sha256, maxEpisodeSteps: cap($0)) },
      seeds: config.seeds, episodesPerSeed: config.episodesPerSeed, cells: cells, software: SoftwareVersions.current,
      configuration: configurationPath, configurationSHA256: configurationSHA256,
      generatedAt: ISO8601DateFormatter().string(from: started), wallSeconds: Date().timeIntervalSince(started), skipped: skipped,
      published: [TransferReport.publishedA3CImage])
  }

  /// What training agent `a` went through, for the report: its run, or its runs and their seeds.
  func training(_ a: Int) -> String {
    let runs = trainedRuns[a]
    guard runs.count > 1 else {
      return players(a)[0].training + (runs.first.map { " (\(files.display($0.folder)))" } ?? "")
    }
    let seeds = runs.map { String($0.header.seed) }.joined(separator: ", ")
    let each = "\(runs[0].header.trainedSteps) steps each on \(runs[0].header.environment)"
    let inexact = runs.filter { !($0.header.inexactResumes ?? []).isEmpty }.map { String($0.header.seed) }
    let note = inexact.isEmpty ? "" : "; seed \(inexact.joined(separator: ", ")) resumed inexactly (replay rebuilt)"
    return "\(runs.count) \(agents[a].kind.displayName) runs (seeds \(seeds)), \(each)\(note)"
  }

  /// Records the first episode of the first seed for every agent and variant as `gifs/<agent>--<family>-<variant>.gif`
  /// in `folder` (each capped at `maxSteps` steps), and lists them in the report.
  public func recordGIFs(into report: inout TransferReport, folder: URL, maxSteps: Int = 400, scale: Int = 2,
                         shard: Shard? = nil) throws {
    let seed = SplitMix64.derive(configuration.seeds[0], 0)
    for (a, v) in cellKeys(shard: shard) {
      let agent = players(a)[0], variant = variants[v]
      if agent.reasonItCannotPlay(variant.makeGame()) != nil { continue }
      var recorder = EpisodeRecorder(seeds: [seed], scale: scale, delay: GIFEncoder.delay(fps: 30), writesGIF: true)
      _ = try agent.accept(&recorder, game: variant.makeGame(), maxEpisodeSteps: min(maxSteps, cap(variant)))
      guard let gif = recorder.gif else { continue }
      let path = "gifs/\(agent.name)--\(variant.id.family)-\(variant.id.variant).gif"
      try AtomicFile.write(Data(gif.data()), to: folder.appendingPathComponent(path))
      report.recordings.append(.init(agent: agent.name, variant: variant.id.description, path: path))
    }
  }

  /// Writes `report.md`, `results.json`, `results.csv` and `chart.svg` into `folder`, the four together or not at all;
  /// other files already there (GIFs) are kept. Takes the folder's lock (``FolderLock``).
  public static func write(_ report: TransferReport, to folder: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json = try encoder.encode(report)
    // The set is written beside the folder and swapped in whole: a kill never leaves files of two runs.
    try FolderLock.acquire(folder)
    let staging = try FolderSwap.staging(for: folder)
    try AtomicFile.write(report.markdown(), to: staging.appendingPathComponent("report.md"))
    try AtomicFile.write(json + Data("\n".utf8), to: staging.appendingPathComponent("results.json"))
    try AtomicFile.write(report.csv(), to: staging.appendingPathComponent("results.csv"))
    try AtomicFile.write(report.chartSVG(), to: staging.appendingPathComponent("chart.svg"))
    try FolderSwap.commit(staging, to: folder)
  }
}

/// Slots for job results filled by worker threads, and the queue they claim jobs from.
final class JobResults: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private var slots: [Result<[EpisodeRecord], any Error>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func claim() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    // After a failure, stop handing out work.
    if slots.contains(where: { if case .failure = $0 { true } else { false } }) { return nil }
    guard next < slots.count else { return nil }
    next += 1
    return next - 1
  }

  func store(_ index: Int, _ result: Result<[EpisodeRecord], any Error>) {
    lock.lock()
    slots[index] = result
    lock.unlock()
  }

  func values() throws -> [[EpisodeRecord]] {
    for case .failure(let error)? in slots { throw error }
    return slots.map { (try? $0?.get()) ?? [] }
  }
}

/// Versions recorded in every report.
public enum SoftwareVersions {
  public static let arcade = "0.1.0"

  public static var current: [String: String] {
    #if compiler(>=6.3)
    let swift = "6.3+"
    #elseif compiler(>=6.2)
    let swift = "6.2"
    #else
    let swift = "6.1"
    #endif
    return ["arcade": arcade, "swift": swift, "os": ProcessInfo.processInfo.operatingSystemVersionString]
  }
}
