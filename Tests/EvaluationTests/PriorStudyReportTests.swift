import Evaluation
import Foundation
import Testing

/// Two agents on three variants; dqn-explore never wins on all-masked and wins one seed of two on the original.
func samplePriorStudy() -> PriorStudyReport {
  let variants = ["priors/original", "priors/masked-semantics", "priors/all-masked"]
  var cells: [PriorStudyReport.Cell] = []
  for (v, variant) in variants.enumerated() {
    for seed in UInt64(0)..<3 {
      cells.append(.init(variant: variant, agent: "schema-explore", seed: seed, actionsToFirstWin: 1_000 * (v + 1) + 250 * Int(seed),
                         deaths: Int(seed), uniqueStates: 100, uniqueCells: 10, seconds: 0.5))
    }
    for seed in UInt64(0)..<2 {
      let won: Int? = v == 2 || seed == 1 ? nil : 40_000 + v
      cells.append(.init(variant: variant, agent: "dqn-explore", seed: seed, actionsToFirstWin: won, deaths: 7, uniqueStates: 50,
                         uniqueCells: 5, seconds: 2))
    }
  }
  return PriorStudyReport(name: "sample", configuration: "configs/sample.yaml", actionBudget: 50_000,
                          variants: variants.map { .init(id: $0, summary: "", shortestWin: 91) }, agents: ["schema-explore", "dqn-explore"],
                          cells: cells, failures: [], generatedAt: "2026-12-05T00:00:00Z", software: [:])
}

@Suite("Prior study report")
struct PriorStudyReportTests {
  @Test("The report's table shows the medians and wins of its JSON cells")
  func tableMatchesJSON() throws {
    let report = samplePriorStudy()
    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as! [String: Any]
    let cells = json["cells"] as! [[String: Any]]
    #expect(cells.contains { $0["actionsToFirstWin"] is NSNull }) // not won: null, not absent
    let markdown = report.markdown()
    let table = markdown.components(separatedBy: "## Actions to the first win")[1]
      .components(separatedBy: "\n## ")[0].components(separatedBy: "\n")
      .filter { $0.hasPrefix("| priors/") }
    #expect(table.count == 3)
    for row in table {
      let columns = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      for (offset, agent) in ["schema-explore", "dqn-explore"].enumerated() {
        let mine = cells.filter { $0["variant"] as? String == columns[0] && $0["agent"] as? String == agent }
        let wins = mine.compactMap { $0["actionsToFirstWin"] as? Int }.sorted()
        let text = columns[2 + offset]
        #expect(text.hasSuffix("\(wins.count)/\(mine.count) won"), "\(row)")
        if wins.count * 2 > mine.count {
          let median = mine.count % 2 == 1 ? Double(wins[mine.count / 2]) : Double(wins[mine.count / 2 - 1] + wins[mine.count / 2]) / 2
          let shown = Double(text.prefix { $0 != " " }.replacingOccurrences(of: ",", with: ""))
          #expect(shown == median.rounded(), "\(row)")
        } else {
          #expect(text.hasPrefix("> 50,000"), "\(row)")
        }
      }
    }
    #expect(report.csv().split(separator: "\n").count == 4)
    #expect(report.chartSVG().contains("humans (published)"))
  }

  @Test("The ordering question: each variant's median over the original's, beside the humans' ratio")
  func ratios() {
    let report = samplePriorStudy()
    #expect(report.ratioToOriginal(agent: "schema-explore", variant: "priors/masked-semantics") == 2_250.0 / 1_250.0)
    #expect(report.ratioToOriginal(agent: "dqn-explore", variant: "priors/all-masked") == nil)
    #expect(report.markdown().contains("| priors/all-masked | 2.60× | — | 8.97× |"))
  }
}
