/// Hedging against stochastic bounces: before a ball reaches the controlled object, the model may allow it more
/// than one velocity at a bounce (the reference redraws a wall or brick bounce with probability 0.25). Plans
/// follow the likeliest outcome; a paddle that has already run to the likeliest landing point can then be too far
/// from where the ball actually comes down. A hedged plan waits where every outcome stays reachable until the
/// bounce is seen.
extension SchemaPlanner {
  /// Where a mover reaches the controlled object's line: the step, and the mover's extent along the axis the
  /// controlled object moves on.
  struct Landing {
    var t: Int
    var lo: Int
    var hi: Int
  }

  /// A step of the likeliest flight at which the model allows the mover other velocities, with the landing of
  /// the likeliest outcome and of each alternative.
  struct Branch {
    var t: Int
    var main: Landing
    var alternatives: [Landing]
  }

  /// The branches of the movers' flights before each reaches the one controlled object (at most
  /// ``SchemaConfiguration/hedgeBranches``, each with up to 8 alternatives, 16 alternative flights in all), with
  /// `stay` pressed throughout: a flight before its contact does not depend on the controlled object. Empty
  /// unless exactly one object is controlled and it moves along one axis. The scene is left as it was.
  func branches(in scene: inout SchemaScene, changes: [CellBox]?, probe: Probe, simulator: inout SchemaSimulator) -> [Branch] {
    guard configuration.hedgeBranches > 0, probe.indices.count == 1, probe.movers > 0, (probe.reach.x > 0) != (probe.reach.y > 0) else {
      return []
    }
    let movers = scene.objects.indices.filter { probe.isMover(scene.objects[$0]) }
    let horizontal = probe.reach.x > 0, s = configuration.maxSpeed
    let line = scene.objects[probe.indices[0]].box
    func landing(_ i: Int, at t: Int, _ scene: SchemaScene) -> Landing? {
      let b = scene.objects[i].box
      let reached = horizontal ? b.y1 >= line.y0 - s && b.y0 <= line.y1 + s : b.x1 >= line.x0 - s && b.x0 <= line.x1 + s
      guard reached else { return nil }
      return horizontal ? Landing(t: t, lo: b.x0, hi: b.x1) : Landing(t: t, lo: b.y0, hi: b.y1)
    }
    let base = scene.objects
    var moved = Set<Int>(movers)
    defer {
      for i in moved.sorted() { scene.restore(i, to: base[i]) }
      simulator.forgetRest()
    }
    // Flies mover `i` on from step `t` until it lands (having been `away` from the line), leaves, or the horizon;
    // the scene is put back as it was.
    func fly(_ i: Int, from t: Int, changes: [CellBox]?, watch: SchemaSimulator.Watch, away: Bool) -> Landing? {
      let snapshot = scene.objects
      var (t, changes, watch, flown, away) = (t, changes, watch, Set<Int>(), away)
      var found: Landing? = nil
      while t < configuration.horizon && scene.objects[i].isPresent {
        if let l = landing(i, at: t, scene) {
          if away { found = l; break }
        } else {
          away = true
        }
        let step = withUnsafeMutablePointer(to: &watch) { simulator.step(&scene, action: probe.stay, changes: changes, watch: $0) }
        flown.formUnion(step.moved)
        changes = step.changes
        t += 1
      }
      for j in flown.sorted() { scene.restore(j, to: snapshot[j]) }
      moved.formUnion(flown)
      simulator.forgetRest()
      return found
    }
    var watch = SchemaSimulator.Watch(scene, book: simulator.book, sensitive: probe.controlled)
    var forecasts = [ObjectForecast](repeating: simulator.book.unchanged(nil), count: scene.objects.count)
    // A mover leaving the line (just bounced off the controlled object) lands when it comes back.
    var away = movers.map { landing($0, at: 0, scene) == nil }
    var flying = movers.map { _ in true }
    var (t, changes, found, flights) = (0, changes, [Branch](), 0)
    var before = movers.map { scene.objects[$0] }
    while t < configuration.horizon && found.count < configuration.hedgeBranches && flying.contains(true) {
      for (k, i) in movers.enumerated() { before[k] = scene.objects[i] }
      let step = forecasts.withUnsafeMutableBufferPointer { f in
        withUnsafeMutablePointer(to: &watch) { simulator.step(&scene, action: probe.stay, changes: changes, watch: $0, forecasts: f.baseAddress!) }
      }
      moved.formUnion(step.moved)
      changes = step.changes
      t += 1
      for (k, i) in movers.enumerated() where flying[k] {
        guard scene.objects[i].isPresent else { flying[k] = false; continue }
        if landing(i, at: t, scene) == nil { away[k] = true } else if away[k] { flying[k] = false; continue }
        let f = forecasts[i]
        // A novel or uncertain forecast allows everything: nothing to hedge between.
        guard case .stays(let v?) = f.outcome, !f.isNovel, !f.isUncertain else { continue }
        let alternatives = Self.alternatives(of: f, besides: v, after: before[k].velocity, maxSpeed: s)
        guard !alternatives.isEmpty, flights < 16, let main = fly(i, from: t, changes: changes, watch: watch, away: away[k]) else { continue }
        var branch = Branch(t: t, main: main, alternatives: [])
        let after = scene.objects[i]
        for w in alternatives.prefix(min(8, 16 - flights)) {
          scene.restore(i, to: before[k])
          scene.advance(i, velocity: w)
          simulator.forgetRest()
          flights += 1
          if let l = fly(i, from: t, changes: changes.map { $0 + [scene.objects[i].box] }, watch: watch, away: away[k]) {
            branch.alternatives.append(l)
          }
        }
        scene.restore(i, to: after)
        simulator.forgetRest()
        if !branch.alternatives.isEmpty && found.count < configuration.hedgeBranches { found.append(branch) }
      }
    }
    return found
  }

