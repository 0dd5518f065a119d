import EnvironmentCore
import Experiments
import Foundation
import Games
import Testing

/// The files under envs/ and the catalogue in Games describe the same variants: neither can drift.
@Suite struct ShippedVariantFilesTests {
  let registry = try! EnvironmentRegistry(files: ProjectFiles(root: repositoryRoot))

  @Test func everyFileIsARegisteredIdAndEveryIdHasAFile() {
    #expect(registry.ids == Catalog.ids)
  }

  @Test(arguments: Catalog.ids)
  func fileEqualsItsCatalogueEntry(id: EnvironmentID) throws {
    let file = try registry.load(id.description)
    #expect(file.entry == Catalog.entry(id), "envs/\(id.family)/\(id.variant).yaml differs from Catalog's entry")
  }

  @Test func shippedLevelFilesEqualTheCataloguesTexts() throws {
    let folder = repositoryRoot.appendingPathComponent("envs/priors/levels")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }
    #expect(Set(names.map { String($0.dropLast(4)) }) == Set(ShippedLevels.names))
    for name in ShippedLevels.names {
      let text = try String(contentsOf: folder.appendingPathComponent("\(name).txt"), encoding: .utf8)
      #expect(text == ShippedLevels.text(named: name), "\(name).txt")
    }
  }
}
