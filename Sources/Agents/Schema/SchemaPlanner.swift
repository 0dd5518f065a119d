import EnvironmentCore

/// Plans on the learned model alone: macro-action model-predictive control (the spec's P2, a re-design of
/// Kansky et al. 2017 §4's reward-seeking planner that also avoids negative rewards).
///
/// 1. **Probe** which objects the actions move: objects whose forecast differs between actions are *controlled*
///    (the paddle); the action that leaves them still is *stay*.
/// 2. **Candidates**: "press action a for k steps, then stay", for every other action and spaced k, plus
///    "stay". The spacing is fine near the first predicted contact (a moving object entering the band the
///    controlled objects sweep), and the agent replans as that contact nears.
/// 3. **Roll out** each candidate with the model, stopping at its first likely positive reward (value p·γ^t, p
///    the reward schema's precision; with several balls the rollout goes on and adds up), at a lost ball (−penalty·p·γ^t; with several balls the rollout goes on
///    while any is left, since saving one of three beats saving none), at the next contact after the first (the
///    plan covers the first contact and what follows it; with several balls the rollout goes on instead, and a
///    later loss counts only if the controlled objects could not have got there in time), at a state beyond
///    what the model knows (a bounce it has no schema for, or an object overlapping a kind it never overlapped
///    in training, such as a ball inside a wall: −uncertaintyPenalty·γ^t), or at the horizon H. The best wins; ties go to a seeded coin (varied
///    aim: a ball caught the same way every time can circle forever under a wall), or, when nothing is coming
///    within the horizon, to the candidate that ends closest to the moving objects. When nothing is reachable,
///    every candidate that keeps all balls alive ties at 0: that is the fallback.
///
/// Speed: candidates of one action share their pressing steps (each branches off the chain at its k); a flight
/// after the first contact, which the controlled objects cannot affect, is memoised by the state of everything
/// else (``SchemaScene/signature(controlled:changing:)``).
struct SchemaPlanner {
  let configuration: SchemaConfiguration
  let actionCount: Int

  /// Controlled objects, the stay action, how far controlled objects can move per step, and the band they sweep.
  struct Probe {
    var controlled: [Int32] = []
    var indices: [Int] = []
    var stay = 0
    var reach = (x: 0, y: 0)
    var band = CellBox(x0: 0, y0: 0, x1: -1, y1: -1)
    /// Moving objects the actions do not move (the balls).
    var movers = 0
  }

  /// A flight after the first contact: its value relative to its start, and its length.
  struct Flight {
    var value: Double
    var steps: Int
  }

  /// Where one rollout stands.
  struct Cursor {
    var t = 0
    var value = 0.0
    var discount = 1.0
    /// 0 before the first contact, 1 during it, 2 after it.
    var phase = 0
    var isDone = false
    var contact: Int? = nil
    /// Where the controlled object is assumed to be at a time: at its last touch of a mover, or at a catch a
    /// multi-ball rollout counted on since.
    var reserve: (t: Int, box: CellBox)? = nil
    /// How far the controlled objects ended from the nearest mover (a tie-breaker when nothing is coming).
    var gap = Int.max
    /// How deep inside the controlled object's extent a mover touched it (pixels from its nearer end).
    var edge = Int.max
    var changes: [CellBox]?
    var watch: SchemaSimulator.Watch
    var flight: (key: UInt64, t: Int, value: Double, discount: Double)? = nil
  }