  /// The velocities other than `chosen` that `forecast` allows (moving ones), and, at a bounce (`chosen` reverses
  /// an axis of the velocity `before`), every other velocity of the same speed heading the same way.
  ///
  /// The widening is a prior, not learned: the reference redraws a bounce among the same-signed velocities of its
  /// speed, and the schemas, learned from the few fast bounces Standard shows at each wall pixel, name only some
  /// of them. Hedging against the model's alternatives alone moved Juggling from −3.9 to −3.1; with the widening,
  /// to −2.5 (docs/schema-agent.md). It only adds landings to keep reachable; rollouts still use the model alone.
  static func alternatives(of forecast: ObjectForecast, besides chosen: Velocity, after before: Velocity?, maxSpeed s: Int) -> [Velocity] {
    var found: [Velocity] = []
    for dx in -s...s where forecast.possibleX & (1 << UInt16(dx + s)) != 0 {
      for dy in -s...s where forecast.possibleY & (1 << UInt16(dy + s)) != 0 && (dx, dy) != (chosen.dx, chosen.dy) && (dx != 0 || dy != 0) {
        found.append(Velocity(dx: dx, dy: dy))
      }
    }
    guard let old = before, old.dx * chosen.dx < 0 || old.dy * chosen.dy < 0 else { return found }
    let speed = max(abs(chosen.dx), abs(chosen.dy))
    for dx in -speed...speed where dx.signum() == chosen.dx.signum() {
      for dy in -speed...speed where dy.signum() == chosen.dy.signum() && max(abs(dx), abs(dy)) == speed {
        let w = Velocity(dx: dx, dy: dy)
        if w != chosen && !found.contains(w) { found.append(w) }
      }
    }
    return found
  }

  /// How a position of the controlled object (`box` at each branch's step) copes with the branches: whether every
  /// likeliest landing stays reachable, and how many alternative landings do (moving at 90% of its top speed
  /// from the branch on, the mover inside its ends).
  func hedgeScore(_ branches: [Branch], probe: Probe, box: (Int) -> CellBox) -> (main: Bool, alternatives: Int) {
    let horizontal = probe.reach.x > 0
    let speed = Self.catchSpeed * Double(horizontal ? probe.reach.x : probe.reach.y)
    var (main, count) = (true, 0)
    for branch in branches {
      let b = box(branch.t)
      let (p0, p1) = horizontal ? (b.x0, b.x1) : (b.y0, b.y1)
      func reachable(_ l: Landing) -> Bool {
        Double(abs(Self.shift(covering: l.lo, l.hi, within: p0, p1))) <= speed * Double(l.t - branch.t)
      }
      main = main && reachable(branch.main)
      count += branch.alternatives.filter(reachable).count
    }
    return (main, count)
  }
}
