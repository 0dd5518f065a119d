import EnvironmentCore

/// Every registered environment id and the game behind it: the readable catalogue (Gymnasium's
/// `envs/__init__.py`), type-checked.
///
/// An id `<family>/<variant>` names a family, which picks the Swift game type, and a variant, which is pure data
/// (``Parameters``). The registered variants are defined here, so any id can be made without reading a file (the
/// tests, the command line's defaults and the Python binding rely on that); `envs/<family>/<variant>.yaml` holds
/// the same values for people to read and copy, and a test keeps each file equal to its entry. Variant files a
/// user adds are read by `Experiments` into the same ``Entry`` values.
///
/// ```swift
/// var env = try Catalog.makeEnvironment(id: "breakout/middle-wall", form: Grid(pool: 2))
/// let observation = env.reset(seed: 7)
/// let step = env.step(Breakout.Action.left.rawValue)
/// ```
public enum Catalog {
  /// A game's parameters, by family.
  public enum Parameters: Sendable, Hashable {
    case breakout(BreakoutLevel)
    /// The platformer's options and its levels (several: one is drawn per episode).
    case priors(PriorOptions, [PriorLevel])

    /// A fresh game with these parameters (reset it before stepping).
    public func makeGame() -> any Game {
      switch self {
      case .breakout(let level): Breakout(level: level)
      case .priors(let options, let levels): PriorPlatformer(options: options, levels: levels)
      }
    }
  }

  /// One variant: the id, the header every variant file has, and the game's parameters.
  public struct Entry: Sendable, Hashable {
    public var id: EnvironmentID
    /// Bumped when dynamics or layout change; recorded in every report.
    public var version: Int
    /// One line for `arcade list` and reports.
    public var summary: String
    /// The step cap of ``TimeLimit``, the only source of truncation.
    public var maxEpisodeSteps: Int
    public var parameters: Parameters

    public init(id: EnvironmentID, version: Int, summary: String, maxEpisodeSteps: Int, parameters: Parameters) {
      self.id = id
      self.version = version
      self.summary = summary
      self.maxEpisodeSteps = maxEpisodeSteps
      self.parameters = parameters
    }

    /// A fresh game of this variant (reset it before stepping).
    public func makeGame() -> any Game { parameters.makeGame() }
  }

  /// The families with a game type: the first component of an id.
  public static let families = ["breakout", "priors"]

  /// Every registered variant, sorted by id.
  public static let entries: [Entry] = (breakoutEntries + priorsEntries).sorted { $0.id < $1.id }

  /// Every registered id, sorted.
  public static var ids: [EnvironmentID] { entries.map(\.id) }

  /// The registered variant `id`, or `nil`.
  public static func entry(_ id: EnvironmentID) -> Entry? { entries.first { $0.id == id } }

  /// The registered variant named `text`, or an error listing the valid ids.
  public static func entry(named text: String) throws(UnknownEnvironment) -> Entry {
    guard let id = EnvironmentID(text), let entry = entry(id) else { throw UnknownEnvironment(text: text, known: ids) }
    return entry
  }

  /// The registered variant `id` seen through `form`, capped at the variant's step limit.
  public static func makeEnvironment<Form: ObservationForm>(id: String, form: Form) throws(UnknownEnvironment)
    -> any Environment<Form.Observation> & Renderable {
    let entry = try entry(named: id)
    func open<G: Game>(_ game: G) -> any Environment<Form.Observation> & Renderable {
      TimeLimit(GameEnvironment(game: game, form: form), maxEpisodeSteps: entry.maxEpisodeSteps)
    }
    return open(entry.makeGame())
  }
}

/// An id that names no registered variant.
public struct UnknownEnvironment: Error, CustomStringConvertible, Sendable {
  public var text: String
  public var known: [EnvironmentID]

  public var description: String {
    "unknown environment id '\(text)'; registered ids: \(known.map(\.description).joined(separator: ", "))"
  }
}
