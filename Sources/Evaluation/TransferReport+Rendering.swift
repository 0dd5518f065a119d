import EnvironmentCore

extension TransferReport {
  /// The report as Markdown: a table laid out like Table 1 of Kansky et al. (2017) — one row per agent,
  /// one column per variant, mean ± std of episode return — then lengths, then the protocol.
  public func markdown() -> String {
    var out = "# Zero-shot transfer: \(name)\n\n"
    if !summary.isEmpty { out += summary + "\n\n" }
    out += "Agents are trained on `\(trainingVariant)` (where they learn at all) and evaluated with no further "
    out += "training on every variant. Each cell: mean ± standard deviation of the episode return over "
    let runs = Set(cells.map(\.trainingRuns)).sorted()
    let runText = runs == [1] ? "" : "\(runs.map(String.init).joined(separator: " or ")) training runs × "
    out += "\(runText)\(seeds.count) seeds × \(episodesPerSeed) episodes.\n\n"
    out += table { $0.returns.formatted() }
    for row in shownPublished {
      out += "| *\(row.agent)* (\(row.source)) | " + variants.map { v in
        row.returns[v.id].map { "*\(Summary.fixed($0.mean, 2)) ± \(Summary.fixed($0.standardDeviation, 2))*" } ?? "—"
      }.joined(separator: " | ") + " |\n"
    }
    out += "\n![Zero-shot return per variant](chart.svg)\n"
    out += "\n### Episode length (steps)\n\n"
    out += table {
      "\(Summary.fixed($0.lengths.mean, 0)) ± \(Summary.fixed($0.lengths.standardDeviation, 0))"
        + ($0.truncated > 0 ? " (\($0.truncated) capped)" : "")
    }
    out += "\n## Protocol\n\n"
    out += "- Configuration: `\(configuration)` (sha256 `\(configurationSHA256.prefix(16))…`)\n"
    out += "- Seeds: \(seeds.map(String.init).joined(separator: ", ")); \(episodesPerSeed) episodes per seed, variant and agent. "
    out += "Episode seeds derive from (seed, episode index), so every agent meets the same episodes.\n"
    out += "- Step cap: each variant's `maxEpisodeSteps` (below); a capped episode counts with the return it had.\n"
    for skip in skipped { out += "- Not evaluated: \(skip.agent) on `\(skip.variant)` — \(skip.reason).\n" }
    out += "- Generated \(generatedAt) in \(Summary.fixed(wallSeconds, 1)) s.\n\n"
    out += "| Variant | Version | Step cap | File sha256 | Summary |\n|---|---|---|---|---|\n"
    for v in variants {
      out += "| `\(v.id)` | \(v.version) | \(v.maxEpisodeSteps) | `\(v.sha256.prefix(16))…` | \(v.summary) |\n"
    }
    out += "\n| Agent | Kind | Training | Preset sha256 |\n|---|---|---|---|\n"
    for a in agents {
      out += "| \(a.name) | \(a.kind) | \(a.training) | `\(a.sha256.prefix(16))…` |\n"
    }
    if !shownPublished.isEmpty {
      out += "\nRows in italics are published figures, not our runs: the paper's agents, trained on standard Breakout and "
      out += "evaluated zero-shot (their protocol, not ours: episode counts and caps may differ).\n"
    }
    out += "\nSoftware: " + software.keys.sorted().map { "\($0) \(software[$0]!)" }.joined(separator: ", ") + ".\n"
    if !recordings.isEmpty {
      out += "\n## Recordings\n\nThe first episode of the first seed, per agent and variant.\n\n"
      out += "| Agent | " + variants.map { "`\($0.id)`" }.joined(separator: " | ") + " |\n"
      out += "|---|" + variants.map { _ in "---|" }.joined() + "\n"
      for agent in agents {
        out += "| \(agent.name) | " + variants.map { v in
          recordings.first { $0.agent == agent.name && $0.variant == v.id }.map { "![\($0.agent) on \($0.variant)](\($0.path))" } ?? "—"
        }.joined(separator: " | ") + " |\n"
      }
    }
    return out
  }

  private func table(_ text: (Cell) -> String) -> String {
    var out = "| Agent | " + variants.map { "`\($0.id)`" }.joined(separator: " | ") + " |\n"
    out += "|---|" + variants.map { _ in "---:|" }.joined() + "\n"
    for agent in agents {
      out += "| \(agent.name) | " + variants.map { v in cell(agent: agent.name, variant: v.id).map(text) ?? "—" }
        .joined(separator: " | ") + " |\n"
    }
    return out
  }

  /// One row per episode: `agent,variant,seed,episode,episodeSeed,return,length,outcome,trainingRun`.
  public func csv() -> String {
    var out = "agent,variant,seed,episode,episodeSeed,return,length,outcome,trainingRun\n"
    for cell in cells {
      for (i, episode) in cell.episodes.enumerated() {
        let list = i / max(episodesPerSeed, 1)
        let (run, seed) = (list / seeds.count, seeds[list % seeds.count])
        out += "\(cell.agent),\(cell.variant),\(seed),\(i % max(episodesPerSeed, 1)),\(episode.seed),"
        out += "\(episode.totalReward),\(episode.length),\(episode.outcome.rawValue),\(run)\n"
      }
    }
    return out
  }
}
