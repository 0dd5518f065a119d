extension TransferReport {
  /// Puts together the reports of disjoint slices of one experiment (the same agents, variants and seeds in each):
  /// cells, skipped cells and recordings in the order one unsharded run writes them (agents, then variants, as
  /// listed), the earliest start and the longest wall time. Cells that no slice has are listed as not evaluated,
  /// with `missingReason(agent, variant)` as the reason.
  public static func merged(_ parts: [TransferReport], missingReason: (String, String) -> String) -> TransferReport {
    precondition(!parts.isEmpty, "merging needs at least one report")
    var report = parts[0]
    let agentOrder = Dictionary(uniqueKeysWithValues: report.agents.enumerated().map { ($1.name, $0) })
    let variantOrder = Dictionary(uniqueKeysWithValues: report.variants.enumerated().map { ($1.id, $0) })
    func position(_ agent: String, _ variant: String) -> Int {
      (agentOrder[agent] ?? agentOrder.count) * (variantOrder.count + 1) + (variantOrder[variant] ?? variantOrder.count)
    }
    report.cells = parts.flatMap(\.cells).sorted { position($0.agent, $0.variant) < position($1.agent, $1.variant) }
    var skipped = parts.flatMap(\.skipped)
    for agent in report.agents {
      for variant in report.variants where report.cell(agent: agent.name, variant: variant.id) == nil
        && !skipped.contains(where: { $0.agent == agent.name && $0.variant == variant.id }) {
        skipped.append(Skip(agent: agent.name, variant: variant.id, reason: missingReason(agent.name, variant.id)))
      }
    }
    report.skipped = skipped.sorted { position($0.agent, $0.variant) < position($1.agent, $1.variant) }
    report.recordings = parts.flatMap(\.recordings).sorted { position($0.agent, $0.variant) < position($1.agent, $1.variant) }
    report.generatedAt = parts.map(\.generatedAt).min()!
    report.wallSeconds = parts.map(\.wallSeconds).max()!
    return report
  }
}
