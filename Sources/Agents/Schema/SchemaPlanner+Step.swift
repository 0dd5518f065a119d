/// One step of a candidate's rollout: the value it adds, the contact phases, the flight memo, when to stop, and
/// which later losses the controlled objects could still have prevented.
extension SchemaPlanner {
  /// One step of a rollout and its bookkeeping (value, contact phase, flight memo, stopping); returns the objects
  /// the step moved.
  @discardableResult
  func advance(_ cursor: inout Cursor, action: Int, scene: inout SchemaScene, probe: Probe,
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
      var losses = 1
      if probe.movers > 1 && configuration.countEveryLoss {
        // Each ball lost counts, less those the controlled object could still have caught one after another.
        losses = uncaught(step.moved, cursor: &cursor, scene: scene, probe: probe)
      } else if probe.movers > 1 && commitCatches(step.moved, cursor: &cursor, scene: scene, probe: probe) {
        losses = 0
      }
      if losses == 0 {
        cursor.discount *= configuration.discount
        if cursor.t >= configuration.horizon { cursor.isDone = true }
        return step.moved
      }
      cursor.value -= configuration.negativeRewardPenalty * Double(step.negative) / 255 * Double(losses) * cursor.discount
      if cursor.miss == Int.max { cursor.miss = miss(step.moved, scene: scene, probe: probe) }
      // With balls left to save, the rollout goes on: catching one of three is better than none.
      let remaining = scene.objects.contains { probe.isMover($0) }
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
    if configuration.blockImplausibleMoves && !step.isUncertain {
      blockImplausibleMoves(step.moved, scene: &scene, probe: probe, book: simulator.book)
    }
    // Beyond what the model knows (a bounce it never learned, a ball inside a wall): what follows cannot be
    // predicted, which is worse than a known safe outcome and better than a known loss.
    if step.isUncertain || step.moved.contains(where: { scene.objects[$0].isPresent && simulator.book.isImplausible($0, in: scene) }) {
      cursor.value -= configuration.uncertaintyPenalty * cursor.discount
      finish(&cursor)
      return step.moved
    }
    let near = scene.objects.contains {
      probe.isMover($0) && $0.box.overlaps(probe.band, margin: 0)
    }
    switch (cursor.phase, near) {
    case (0, true):
      cursor.phase = 1
      cursor.contact = cursor.t
    case (1, true):
      // How close to an end of the controlled object the mover touches it: a catch by the corner fails when the
      // bounce was drawn differently or the model is off by a pixel.
      for o in scene.objects where probe.isMover(o) {
        let touch = configuration.nearMissTouches ? configuration.maxSpeed : 1
        for c in probe.indices where scene.objects[c].box.overlaps(o.box, margin: touch) {
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

  /// Puts back every controlled object in `moved` that the step took into a kind it was never seen sharing a cell
  /// with (the paddle into a wall): it stays where it was, as a blocked press does. Without this, a rollout ends
  /// there as beyond the model (−uncertaintyPenalty), which beats a predicted loss, so running into a wall
  /// looked like a way out of a ball that could not be caught.
  func blockImplausibleMoves(_ moved: [Int], scene: inout SchemaScene, probe: Probe, book: RuleBook) {
    for i in moved where probe.indices.contains(i) && scene.objects[i].isPresent && book.isImplausible(i, in: scene) {
      var o = scene.objects[i]
      if let v = o.velocity { (o.x, o.y) = (o.x - v.dx, o.y - v.dy) }
      o.velocity = nil
      scene.restore(i, to: o)
    }
  }

  /// The least distance (in half pixels, along the axes the controlled objects move on) between the centre of a
  /// controlled object and that of a mover in `moved` that just vanished (Int.max when none did): centred, a
  /// catch the model did not foresee is likeliest.
  func miss(_ moved: [Int], scene: SchemaScene, probe: Probe) -> Int {
    var best = Int.max
    for i in moved where !scene.objects[i].isPresent && !probe.indices.contains(i) {
      for c in probe.indices where scene.objects[c].isPresent {
        let (dx, dy) = probe.centreOffsets(scene.objects[c].box, scene.objects[i].box)
        best = min(best, dx + dy)
      }
    }
    return best
  }

  /// The distance, along the axes the controlled objects move on, between them and the nearest mover.
  func gap(in scene: SchemaScene, probe: Probe) -> Int {
    var best = Int.max
    for c in probe.indices where scene.objects[c].isPresent {
      let p = scene.objects[c].box
      for o in scene.objects where probe.isMover(o) {
        let (dx, dy) = probe.centreOffsets(p, o.box)
        best = min(best, dx / 2 + dy / 2)
      }
    }
    return best
  }

  /// The share of its top speed the controlled object is counted on to move at when judging whether it can get
  /// somewhere in time (its press moves it a drawn distance, and it reacts a step late).
  static let catchSpeed = 0.9

  /// The signed shift that puts the span `lo…hi` inside `p0…p1` (0 when it already is).
  static func shift(covering lo: Int, _ hi: Int, within p0: Int, _ p1: Int) -> Int {
    max(0, p0 - lo, hi - p1) * (lo < p0 ? -1 : 1)
  }

  /// Whether the controlled object could have caught every mover that just vanished, one after another: from
  /// where it last had to be (its last touch of a mover, or a catch this rollout already counted on),
  /// at 90% of its top speed, with the ball inside its ends by ``SchemaConfiguration/catchMargin``. A catch it
  /// could make becomes where it has to be next, so two balls landing at once far apart are not both "catchable".
  func commitCatches(_ moved: [Int], cursor: inout Cursor, scene: SchemaScene, probe: Probe) -> Bool {
    let lost = moved.filter { !scene.objects[$0].isPresent && !probe.indices.contains($0) }
    guard !lost.isEmpty, var (t, box) = cursor.reserve else { return false }
    let m = min(configuration.catchMargin, probe.reach.x > 0 ? (box.x1 - box.x0) / 2 : (box.y1 - box.y0) / 2)
    for i in lost.sorted(by: { scene.objects[$0].minX < scene.objects[$1].minX }) {
      let b = scene.objects[i].box
      let time = Double(cursor.t - t)
      // The shift that puts the ball inside the box's ends along each axis the controlled object moves on.
      let dx = probe.reach.x > 0 ? Self.shift(covering: b.x0, b.x1, within: box.x0 + m, box.x1 - m) : 0
      let dy = probe.reach.y > 0 ? Self.shift(covering: b.y0, b.y1, within: box.y0 + m, box.y1 - m) : 0
      let (sx, sy) = (Self.catchSpeed * Double(probe.reach.x), Self.catchSpeed * Double(probe.reach.y))
      guard Double(abs(dx)) <= sx * time, Double(abs(dy)) <= sy * time else {
        return false
      }
      box = CellBox(x0: box.x0 + dx, y0: box.y0 + dy, x1: box.x1 + dx, y1: box.y1 + dy)
      t = cursor.t
    }
    cursor.reserve = (t, box)
    return true
  }

  /// How many of the movers that vanished in `moved` the controlled object could not have caught, one after
  /// another (``commitCatches``'s test, ball by ball: each it could catch becomes where it has to be next); at
  /// least 1 when none vanished (the loss is the model's word alone).
  func uncaught(_ moved: [Int], cursor: inout Cursor, scene: SchemaScene, probe: Probe) -> Int {
    let lost = moved.filter { !scene.objects[$0].isPresent && !probe.indices.contains($0) }
    guard !lost.isEmpty else { return 1 }
    guard var (t, box) = cursor.reserve else { return lost.count }
    let m = min(configuration.catchMargin, probe.reach.x > 0 ? (box.x1 - box.x0) / 2 : (box.y1 - box.y0) / 2)
    let (sx, sy) = (Self.catchSpeed * Double(probe.reach.x), Self.catchSpeed * Double(probe.reach.y))
    var missed = 0
    for i in lost.sorted(by: { scene.objects[$0].minX < scene.objects[$1].minX }) {
      let b = scene.objects[i].box
      let time = Double(cursor.t - t)
      let dx = probe.reach.x > 0 ? Self.shift(covering: b.x0, b.x1, within: box.x0 + m, box.x1 - m) : 0
      let dy = probe.reach.y > 0 ? Self.shift(covering: b.y0, b.y1, within: box.y0 + m, box.y1 - m) : 0
      guard Double(abs(dx)) <= sx * time, Double(abs(dy)) <= sy * time else {
        missed += 1
        continue
      }
      box = CellBox(x0: box.x0 + dx, y0: box.y0 + dy, x1: box.x1 + dx, y1: box.y1 + dy)
      t = cursor.t
    }
    cursor.reserve = (t, box)
    return missed
  }
}