  /// The best plan from `scene` (whose cells changed in `changes` during the last step). The scene is used for
  /// rollouts and left as it was.
  ///
  /// `keeping` is the rest of the current plan (press action and remaining presses) when the agent only refines
  /// it as a contact nears: it stays chosen unless another candidate is better by
  /// ``SchemaConfiguration/replanHysteresis``.
  func plan(from scene: inout SchemaScene, changes: [CellBox]?, simulator: inout SchemaSimulator, flights: inout [UInt64: Flight],
            rng: inout SplitMix64, explore: Bool, keeping: (action: Int, presses: Int)? = nil) -> SchemaPlan {
    let probe = self.probe(scene, simulator: &simulator)
    let start = Cursor(changes: changes, watch: SchemaSimulator.Watch(scene, book: simulator.book, sensitive: probe.controlled))
    var stayOnly = start
    continueRollout(&stayOnly, pressing: probe.stay, for: 0, scene: &scene, probe: probe, simulator: &simulator, flights: &flights)
    var candidates: [(action: Int, presses: Int, value: Double, gap: Int)] = [(probe.stay, 0, stayOnly.value, stayOnly.gap)]
    if !probe.controlled.isEmpty {
      let contact = stayOnly.contact ?? configuration.horizon
      let reach = min(configuration.horizon, contact + configuration.windowRadius + 2)
      let moves = (0..<actionCount).filter { $0 != probe.stay }
      let perAction = max(1, (configuration.maxCandidates - 1) / max(1, moves.count))
      let presses = reach <= perAction ? Array(1...max(1, reach)) : Array(Set((1...perAction).map { ($0 * reach + perAction / 2) / perAction })).sorted()
      for a in moves {
        // The pressing chain; each candidate branches off it at its k and stays from there.
        let base = scene.objects
        var chain = start, moved = Set<Int>()
        let extra = keeping.flatMap { $0.action == a && $0.presses > 0 && !presses.contains($0.presses) ? [$0.presses] : nil } ?? []
        for k in (presses + extra).sorted() {
          while chain.t < k && !chain.isDone { moved.formUnion(advance(&chain, action: a, scene: &scene, probe: probe, simulator: &simulator, flights: &flights)) }
          var branch = chain
          if !branch.isDone {
            continueRollout(&branch, pressing: a, for: k, scene: &scene, probe: probe, simulator: &simulator, flights: &flights)
          }
          candidates.append((a, k, branch.value, branch.gap))
        }
        for i in moved.sorted() { scene.restore(i, to: base[i]) }
        simulator.forgetRest()
      }
    }
    var best = candidates[0], ties = 1
    if explore {
      best = candidates[rng.nextInt(below: candidates.count)]
    } else {
      for c in candidates.dropFirst() {
        if c.value > best.value + 1e-9 {
          (best, ties) = (c, 1)
        } else if abs(c.value - best.value) <= 1e-9 {
          if stayOnly.contact == nil {
            // Nothing is coming: wait closest to where the moving objects are (the spec's tie-breaker).
            if c.gap < best.gap { best = c }
            continue
          }
          // Equal candidates: keep each with probability 1/ties (reservoir sampling), so aims vary.
          ties += 1
          if rng.nextInt(below: ties) == 0 { best = c }
        }
      }
      if let keep = keeping,
         let kept = candidates.first(where: { keep.presses == 0 ? $0.presses == 0 : ($0.action == keep.action && $0.presses == keep.presses) }),
         kept.value >= best.value - configuration.replanHysteresis {
        best = kept
      }
    }
    return record(best.action, presses: best.presses, from: &scene, start: start, probe: probe, simulator: &simulator)
  }

  /// Runs `cursor` on with `action` pressed until step `presses`, then the stay action, until it is done; the
  /// objects it moves are put back.
  private func continueRollout(_ cursor: inout Cursor, pressing action: Int, for presses: Int, scene: inout SchemaScene, probe: Probe,
                               simulator: inout SchemaSimulator, flights: inout [UInt64: Flight]) {
    let base = scene.objects
    var moved = Set<Int>()
    while !cursor.isDone {
      moved.formUnion(advance(&cursor, action: cursor.t < presses ? action : probe.stay, scene: &scene, probe: probe,
                              simulator: &simulator, flights: &flights))
    }
    cursor.gap = gap(in: scene, probe: probe)
    for i in moved.sorted() { scene.restore(i, to: base[i]) }
    simulator.forgetRest()
  }

