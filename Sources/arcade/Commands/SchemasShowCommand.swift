import Agents
import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Foundation

struct SchemasShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print a schema agent's rules, grouped by what they predict, with their support and precision.",
    discussion: """
      Each line reads `precondition ∧ … ⇒ effect`: attributes at offsets from the cell the rule predicts \
      (`ball@(-1,+1)` is a ball one pixel left and one below), velocities, paddle parts and the action; the effect \
      is an attribute switching on or off at the next step, or a reward. Support counts the training transitions \
      the rule explained; precision is how often it was right when it fired (Kansky et al. 2017).
      """)

  @Argument(help: ArgumentHelp("A schema agent's run folder (runs/NAME, models/schema).", valueName: "run")) var folderName: String
  @OptionGroup var project: ProjectOptions

  func run() throws {
    let files = try project.files()
    let folder = try SchemaRuns.folder(folderName, files: files)
    let model = try folder.loadModel()
    print("\(files.display(folder.folder)): \(model.schemas.count) schemas learned on \(folder.info.environment) from "
          + "\(folder.info.trainedSteps) steps (seed \(folder.info.seed))\n")
    print(model.description(kindNames: SchemaRuns.kindNames, actionNames: folder.info.actionNames))
  }
}

/// Reading schema runs for the `schemas` commands.
enum SchemaRuns {
  /// The schema run in `text`, or an error saying what the folder holds instead.
  static func folder(_ text: String, files: ProjectFiles) throws -> SchemaRunFolder {
    let url = files.resolve(text)
    guard Learners.isRun(url) else { throw ConfigurationError("\(text) is not a run folder (it has no run.json)") }
    guard let run = try Learners.loadRun(url, files: files) as? SchemaRunFolder else {
      throw ConfigurationError("\(text) holds a \(try RunHeader(folder: url, files: files).kind.rawValue) run, not a schema agent's")
    }
    guard run.hasLearned else { throw ConfigurationError("\(text) has no rules.json yet: its training did not finish") }
    return run
  }

  /// The entity kinds' names by code, for printing rules.
  static let kindNames = Dictionary(uniqueKeysWithValues: EntityKind.allCases.map { ($0.rawValue, $0.description) })
}
