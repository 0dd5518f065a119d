import Recording
import Agents
import Dispatch
import EnvironmentCore
import Evaluation
import Foundation

/// Runs a ``TransferConfiguration``: trains each agent on the training variant if it learns (none do
/// yet), evaluates it zero-shot on every variant over every seed, and writes the report.
public struct TransferExperiment: Sendable {
  public let configuration: TransferConfiguration
  public let configurationPath: String
  public let configurationSHA256: String
  public let variants: [VariantFile]
  public private(set) var agents: [AgentPreset]
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
    configuration = config
    configurationPath = file
    configurationSHA256 = hash
  }

  /// The step cap used for `variant`.
  func cap(_ variant: VariantFile) -> Int { configuration.maxEpisodeSteps ?? variant.maxEpisodeSteps }

  /// Trains every agent that learns and has no trained run yet on the training variant, into
  /// `runs/<experiment>-<agent>/` (resuming a run left there), for its preset's `trainingSteps`, its network
  /// using `threads` threads (which never changes the result).
  public mutating func trainAgents(quiet: Bool, threads: Int = 1) throws {
    for i in agents.indices where agents[i].kind.learns && agents[i].run == nil {
      let preset = agents[i]
      let folder = files.root.appendingPathComponent("runs/\(configuration.name)-\(preset.name)")
      let existing = Learners.isRun(folder) ? try Learners.loadRun(folder, files: files) : nil
      if let existing {
        // A run of other settings would silently stand in for the preset (or be resumed with the new ones).
        let differing = existing.header.kind == preset.kind ? existing.settingsDiffering(from: preset) : ["kind"]
        guard differing.isEmpty else {
          throw ConfigurationError(file: "agent '\(preset.name)'", key: differing[0],
                                   "differs from the run in \(files.display(folder)) (changed: \(differing.joined(separator: ", ")));"
                                     + " move that folder away to train anew, or restore the setting to reuse it")
        }
      }
      if let existing, existing.hasLearned, existing.header.trainedSteps >= preset.trainingSteps,
         existing.header.environment == trainingVariant.id.description {
        agents[i].run = existing
        continue
      }
      let progress = ProgressBar(total: preset.trainingSteps, label: "train \(preset.name) on \(trainingVariant.id)", unit: "steps",
                                 enabled: !quiet)
      agents[i].run = try Learners.train(TrainingRequest(
        preset: preset, variant: trainingVariant, steps: preset.trainingSteps, seed: SplitMix64.derive(configuration.seeds[0], 0x7EA1),
        folder: folder, files: files, resume: existing != nil, checkpointEvery: 50_000, threads: threads, progress: progress))
    }
  }

  /// Evaluates every agent on every variant and seed, on `threads` threads; results do not depend on it.
  /// Cells an agent cannot play (a trained network's input size differs) are left out and listed.
  public func run(threads: Int, progress: ProgressBar?) throws -> TransferReport {
    let started = Date()
    let config = configuration
    struct Job: Sendable { let agent: Int, variant: Int, seed: Int }
    var skipped: [TransferReport.Skip] = []
    var playable: [(Int, Int)] = []
    for a in agents.indices {
      for v in variants.indices {
        if let reason = agents[a].reasonItCannotPlay(variants[v].makeGame()) {
          skipped.append(.init(agent: agents[a].name, variant: variants[v].id.description, reason: reason))
          progress?.advance(by: config.episodesPerSeed * config.seeds.count)
        } else {
          playable.append((a, v))
        }
      }
    }
    let jobs = playable.flatMap { a, v in config.seeds.indices.map { Job(agent: a, variant: v, seed: $0) } }
    let results = JobResults(count: jobs.count)
    let work: @Sendable (Int) throws -> [EpisodeRecord] = { [agents, variants, self] index in
      let job = jobs[index]
      let variant = variants[job.variant]
      let seeds = (0..<config.episodesPerSeed).map { SplitMix64.derive(config.seeds[job.seed], UInt64($0)) }
      var visitor = EpisodesVisitor(seeds: seeds)
      return try agents[job.agent].accept(&visitor, game: variant.makeGame(), maxEpisodeSteps: self.cap(variant))
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
    for a in agents.indices {
      for v in variants.indices {
        let bySeed = jobs.indices.filter { jobs[$0].agent == a && jobs[$0].variant == v }.map { records[$0] }
        guard !bySeed.isEmpty else { continue }
        cells.append(TransferReport.Cell(agent: agents[a].name, variant: variants[v].id.description, episodesBySeed: bySeed))
      }
    }
    return TransferReport(
      name: config.name, summary: config.summary, trainingVariant: config.trainOn,
      agents: agents.map { .init(name: $0.name, kind: $0.kind.rawValue, training: $0.training, sha256: $0.sha256) },
      variants: variants.map { .init(id: $0.id.description, summary: $0.summary, version: $0.version, sha256: $0.sha256, maxEpisodeSteps: cap($0)) },
      seeds: config.seeds, episodesPerSeed: config.episodesPerSeed, cells: cells, software: SoftwareVersions.current,
      configuration: configurationPath, configurationSHA256: configurationSHA256,
      generatedAt: ISO8601DateFormatter().string(from: started), wallSeconds: Date().timeIntervalSince(started), skipped: skipped)
  }

  /// Records the first episode of the first seed for every agent and variant as `gifs/<agent>--<family>-<variant>.gif`
  /// in `folder` (each capped at `maxSteps` steps), and lists them in the report.
  public func recordGIFs(into report: inout TransferReport, folder: URL, maxSteps: Int = 400, scale: Int = 2) throws {
    let seed = SplitMix64.derive(configuration.seeds[0], 0)
    for agent in agents {
      for variant in variants {
        var recorder = EpisodeRecorder(seeds: [seed], scale: scale, delay: GIFEncoder.delay(fps: 30), writesGIF: true)
        _ = try agent.accept(&recorder, game: variant.makeGame(), maxEpisodeSteps: min(maxSteps, cap(variant)))
        guard let gif = recorder.gif else { continue }
        let path = "gifs/\(agent.name)--\(variant.id.family)-\(variant.id.variant).gif"
        try AtomicFile.write(Data(gif.data()), to: folder.appendingPathComponent(path))
        report.recordings.append(.init(agent: agent.name, variant: variant.id.description, path: path))
      }
    }
  }

  /// Writes `report.md`, `results.json` and `results.csv` into `folder`, each file whole or not at all.
  public static func write(_ report: TransferReport, to folder: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json = try encoder.encode(report)
    try AtomicFile.write(report.markdown(), to: folder.appendingPathComponent("report.md"))
    try AtomicFile.write(json + Data("\n".utf8), to: folder.appendingPathComponent("results.json"))
    try AtomicFile.write(report.csv(), to: folder.appendingPathComponent("results.csv"))
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