  /// One step of a rollout and its bookkeeping (value, contact phase, flight memo, stopping); returns the objects
  /// the step moved.
  @discardableResult
  private func advance(_ cursor: inout Cursor, action: Int, scene: inout SchemaScene, probe: Probe,
                       simulator: inout SchemaSimulator, flights: inout [UInt64: Flight], memoize: Bool = true) -> [Int] {
    let step = withUnsafeMutablePointer(to: &cursor.watch) {
      simulator.step(&scene, action: action, changes: cursor.changes, watch: $0)
    }
    cursor.changes = step.changes
    cursor.t += 1
    func finish(_ cursor: inout Cursor) {
      cursor.isDone = true
      if let f = cursor.flight, memoize {
        flights[f.key] = Flight(value: (cursor.value - f.value) / f.discount, steps: cursor.t - f.t)
      }
    }
    // A predicted reward counts at its schema's precision: an unreliable reward schema promises less.
    if step.negative > simulator.likely {
      // After the first contact, with several balls, a loss the controlled objects can still reach in time is
      // the next plan's business, not this one's fault.
      if probe.movers > 1 && commitCatches(step.moved, cursor: &cursor, scene: scene, probe: probe) {
        cursor.discount *= configuration.discount
        if cursor.t >= configuration.horizon { cursor.isDone = true }
        return step.moved
      }
      cursor.value -= configuration.negativeRewardPenalty * Double(step.negative) / 255 * cursor.discount
      // With balls left to save, the rollout goes on: catching one of three is better than none.
      let remaining = scene.objects.contains { $0.isPresent && $0.velocity != nil && !probe.controlled.contains($0.id) }
      if probe.movers > 1 && remaining && cursor.t < configuration.horizon {
        cursor.discount *= configuration.discount
        return step.moved
      }
      finish(&cursor)
      return step.moved
    }
    if step.positive > simulator.likely {
      cursor.value += Double(step.positive) / 255 * cursor.discount
      // With several balls the others still have to be caught: the rollout goes on.
      if probe.movers <= 1 || cursor.t >= configuration.horizon {
        finish(&cursor)
        return step.moved
      }
    }
    cursor.discount *= configuration.discount
    // Beyond what the model knows (a bounce it never learned, a ball inside a wall): what follows cannot be
    // predicted, which is worse than a known safe outcome and better than a known loss.
    if step.isUncertain || step.moved.contains(where: { scene.objects[$0].isPresent && simulator.book.isImplausible($0, in: scene) }) {
      cursor.value -= configuration.uncertaintyPenalty * cursor.discount
      finish(&cursor)
      return step.moved
    }
    let near = scene.objects.contains { $0.isPresent && $0.velocity != nil && !probe.controlled.contains($0.id) && $0.box.overlaps(probe.band, margin: 0) }
    switch (cursor.phase, near) {
    case (0, true):
      cursor.phase = 1
      cursor.contact = cursor.t
    case (1, true):
      // How close to an end of the controlled object the mover touches it: a catch by the corner fails when the
      // bounce was drawn differently or the model is off by a pixel.
      for o in scene.objects where o.isPresent && o.velocity != nil && !probe.controlled.contains(o.id) {
        for c in probe.indices where scene.objects[c].box.overlaps(o.box, margin: 1) {
          let p = scene.objects[c].box, b = o.box
          let depth = probe.reach.x > 0 ? min(b.x0 - p.x0, p.x1 - b.x1) : min(b.y0 - p.y0, p.y1 - b.y1)
          cursor.edge = min(cursor.edge, depth)
          // From a touch on, the controlled object is free to go for the next ball.
          cursor.reserve = (cursor.t, p)
        }
      }
    case (1, false) where !probe.controlled.isEmpty:
      cursor.phase = 2

      if cursor.edge < configuration.catchMargin {
        cursor.value -= configuration.uncertaintyPenalty * Double(configuration.catchMargin - max(-1, cursor.edge))
          / Double(configuration.catchMargin + 1) * cursor.discount
      }
      // One ball: the flight until it comes back cannot depend on where the paddle waits, so it is memoised.
      guard probe.movers == 1 else { break }
      let key = scene.signature(controlled: probe.controlled, changing: simulator.book.changingKinds)
      if memoize, let hit = flights[key], cursor.t + hit.steps <= configuration.horizon {
        cursor.value += hit.value * cursor.discount
        cursor.isDone = true
        return step.moved
      }
      cursor.flight = (key, cursor.t, cursor.value, cursor.discount)
    case (2, true) where probe.movers == 1:
      finish(&cursor)
      return step.moved
    default: break
    }
    if cursor.t >= configuration.horizon { cursor.isDone = true }
    return step.moved
  }

  /// The distance, along the axes the controlled objects move on, between them and the nearest mover.
  private func gap(in scene: SchemaScene, probe: Probe) -> Int {
    var best = Int.max
    for c in probe.indices where scene.objects[c].isPresent {
      let p = scene.objects[c].box
      for o in scene.objects where o.isPresent && o.velocity != nil && !probe.controlled.contains(o.id) {
        let b = o.box
        let dx = probe.reach.x > 0 ? abs((p.x0 + p.x1) - (b.x0 + b.x1)) / 2 : 0
        let dy = probe.reach.y > 0 ? abs((p.y0 + p.y1) - (b.y0 + b.y1)) / 2 : 0
        best = min(best, dx + dy)
      }
    }
    return best
  }

