import EnvironmentCore
import Evaluation
import Foundation
import Testing

func episode(_ seed: UInt64, _ reward: Double, _ length: Int, _ outcome: Outcome = .terminated) -> EpisodeRecord {
  EpisodeRecord(seed: seed, totalReward: reward, length: length, outcome: outcome)
}

/// Two agents × three variants, two seeds × two episodes per cell, with distinct returns per cell.
func sampleReport() -> TransferReport {
  let agentNames = ["random", "tracker"]
  let variantIDs = ["breakout/standard", "breakout/small", "breakout/juggling"]
  var cells: [TransferReport.Cell] = []
  for (a, agent) in agentNames.enumerated() {
    for (v, variant) in variantIDs.enumerated() {
      let base = Double(10 * a + v)
      cells.append(TransferReport.Cell(agent: agent, variant: variant, episodesBySeed: [
        [episode(100, base, 50), episode(101, base + 2, 60)],
        [episode(200, base - 1, 70, .truncated), episode(201, base + 4.5, 80)],
      ]))
    }
  }
  return TransferReport(
    name: "sample", summary: "A hand-made report.", trainingVariant: "breakout/standard",
    agents: agentNames.map { .init(name: $0, kind: $0, training: "does not learn", sha256: String(repeating: "a", count: 64)) },
    variants: variantIDs.map { .init(id: $0, summary: "s", version: 1, sha256: String(repeating: "b", count: 64), maxEpisodeSteps: 70) },
    seeds: [7, 9], episodesPerSeed: 2, cells: cells, software: ["arcade": "test"],
    configuration: "configs/sample.yaml", configurationSHA256: String(repeating: "c", count: 64),
    generatedAt: "2025-01-01T00:00:00Z", wallSeconds: 1.25)
}

/// The rows of the first Markdown table whose header starts with `| Agent | \``, split into trimmed cells.
func returnsTable(_ markdown: String) throws -> (header: [String], rows: [[String]]) {
  let lines = markdown.components(separatedBy: "\n")
  let start = try #require(lines.firstIndex { $0.hasPrefix("| Agent | `") })
  func cells(_ line: String) -> [String] {
    line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
      .map { $0.trimmingCharacters(in: .whitespaces) }
  }
  var rows: [[String]] = []
  var i = start + 2
  while i < lines.count, lines[i].hasPrefix("|") {
    rows.append(cells(lines[i]))
    i += 1
  }
  return (cells(lines[start]), rows)
}

@Test func cellSummarisesEveryEpisodeOfEverySeed() {
  let cell = TransferReport.Cell(agent: "a", variant: "v", episodesBySeed: [
    [episode(1, 1, 10), episode(2, 3, 20)], [episode(3, 5, 30, .truncated)],
  ])
  #expect(cell.episodes.map(\.seed) == [1, 2, 3])
  #expect(cell.returns.mean == 3)
  #expect(cell.returns.standardDeviation == 2)
  #expect(cell.lengths.mean == 20)
  #expect(cell.meanReturnPerSeed == [2, 5])
  #expect(cell.truncated == 1)
}

@Test func markdownHasOneRowPerAgentAndOneColumnPerVariant() throws {
  let report = sampleReport()
  let (header, rows) = try returnsTable(report.markdown())
  #expect(header == ["Agent"] + report.variants.map { "`\($0.id)`" })
  #expect(rows.map(\.first) == report.agents.map(\.name))
  for row in rows {
    #expect(row.count == 1 + report.variants.count)
    for (v, variant) in report.variants.enumerated() {
      let cell = try #require(report.cell(agent: row[0], variant: variant.id))
      #expect(row[v + 1] == cell.returns.formatted(), "\(row[0]) on \(variant.id)")
    }
  }
}

@Test func markdownCellsShowMeanPlusMinusSampleStandardDeviation() throws {
  let (_, rows) = try returnsTable(sampleReport().markdown())
  // tracker on breakout/small: base 11 → returns 11, 13, 10, 15.5 → mean 12.375, sample std ≈ 2.428.
  let tracker = try #require(rows.first { $0.first == "tracker" })
  #expect(tracker[2] == "12.38 ± 2.43")
  // random on breakout/standard: base 0 → 0, 2, −1, 4.5 → mean 1.375.
  let random = try #require(rows.first { $0.first == "random" })
  #expect(random[1] == "1.38 ± 2.43")
}

