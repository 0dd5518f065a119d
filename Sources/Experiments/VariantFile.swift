import Checksums
import EnvironmentCore
import Foundation
import Games

/// The keys every variant file has besides its game's parameters.
struct VariantHeader: Codable {
  /// Must equal the folder name (the id's family).
  var family: String
  /// Bumped when dynamics or layout change; recorded in every report.
  var version: Int
  /// One line for `arcade list` and reports.
  var summary: String
  /// The ``TimeLimit``: the only source of truncation.
  var maxEpisodeSteps: Int
}

/// A variant file, read and validated: `envs/<family>/<variant>.yaml`, the YAML form of a ``Catalog/Entry``.
public struct VariantFile: Sendable {
  public let id: EnvironmentID
  public let version: Int
  public let summary: String
  public let maxEpisodeSteps: Int
  /// SHA-256 of the file's bytes.
  public let sha256: String
  public let parameters: Catalog.Parameters

  /// The variant as a catalogue entry (for a shipped file, equal to its registered one).
  public var entry: Catalog.Entry {
    Catalog.Entry(id: id, version: version, summary: summary, maxEpisodeSteps: maxEpisodeSteps, parameters: parameters)
  }

  /// Reads and validates the file at `url` for `id`; every problem is a ``ConfigurationError`` naming
  /// the file, the key and the value.
  public init(id: EnvironmentID, url: URL, files: ProjectFiles) throws {
    let name = files.display(url)
    let data = try files.read(url)
    guard let text = String(data: data, encoding: .utf8) else { throw ConfigurationError(file: name, "is not UTF-8 text") }
    let headerKeys = StrictYAML.keys(of: VariantHeader(family: "", version: 0, summary: "", maxEpisodeSteps: 0))
    switch id.family {
    case "breakout":
      let node = try StrictYAML.mapping(text, file: name, allowed: headerKeys + StrictYAML.keys(of: BreakoutLevel()))
      let header = try StrictYAML.decode(VariantHeader.self, from: node, file: name)
      let level = try StrictYAML.decode(BreakoutLevel.self, from: node, file: name)
      if let problem = level.problems().first {
        throw ConfigurationError(file: name, key: problem.key, "value \(problem.value) is impossible: \(problem.reason)")
      }
      try Self.check(header, id: id, file: name)
      parameters = .breakout(level)
      version = header.version
      summary = header.summary
      maxEpisodeSteps = header.maxEpisodeSteps
    case "priors":
      let node = try StrictYAML.mapping(text, file: name, allowed: headerKeys + StrictYAML.keys(of: PriorOptions()))
      let header = try StrictYAML.decode(VariantHeader.self, from: node, file: name)
      let options = try StrictYAML.decode(PriorOptions.self, from: node, file: name)
      try Self.check(header, id: id, file: name)
      guard !options.levels.isEmpty else { throw ConfigurationError(file: name, key: "levels", "must name at least one level") }
      let levels = try options.levels.map { level in
        guard EnvironmentID("x/\(level)") != nil || level.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
          throw ConfigurationError(file: name, key: "levels", "value '\(level)' is not a level name")
        }
        let url = files.envs.appendingPathComponent("priors/levels/\(level).txt")
        guard FileManager.default.fileExists(atPath: url.path) else {
          throw ConfigurationError(file: name, key: "levels", "value '\(level)' has no file envs/priors/levels/\(level).txt")
        }
        do {
          return try PriorLevel(name: level, text: String(decoding: try files.read(url), as: UTF8.self))
        } catch let error as PriorLevelError {
          throw ConfigurationError("envs/priors/levels/\(error.description)")
        }
      }
      parameters = .priors(options, levels)
      version = header.version
      summary = header.summary
      maxEpisodeSteps = header.maxEpisodeSteps
    default:
      throw ConfigurationError(file: name, "family '\(id.family)' has no game (known families: \(Catalog.families.joined(separator: ", ")))")
    }
    self.id = id
    sha256 = SHA256.hexDigest([UInt8](data))
  }

  /// The longest episode a variant (or an experiment's override) may ask for: step counts stay far from overflow.
  public static let maxEpisodeStepsLimit = 1_000_000_000

  static func check(_ header: VariantHeader, id: EnvironmentID, file: String) throws {
    guard header.family == id.family else {
      throw ConfigurationError(file: file, key: "family", "value '\(header.family)' must equal the folder name '\(id.family)'")
    }
    guard header.version >= 1 else { throw ConfigurationError(file: file, key: "version", "value \(header.version) must be at least 1") }
    guard (1...maxEpisodeStepsLimit).contains(header.maxEpisodeSteps) else {
      throw ConfigurationError(file: file, key: "maxEpisodeSteps",
                               "value \(header.maxEpisodeSteps) must be between 1 and \(maxEpisodeStepsLimit)")
    }
  }

  /// A fresh game of this variant (call `reset(seed:)` before stepping).
  public func makeGame() -> any Game { parameters.makeGame() }
}

/// Every environment id of the project: one per file under `envs/<family>/`.
public struct EnvironmentRegistry: Sendable {
  public let files: ProjectFiles
  /// Every id, sorted.
  public let ids: [EnvironmentID]

  public init(files: ProjectFiles) throws {
    self.files = files
    let manager = FileManager.default
    var found: [EnvironmentID] = []
    for family in (try? manager.contentsOfDirectory(atPath: files.envs.path)) ?? [] {
      let folder = files.envs.appendingPathComponent(family)
      for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".yaml") {
        guard let id = EnvironmentID("\(family)/\(name.dropLast(5))") else {
          throw ConfigurationError(file: "envs/\(family)/\(name)", "has a name that is not a valid id (lowercase letters, digits and '-')")
        }
        found.append(id)
      }
    }
    ids = found.sorted()
  }

  /// The variant file of `text`, or an error listing the valid ids.
  public func load(_ text: String) throws -> VariantFile {
    guard let id = EnvironmentID(text), ids.contains(id) else {
      let hint = nearest(text, in: ids.map(\.description)).map { " (did you mean '\($0)'?)" } ?? ""
      throw ConfigurationError("unknown environment id '\(text)'\(hint); valid ids: \(ids.map(\.description).joined(separator: ", "))")
    }
    return try VariantFile(id: id, url: files.root.appendingPathComponent(id.relativePath), files: files)
  }
}