  /// Whether the controlled object could have caught every mover that just vanished, one after another: from
  /// where it last had to be (its last touch of a mover, or a catch this rollout already counted on),
  /// at 90% of its top speed, with the ball inside its ends by ``SchemaConfiguration/catchMargin``. A catch it
  /// could make becomes where it has to be next, so two balls landing at once far apart are not both "catchable".
  private func commitCatches(_ moved: [Int], cursor: inout Cursor, scene: SchemaScene, probe: Probe) -> Bool {
    let lost = moved.filter { !scene.objects[$0].isPresent && !probe.indices.contains($0) }
    guard !lost.isEmpty, var (t, box) = cursor.reserve else { return false }
    let m = min(configuration.catchMargin, probe.reach.x > 0 ? (box.x1 - box.x0) / 2 : (box.y1 - box.y0) / 2)
    for i in lost.sorted(by: { scene.objects[$0].minX < scene.objects[$1].minX }) {
      let b = scene.objects[i].box
      let time = Double(cursor.t - t)
      // The shift that puts the ball inside the box's ends along each axis the controlled object moves on.
      let dx = probe.reach.x > 0 ? max(0, box.x0 + m - b.x0, b.x1 - (box.x1 - m)) * (b.x0 < box.x0 + m ? -1 : 1) : 0
      let dy = probe.reach.y > 0 ? max(0, box.y0 + m - b.y0, b.y1 - (box.y1 - m)) * (b.y0 < box.y0 + m ? -1 : 1) : 0
      guard Double(abs(dx)) <= 0.9 * Double(probe.reach.x) * time, Double(abs(dy)) <= 0.9 * Double(probe.reach.y) * time else {
        return false
      }
      box = CellBox(x0: box.x0 + dx, y0: box.y0 + dy, x1: box.x1 + dx, y1: box.y1 + dy)
      t = cursor.t
    }
    cursor.reserve = (t, box)
    return true
  }

  /// Replays the chosen candidate, recording what it expects after every step and the overlay.
  private func record(_ action: Int, presses: Int, from scene: inout SchemaScene, start: Cursor, probe: Probe,
                      simulator: inout SchemaSimulator) -> SchemaPlan {
    var plan = SchemaPlan()
    plan.controlled = probe.controlled
    (plan.pressAction, plan.presses) = (action, presses)
    var cursor = start, moved = Set<Int>(), none: [UInt64: Flight] = [:]
    let base = scene.objects
    var paths: [Int32: [SchemaPoint]] = [:]
    var end: Int? = nil
    while !cursor.isDone {
      let a = cursor.t < presses ? action : probe.stay
      plan.actions.append(a)
      moved.formUnion(advance(&cursor, action: a, scene: &scene, probe: probe, simulator: &simulator, flights: &none, memoize: false))
      plan.expected.append(scene.signature(controlled: probe.controlled, changing: simulator.book.changingKinds))
      for o in scene.objects where o.isPresent && o.velocity != nil && !probe.controlled.contains(o.id) {
        paths[o.id, default: []].append(SchemaPoint(x: o.minX, y: o.minY))
      }
      if cursor.t == max(1, presses) {
        plan.overlay.targets = probe.indices.map { SchemaPoint(x: (scene.objects[$0].minX + scene.objects[$0].maxX) / 2, y: scene.objects[$0].minY) }
      }
      // The plan's business ends when the first contact does: the next approach (another ball's, or this one's
      // return) gets a plan of its own; the overlay still shows the whole predicted path.
      if (cursor.phase == 2 || cursor.reserve != nil) && end == nil { end = cursor.t }
    }
    for i in moved.sorted() { scene.restore(i, to: base[i]) }
    simulator.forgetRest()
    if let end {
      plan.actions = Array(plan.actions.prefix(end))
      plan.expected = Array(plan.expected.prefix(end))
    }
    plan.value = cursor.value
    plan.contact = cursor.contact ?? configuration.horizon
    plan.overlay.paths = paths.keys.sorted().map { paths[$0]! }
    plan.overlay.plannedActions = plan.actions
    return plan
  }

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
    probe.movers = scene.objects.filter { $0.isPresent && $0.velocity != nil && !probe.controlled.contains($0.id) }.count
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
