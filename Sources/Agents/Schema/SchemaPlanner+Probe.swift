/// What the actions control: the objects whose forecast depends on the action, the action that leaves them
/// still, and the band they sweep.
extension SchemaPlanner {
  /// Finds the objects whose forecast depends on the action, the action that keeps them still, and the band
  /// they sweep (their boxes grown by the window and the top speed, and across the screen along every axis
  /// they move on).
  func probe(_ scene: SchemaScene, simulator: inout SchemaSimulator) -> Probe {
    var probe = Probe()
    var stillness = [Int](repeating: 0, count: actionCount)
    for i in scene.objects.indices {
      let o = scene.objects[i]
      guard o.isPresent, simulator.book.isChanging(o.kind), simulator.book.isActionSensitive(o.kind) else { continue }
      let outcomes = (0..<actionCount).map { simulator.forecast(i, in: scene, action: $0).outcome }
      guard Set(outcomes).count > 1 else { continue }
      probe.controlled.append(o.id)
      probe.indices.append(i)
      for (a, outcome) in outcomes.enumerated() {
        guard case .stays(let v) = outcome else { stillness[a] += 100; continue }
        stillness[a] += abs(v?.dx ?? 0) + abs(v?.dy ?? 0)
        probe.reach.x = max(probe.reach.x, abs(v?.dx ?? 0))
        probe.reach.y = max(probe.reach.y, abs(v?.dy ?? 0))
      }
    }
    probe.stay = stillness.indices.min { (stillness[$0], $0) < (stillness[$1], $1) } ?? 0
    probe.movers = scene.objects.filter { probe.isMover($0) }.count
    let margin = configuration.windowRadius + configuration.maxSpeed
    for i in probe.indices {
      let b = scene.objects[i].box
      var band = CellBox(x0: b.x0 - margin, y0: b.y0 - margin, x1: b.x1 + margin, y1: b.y1 + margin)
      if probe.reach.x > 0 { (band.x0, band.x1) = (Int.min / 4, Int.max / 4) }
      if probe.reach.y > 0 { (band.y0, band.y1) = (Int.min / 4, Int.max / 4) }
      probe.band = probe.band.x1 < probe.band.x0 ? band
        : CellBox(x0: min(probe.band.x0, band.x0), y0: min(probe.band.y0, band.y0), x1: max(probe.band.x1, band.x1), y1: max(probe.band.y1, band.y1))
    }
    return probe
  }
}
