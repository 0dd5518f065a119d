import ArgumentParser
import EnvironmentCore
import Experiments
import Foundation

struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List every environment id with its summary.")

  @OptionGroup var project: ProjectOptions

  func run() throws {
    let registry = try EnvironmentRegistry(files: project.files())
    let width = registry.ids.map(\.description.count).max() ?? 0
    for id in registry.ids {
      let variant = try registry.load(id.description)
      print(id.description.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + variant.summary)
    }
  }
}
