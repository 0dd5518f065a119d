import EnvironmentCore
import Experiments
import Foundation
import Testing

/// The error for envs/priors/original.yaml with `old` replaced by `new`, in a project with the shipped levels.
func priorsError(replacing old: String, with new: String, level: String? = nil) throws -> String {
  try withTemporaryProject { project in
    let text = try shippedText("envs/priors/original.yaml")
    #expect(text.contains(old), "the shipped file no longer has '\(old)'")
    try project.write("envs/priors/original.yaml", text.replacingOccurrences(of: old, with: new))
    try project.write("envs/priors/levels/map.txt", try level ?? shippedText("envs/priors/levels/map.txt"))
    do {
      _ = try EnvironmentRegistry(files: project.files).load("priors/original")
      return ""
    } catch {
      return "\(error)"
    }
  }
}

@Test func platformerVariantFilesNameTheFileKeyAndValueOnErrors() throws {
  let theme = try priorsError(replacing: "theme: original", with: "theme: pastel")
  #expect(theme.contains("envs/priors/original.yaml") && theme.contains("'theme'") && theme.contains("pastel"), "\(theme)")
  let level = try priorsError(replacing: "levels: [map]", with: "levels: [nowhere]")
  #expect(level.contains("'levels'") && level.contains("nowhere"), "\(level)")
  let typo = try priorsError(replacing: "lowGravity: false", with: "lowGravty: false")
  #expect(typo.contains("did you mean 'lowGravity'"), "\(typo)")
  let badTile = try priorsError(replacing: "theme: original", with: "theme: original",
                                level: "; player_start_px: 120 190\n; princess_px: 30 47 18 25\n|....|\n|..Q.|\n")
  #expect(badTile == "envs/priors/levels/map:4:4: unknown tile 'Q' (legend: . # a b c d | H h E F P S)", "\(badTile)")
}
