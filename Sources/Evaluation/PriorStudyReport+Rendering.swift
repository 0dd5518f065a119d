extension PriorStudyReport {
  /// `12,345`.
  static func grouped(_ value: Double) -> String {
    let digits = Array(Summary.fixed(value, 0))
    var out = ""
    for (i, d) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0, digits[i - 1] != "-" { out += "," }
      out.append(d)
    }
    return out
  }

  /// The table cell of a spread: `median (min–max), wins/seeds`; `> budget` where the median seed did not win.
  func text(_ spread: Spread?) -> String {
    guard let s = spread else { return "—" }
    let median = s.median.map(Self.grouped) ?? "> \(Self.grouped(Double(actionBudget)))"
    let low = s.minimum.map { Self.grouped(Double($0)) } ?? "—"
    let high = s.maximum.map { Self.grouped(Double($0)) } ?? "> \(Self.grouped(Double(actionBudget)))"
    return "\(median) (\(low)–\(high)), \(s.wins)/\(s.seeds) won"
  }

  /// The published human figure for `variant`'s condition (unique states explored).
  func humans(_ variant: String) -> String {
    guard let figures = PublishedHumans.figures(for: variant) else { return "not studied" }
    return figures.uniqueStates.map(Self.grouped) ?? "not published"
  }

  func ratioText(_ ratio: Double?) -> String { ratio.map { Summary.fixed($0, 2) + "×" } ?? "—" }

  /// The report in Markdown: the actions table, the ordering question, exploration measures and failures.
  public func markdown() -> String {
    var out = "# Masked-prior study: \(name)\n\n"
    out += "Exploring agents play each platformer variant from scratch until the first win or \(Self.grouped(Double(actionBudget)))"
    out += " actions. Configuration `\(configuration)`; generated \(generatedAt); cells took \(Summary.fixed(cellSeconds, 0)) s in all.\n\n"
    out += "## Actions to the first win\n\nMedian over seeds (range), and seeds that won. Humans: unique game states explored"
    out += " (published, Dubey et al. 2018; the paper's proxy for actions). BFS: the exact solver's shortest win.\n\n"
    out += "| Variant | BFS shortest | " + agents.map { "\($0) |" }.joined(separator: " ") + " Humans (published) |\n"
    out += "|---|---:|" + String(repeating: "---:|", count: agents.count) + "---:|\n"
    for v in variants {
      out += "| \(v.id) | \(v.shortestWin.map { Self.grouped(Double($0)) } ?? "—") | "
      out += agents.map { text(spread(agent: $0, variant: v.id)) + " |" }.joined(separator: " ") + " \(humans(v.id)) |\n"
    }
    out += "\n## Does masking slow the agents as it slowed people?\n\nMedian actions on each variant over the median on the"
    out += " original, beside the humans' ratio of unique states.\n\n"
    out += "| Variant | " + agents.map { "\($0) |" }.joined(separator: " ") + " Humans (published) |\n"
    out += "|---|" + String(repeating: "---:|", count: agents.count) + "---:|\n"
    let humanBase = PublishedHumans.table["original"]?.uniqueStates
    for v in variants where PublishedHumans.condition(of: v.id) != "original" {
      let human = PublishedHumans.figures(for: v.id)?.uniqueStates.flatMap { s in humanBase.map { s / $0 } }
      out += "| \(v.id) | " + agents.map { ratioText(ratioToOriginal(agent: $0, variant: v.id)) + " |" }.joined(separator: " ")
      out += " \(ratioText(human)) |\n"
    }
    out += "\n## Exploration until the first win\n\nMean over seeds: deaths, unique exact states, unique 15-px cells, seconds.\n\n"
    out += "| Variant | Agent | Deaths | Unique states | Unique cells | Seconds |\n|---|---|---:|---:|---:|---:|\n"
    for v in variants {
      for agent in agents {
        let found = cells(agent: agent, variant: v.id)
        guard !found.isEmpty else { continue }
        func mean(_ f: (Cell) -> Double) -> String { Summary.fixed(Summary(found.map(f)).mean, 1) }
        out += "| \(v.id) | \(agent) | \(mean { Double($0.deaths) }) | \(mean { Double($0.uniqueStates) }) |"
        out += " \(mean { Double($0.uniqueCells) }) | \(mean(\.seconds)) |\n"
      }
    }
    if !failures.isEmpty {
      out += "\n## Failed cells\n\n" + failures.map { "- \($0.agent) on \($0.variant), seed \($0.seed): \($0.error)\n" }.joined()
    }
    return out
  }

  /// One row per variant: the solver's shortest win, each agent's median, range and wins, and the published human figures.
  public func csv() -> String {
    var header = ["variant", "bfsShortestWin"]
    for agent in agents { header += ["\(agent) median", "\(agent) min", "\(agent) max", "\(agent) wins", "\(agent) seeds"] }
    header += ["humans uniqueStates (published)", "humans deaths (published)", "humans minutes (published)"]
    var lines = [header.joined(separator: ",")]
    func number(_ v: Double?) -> String { v.map { Summary.fixed($0, $0.rounded() == $0 ? 0 : 1) } ?? "" }
    for v in variants {
      var row = [v.id, number(v.shortestWin.map(Double.init))]
      for agent in agents {
        let s = spread(agent: agent, variant: v.id)
        row += [number(s?.median), number(s?.minimum.map(Double.init)), number(s?.maximum.map(Double.init)),
                s.map { "\($0.wins)" } ?? "", s.map { "\($0.seeds)" } ?? ""]
      }
      let h = PublishedHumans.figures(for: v.id)
      row += [number(h?.uniqueStates), number(h?.deaths), number(h?.minutes)]
      lines.append(row.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
