import Evaluation
import Experiments
import Foundation
import Testing

/// A project with one platformer variant on the small explorer test level and a study of it.
func writeStudyProject(_ project: TemporaryProject, budget: Int = 3_000) throws -> URL {
  try project.write("envs/priors/levels/explorer-test.txt", explorerTestLevelText + "\n")
  let variant = try editing(try shippedText("envs/priors/original.yaml"), key: "levels", to: "levels: [explorer-test]")
  try project.write("envs/priors/tiny.yaml", editing(variant, key: "maxEpisodeSteps", to: "maxEpisodeSteps: 300"))
  try project.write("agents/schema-explore.yaml", shippedText("agents/schema-explore.yaml"))
  return try project.write("configs/study.yaml", """
    name: tiny-study
    variants: [priors/tiny]
    agents: [schema-explore]
    seeds: [0, 1]
    actionBudget: \(budget)
    """)
}

@Suite("arcade study priors")
struct PriorStudyTests {
  @Test("A rerun keeps the finished cells and skips them")
  func rerunResumes() throws {
    try withTemporaryProject { project in
      let config = try writeStudyProject(project)
      let study = try PriorStudy(configuration: config, files: project.files)
      let folder = project.root.appendingPathComponent("reports/tiny-study")
      let first = study.run(folder: folder, threads: 2, progress: nil)
      #expect(first.failures.isEmpty)
      #expect(first.cells.count == 2 && first.cells.allSatisfy { $0.actionsToFirstWin != nil })
      // Mark the kept cells: a rerun that played them again would not carry the mark.
      let cells = folder.appendingPathComponent("cells")
      for name in try FileManager.default.contentsOfDirectory(atPath: cells.path) {
        let url = cells.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let marked = text.replacingOccurrences(of: #""deaths" : \d+"#, with: "\"deaths\" : 12345", options: .regularExpression)
        try marked.write(to: url, atomically: true, encoding: .utf8)
      }
      let second = study.run(folder: folder, threads: 1, progress: nil)
      #expect(second.cells.map(\.deaths) == [12345, 12345])
      #expect(second.cells.map(\.actionsToFirstWin) == first.cells.map(\.actionsToFirstWin))
      try PriorStudy.write(second, to: folder)
      for file in ["report.md", "results.json", "results.csv", "chart.svg"] {
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path))
      }
    }
  }

  @Test("Unknown keys and non-exploring agents are refused, naming the file and key")
  func badConfigurations() throws {
    try withTemporaryProject { project in
      let config = try writeStudyProject(project)
      let text = try String(contentsOf: config, encoding: .utf8)
      try project.write("configs/typo.yaml", text + "\nactionBudgett: 5\n")
      #expect(configurationError { try PriorStudy(configuration: project.root.appendingPathComponent("configs/typo.yaml"), files: project.files) }
        .contains("key 'actionBudgett'"))
      try project.write("configs/random.yaml", text.replacingOccurrences(of: "[schema-explore]", with: "[random]"))
      #expect(configurationError { try PriorStudy(configuration: project.root.appendingPathComponent("configs/random.yaml"), files: project.files) }
        .contains("key 'agents'"))
    }
  }
}
