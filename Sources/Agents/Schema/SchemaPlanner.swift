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
///    the reward schema's precision; with several balls the rollout goes on and adds up), at a lost ball
///    (−penalty·p·γ^t; with several balls the rollout goes on while any is left, since saving one of three beats
///    saving none), at the next contact after the first (the plan covers the first contact and what follows it;
///    with several balls the rollout goes on instead, and a later loss counts only if the controlled objects
///    could not have got there in time), at a state beyond what the model knows (a bounce it has no schema for,
///    or an object overlapping a kind it never overlapped in training, such as a ball inside a wall:
///    −uncertaintyPenalty·γ^t), or at the horizon H. The best wins; ties go to a seeded coin (varied aim: a ball
///    caught the same way every time can circle forever under a wall), or, when nothing is coming within the
///    horizon, to the candidate that ends closest to the moving objects. When nothing is reachable, every
///    candidate that keeps all balls alive ties at 0: that is the fallback. When the best loses a ball, the
///    candidate within ``SchemaConfiguration/lossAimTolerance`` that ends nearest that ball wins instead (the
///    model may be wrong about the loss), and a controlled object the model moves into a kind it never shared a
///    cell with (the paddle into a wall) stays put rather than ending the rollout (`SchemaPlanner+Step.swift`).
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

    /// Whether `o` is one of the ``movers``: present, moving, and not moved by the actions.
    func isMover(_ o: SchemaScene.Object) -> Bool { o.isPresent && o.velocity != nil && !controlled.contains(o.id) }

    /// The distance between the centres of `a` and `b` along each axis the controlled objects move on (0 on the
    /// others), in half pixels.
    func centreOffsets(_ a: CellBox, _ b: CellBox) -> (dx: Int, dy: Int) {
      (reach.x > 0 ? abs((a.x0 + a.x1) - (b.x0 + b.x1)) : 0, reach.y > 0 ? abs((a.y0 + a.y1) - (b.y0 + b.y1)) : 0)
    }
  }

  /// A plan scored: press `action` for `presses` steps, then stay; its rollout's value, its last ``Cursor/gap``
  /// and ``Cursor/miss``.
  typealias Candidate = (action: Int, presses: Int, value: Double, gap: Int, miss: Int)

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
    /// How far (half pixels, centre to centre) the controlled object was from the first mover the rollout counts
    /// as lost; Int.max if none.
    var miss = Int.max
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
    // The bounce prior only with several balls: one-ball variants (Middle Wall) rely on a rollout ending where the
    // model does not know the bounce.
    simulator.reversesUnnamedChanges = configuration.reverseUnnamedBounces && probe.movers > 1
    let start = Cursor(changes: changes, watch: SchemaSimulator.Watch(scene, book: simulator.book, sensitive: probe.controlled))
    var stayOnly = start
    continueRollout(&stayOnly, pressing: probe.stay, for: 0, scene: &scene, probe: probe, simulator: &simulator, flights: &flights)
    var candidates: [Candidate] = [(probe.stay, 0, stayOnly.value, stayOnly.gap, stayOnly.miss)]
    let branches = explore ? [] : self.branches(in: &scene, changes: changes, probe: probe, simulator: &simulator)
    // The controlled object's box after each step of pressing each action (index: steps pressed).
    var pressed: [Int: [CellBox]] = [:]
    if !probe.controlled.isEmpty {
      let contact = stayOnly.contact ?? configuration.horizon
      let reach = min(configuration.horizon, contact + configuration.windowRadius + 2)
      let moves = (0..<actionCount).filter { $0 != probe.stay }
      let perAction = max(1, (configuration.maxCandidates - 1) / max(1, moves.count))
      let presses = reach <= perAction ? Array(1...max(1, reach))
        : Array(Set((1...perAction).map { ($0 * reach + perAction / 2) / perAction })).sorted()
      for a in moves {
        // The pressing chain; each candidate branches off it at its k and stays from there.
        let base = scene.objects
        var chain = start, moved = Set<Int>()
        let extra = keeping.flatMap { $0.action == a && $0.presses > 0 && !presses.contains($0.presses) ? [$0.presses] : nil } ?? []
        for k in (presses + extra).sorted() {
          while chain.t < k && !chain.isDone {
            moved.formUnion(advance(&chain, action: a, scene: &scene, probe: probe, simulator: &simulator, flights: &flights))
            if !branches.isEmpty { pressed[a, default: [scene.objects[probe.indices[0]].box]].append(scene.objects[probe.indices[0]].box) }
          }
          var branch = chain
          if !branch.isDone {
            continueRollout(&branch, pressing: a, for: k, scene: &scene, probe: probe, simulator: &simulator, flights: &flights)
          }
          candidates.append((a, k, branch.value, branch.gap, branch.miss))
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
      // Much the same loss whatever is done: be under the ball anyway, in case the model is wrong about it (the
      // first nearest, so the choice stays deterministic).
      if configuration.aimAtPredictedLosses && best.miss < Int.max && best.value < 0 {
        let floor = best.value - configuration.lossAimTolerance
        for c in candidates where c.value >= floor && c.miss < best.miss { best = c }
      }
      if let keep = keeping,
         let kept = candidates.first(where: { keep.presses == 0 ? $0.presses == 0 : ($0.action == keep.action && $0.presses == keep.presses) }),
         kept.value >= best.value - configuration.replanHysteresis {
        best = kept
      }
    }
    if let hedge = hedge(best, branches: branches, pressed: pressed, probe: probe, scene: scene) {
      var plan = record(hedge.action, presses: hedge.presses, from: &scene, start: start, probe: probe, simulator: &simulator)
      // Only until the first bounce it hedges against is seen: then the agent plans again.
      plan.actions = Array(plan.actions.prefix(hedge.until))
      plan.expected = Array(plan.expected.prefix(hedge.until))
      return plan
    }
    return record(best.action, presses: best.presses, from: &scene, start: start, probe: probe, simulator: &simulator)
  }

  /// A candidate that keeps more of the branches' alternative landings reachable than `best` does, and every
  /// likeliest landing (the nearest such position to `best`'s, then the fewest presses), with the step its plan
  /// ends at; `nil` when `best` copes as well as any.
  private func hedge(_ best: Candidate, branches: [Branch], pressed: [Int: [CellBox]],
                     probe: Probe, scene: SchemaScene) -> (action: Int, presses: Int, until: Int)? {
    guard let first = branches.first else { return nil }
    let start = scene.objects[probe.indices[0]].box
    func box(_ action: Int, _ presses: Int, at t: Int) -> CellBox {
      guard presses > 0, let boxes = pressed[action] else { return start }
      return boxes[min(presses, t, boxes.count - 1)]
    }
    let target = hedgeScore(branches, probe: probe) { box(best.action, best.presses, at: $0) }
    guard target.main, target.alternatives < branches.reduce(0, { $0 + $1.alternatives.count }) else { return nil }
    let horizontal = probe.reach.x > 0
    func centre(_ b: CellBox) -> Int { horizontal ? b.x0 + b.x1 : b.y0 + b.y1 }
    let aim = centre(box(best.action, best.presses, at: first.t))
    var choice: (action: Int, presses: Int, alternatives: Int, distance: Int)? = nil
    for (action, boxes) in pressed.sorted(by: { $0.key < $1.key }) {
      for k in 0..<min(boxes.count, first.t + 1) {
        let score = hedgeScore(branches, probe: probe) { box(action, k, at: $0) }
        guard score.main && score.alternatives > target.alternatives else { continue }
        let distance = abs(centre(box(action, k, at: first.t)) - aim)
        if let c = choice, (c.alternatives, -c.distance, -c.presses) >= (score.alternatives, -distance, -k) { continue }
        choice = (k == 0 ? probe.stay : action, k, score.alternatives, distance)
      }
    }
    return choice.map { ($0.action, $0.presses, first.t) }
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
      for o in scene.objects where probe.isMover(o) {
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
}
