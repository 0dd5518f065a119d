import ArgumentParser
import EnvironmentCore
import Experiments
import Games

extension EnvironmentID: ExpressibleByArgument {
  public init?(argument: String) { self.init(argument) }

  /// Completes the ids of the variant files in the project (or, outside one, the registered ids).
  public static var defaultCompletionKind: CompletionKind {
    .custom { _, _, _ in
      let registered = (try? ProjectFiles.locate()).flatMap { try? EnvironmentRegistry(files: $0).ids } ?? Catalog.ids
      return registered.map(\.description)
    }
  }
}

/// `--env ID`, required: the environment a command plays.
struct EnvironmentOption: ParsableArguments {
  @Option(name: .customLong("env"), help: ArgumentHelp("Environment id, family/variant (see `arcade list`).", valueName: "id"))
  var id: EnvironmentID
}

/// `--env ID` with a default the command picks (`Default.id`).
struct DefaultedEnvironmentOption<Default: EnvironmentDefault>: ParsableArguments {
  @Option(name: .customLong("env"), help: ArgumentHelp("Environment id, family/variant (see `arcade list`).", valueName: "id"))
  var id: EnvironmentID = Default.id
}

/// The environment a command plays when `--env` is not given.
protocol EnvironmentDefault { static var id: EnvironmentID { get } }

enum StandardBreakout: EnvironmentDefault { static let id = EnvironmentID("breakout/standard")! }
enum SmallBreakout: EnvironmentDefault { static let id = EnvironmentID("breakout/small")! }

extension EnvironmentRegistry {
  /// The variant file of `id`, or an error listing the valid ids.
  func load(_ id: EnvironmentID) throws -> VariantFile { try load(id.description) }
}