@Test func markdownMarksAMissingCell() throws {
  var report = sampleReport()
  report.cells.removeAll { $0.agent == "tracker" && $0.variant == "breakout/juggling" }
  let (_, rows) = try returnsTable(report.markdown())
  let tracker = try #require(rows.first { $0.first == "tracker" })
  #expect(tracker[3] == "—")
  #expect(tracker[1] != "—")
}

@Test func markdownRecordsTheProtocol() {
  let markdown = sampleReport().markdown()
  #expect(markdown.hasPrefix("# Zero-shot transfer: sample"))
  #expect(markdown.contains("`breakout/standard`"))
  #expect(markdown.contains("configs/sample.yaml"))
  #expect(markdown.contains("Seeds: 7, 9"))
  #expect(markdown.contains("2 seeds × 2 episodes"))
  // Lengths table notes capped episodes: one truncated episode per cell.
  #expect(markdown.contains("(1 capped)"))
}

@Test func csvHasAHeaderAndOneRowPerEpisode() throws {
  let report = sampleReport()
  let lines = report.csv().split(separator: "\n", omittingEmptySubsequences: false)
  #expect(lines.last == "", "the CSV should end with a newline")
  let rows = lines.dropLast().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
  #expect(rows.first == ["agent", "variant", "seed", "episode", "episodeSeed", "return", "length", "outcome", "trainingRun"])
  let body = rows.dropFirst()
  #expect(body.count == report.cells.reduce(0) { $0 + $1.episodes.count })
  #expect(body.count == 2 * 3 * 2 * 2)
  #expect(body.allSatisfy { $0.count == 9 && $0[8] == "0" }, "one training run: run 0")
}

@Test func csvRowsCarryEachEpisodeWithItsRunSeedAndIndex() throws {
  let report = sampleReport()
  let rows = report.csv().split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
  let tracker = rows.filter { $0[0] == "tracker" && $0[1] == "breakout/small" }
  #expect(tracker.map { $0[2] } == ["7", "7", "9", "9"])
  #expect(tracker.map { $0[3] } == ["0", "1", "0", "1"])
  #expect(tracker.map { $0[4] } == ["100", "101", "200", "201"])
  #expect(tracker.compactMap { Double($0[5]) } == [11, 13, 10, 15.5])
  #expect(tracker.map { $0[6] } == ["50", "60", "70", "80"])
  #expect(tracker.map { $0[7] } == ["terminated", "terminated", "truncated", "terminated"])
}

@Test func reportRoundTripsThroughJSON() throws {
  let report = sampleReport()
  let decoded = try JSONDecoder().decode(TransferReport.self, from: JSONEncoder().encode(report))
  #expect(decoded.markdown() == report.markdown())
  #expect(decoded.csv() == report.csv())
}

@Test func publishedRowsAreLabelledAndChartedBesideOurs() throws {
  var report = sampleReport()
  report.published = [TransferReport.PublishedRow(agent: "A3C image-only", source: "Kansky et al. 2017, Table 1 (published)",
                                                  returns: ["breakout/juggling": .init(-39.35, 14.57)])]
  let markdown = report.markdown()
  #expect(markdown.contains("| *A3C image-only* (Kansky et al. 2017, Table 1 (published)) |"))
  #expect(markdown.contains("*-39.35 ± 14.57*") && markdown.contains("![Zero-shot return per variant](chart.svg)"))
  let svg = report.chartSVG()
  #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
  // One bar per agent and variant with a cell, one for the published figure; each bar has an error bar.
  let bars = svg.components(separatedBy: "<title>").count - 1
  #expect(bars == report.cells.count + 1, "\(bars) bars")
  #expect(svg.contains("A3C image-only (published)") && svg.contains("tracker on breakout/small"))
  report.published = [TransferReport.PublishedRow(agent: "elsewhere", source: "x", returns: ["breakout/nowhere": .init(1, 1)])]
  #expect(!report.markdown().contains("elsewhere") && !report.chartSVG().contains("elsewhere"), "rows with no shared variant are left out")
}

@Test func aCellOverSeveralTrainingRunsPoolsTheirEpisodes() {
  func episode(_ r: Double) -> EpisodeRecord { EpisodeRecord(seed: 0, totalReward: r, length: 1, outcome: .terminated) }
  let cell = TransferReport.Cell(agent: "a", variant: "v", episodesBySeed: [[episode(1)], [episode(3)], [episode(5)], [episode(7)]],
                                 trainingRuns: 2)
  #expect(cell.trainingRuns == 2 && cell.returns.mean == 4 && cell.meanReturnPerSeed == [1, 3, 5, 7])
}
