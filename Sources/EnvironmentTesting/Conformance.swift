import EnvironmentCore

/// The checks every registered game passes (Gymnasium's `check_env`, dm_env's `EnvironmentTestMixin`):
/// action list, determinism, value semantics, observation shapes and consistency, redrawing in place, episode
/// ends.
///
/// Returns the failures found, each one line; an empty list means the game conforms.
public func conformanceFailures<G: Game>(of game: G, steps: Int = 3_000, seed: UInt64 = 2024) -> [String] {
  var failures: [String] = []
  func expect(_ condition: Bool, _ message: @autoclosure () -> String) { if !condition { failures.append(message()) } }

  // Actions: a fixed, non-empty list of distinct names.
  expect(!game.actionNames.isEmpty, "the action list is empty")
  expect(Set(game.actionNames).count == game.actionNames.count, "action names repeat: \(game.actionNames)")

  // Determinism: the same seed and actions give the same trajectory; a copy is a snapshot.
  let first = trajectoryDigest(game, seed: seed, steps: steps)
  expect(first == trajectoryDigest(game, seed: seed, steps: steps), "the same seed gave two different trajectories")
  var original = game
  original.reset(seed: seed)
  for a in 0..<50 { _ = original.advance(a % game.actionNames.count) }
  var copy = original
  var same = true
  for a in 0..<200 where original.advance(a % 3 % game.actionNames.count) != copy.advance(a % 3 % game.actionNames.count) { same = false }
  expect(same, "a copy of the game did not evolve like the original (games must be values)")

  // Observations, checked along a random trajectory; a frame redrawn every step in place (what recorders
  // do) must stay what a full render gives.
  var g = game
  g.reset(seed: seed)
  var rng = SplitMix64(seed: seed)
  var sawTerminal = false
  var redrawn = [UInt8](repeating: 7, count: g.frameWidth * g.frameHeight * 3), drawing = FrameDrawing()
  for step in 0...min(steps, 400) {
    if step > 0 {
      let t = g.advance(rng.nextInt(below: g.actionNames.count))
      expect(t.reward.isFinite, "step \(step): reward \(t.reward) is not finite")
      if t.isTerminal { sawTerminal = true; g.reset(seed: rng.next()) }
    }
    redrawn.withUnsafeMutableBufferPointer { g.redraw(into: $0, drawing: &drawing) }
    if step % 37 == 0 {
      failures += observationFailures(&g, step: step)
      var rendered = [UInt8](repeating: 0, count: redrawn.count)
      rendered.withUnsafeMutableBufferPointer { g.render(into: $0) }
      expect(rendered == redrawn, "step \(step): redrawing in place gave another frame than rendering")
    }
    if failures.count > 10 { break }
  }
  _ = sawTerminal
  // Reset after reset works and lives are positive at the start.
  g.reset(seed: 1)
  expect(g.lives > 0, "a fresh episode has \(g.lives) lives")
  return failures
}

/// Shape and consistency checks of the three observation forms at the game's current state.
public func observationFailures<G: Game>(_ game: inout G, step: Int) -> [String] {
  var failures: [String] = []
  func expect(_ condition: Bool, _ message: @autoclosure () -> String) { if !condition { failures.append("step \(step): " + message()) } }
  let (w, h) = (game.frameWidth, game.frameHeight)
  expect(w > 0 && h > 0, "frame size \(w)x\(h)")

  var frame = [UInt8](repeating: 7, count: w * h * 3)
  frame.withUnsafeMutableBufferPointer { game.render(into: $0) }
  var again = [UInt8](repeating: 0, count: w * h * 3)
  again.withUnsafeMutableBufferPointer { game.render(into: $0) }
  expect(frame == again, "rendering twice gave different frames")

  let layout = Grid().layout(for: game)
  expect(layout.width == game.gridWidth && layout.height == game.gridHeight && layout.channels.last?.kind == .void,
         "grid layout \(layout.width)x\(layout.height) does not match the game's lattice")
  var words = [UInt64](repeating: 0, count: layout.wordCount)
  words.withUnsafeMutableBytes { Grid().write(&game, into: $0) }
  let grid = GridObservation(layout: layout, words: words)
  // Void is set exactly where nothing else is; on a pixel-lattice grid, exactly where the frame shows black.
  let onPixels = layout.width == w && layout.height == h
  var badVoid = 0, voidMismatch = 0
  for y in 0..<layout.height {
    for x in 0..<layout.width {
      let set = (0..<layout.channelCount).filter { grid[$0, x, y] }
      let isVoid = set.contains(layout.channelCount - 1)
      if set.isEmpty || (isVoid && set.count > 1) { badVoid += 1 }
      let i = (y * w + x) * 3
      if onPixels && (frame[i] == 0 && frame[i + 1] == 0 && frame[i + 2] == 0) != isVoid { voidMismatch += 1 }
    }
  }
  expect(badVoid == 0, "\(badVoid) grid cells have no plane set or void with another plane")
  expect(voidMismatch == 0, "\(voidMismatch) cells are void in the grid but drawn in the frame, or the reverse")

  let capacity = game.entityCapacity(expandPixels: false)
  var entities = [Entity](repeating: Entity(id: 0, kind: .void, color: .black, x: 0, y: 0, width: 0, height: 0), count: capacity)
  let count = entities.withUnsafeMutableBufferPointer { game.writeEntities(into: $0, expandPixels: false) }
  expect(count <= capacity, "wrote \(count) entities into a capacity of \(capacity)")
  for e in entities.prefix(count) {
    expect(e.width > 0 && e.height > 0 && Int(e.x) + Int(e.width) > 0 && Int(e.x) < w && Int(e.y) < h && Int(e.y) + Int(e.height) > 0,
           "entity \(e.id) (\(e.kind)) lies outside the frame: \(e.x),\(e.y) \(e.width)x\(e.height)")
    if onPixels, e.kind != .punishment, e.kind != .void, e.width == 1, e.height == 1, e.x >= 0, e.y >= 0 {
      expect(grid.contains(e.kind, x: Int(e.x), y: Int(e.y)), "entity \(e.id) (\(e.kind)) at \(e.x),\(e.y) is not in its grid plane")
    }
  }
  expect(Set(entities.prefix(count).map(\.id)).count == count, "entity ids repeat")
  return failures
}

/// A hash of rewards, terminal flags and grid observations over `steps` steps of a seeded random policy
/// (episodes restart from the policy's stream). Equal digests mean equal trajectories.
public func trajectoryDigest<G: Game>(_ game: G, seed: UInt64, steps: Int, pool: Int = 1) -> UInt64 {
  var g = game
  g.reset(seed: seed)
  var rng = SplitMix64(seed: ~seed)
  var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  func mix(_ value: UInt64) { hash = (hash ^ value) &* 0x0000_0100_0000_01B3 }
  let form = Grid(pool: pool)
  var words = [UInt64](repeating: 0, count: form.byteCount(for: g) / 8)
  for _ in 0..<steps {
    let t = g.advance(rng.nextInt(below: g.actionNames.count))
    mix(t.reward.bitPattern)
    mix(t.isTerminal ? 1 : 0)
    if t.isTerminal { g.reset(seed: rng.next()) }
    words.withUnsafeMutableBytes { form.write(&g, into: $0) }
    for w in words { mix(w) }
  }
  return hash
}
