/// Learns the schemas of one target without a solver: greedy "most specific seed, then generalise" (the spec's
/// §7.3), standing in for the LP relaxations of Kansky et al. 2017 §3.2.
///
/// 1. **Revise**: a kept schema whose precision on the current data fell by more than 2ε is dropped, and the
///    examples it explained are open again.
/// 2. **Seed**: the row of an unexplained positive bag with the highest precision (to 0.02; then the fewest
///    other kinds in its window, the highest count, the fewest bits) is the most specific candidate. Its
///    precision π sets the bar θ = max(p_min, π − ε): a deterministic effect must stay (nearly) exact, a
///    stochastic one (the paddle's 2-px move, π ≈ 0.9) must not be diluted by rows where it never happens.
/// 3. **Locality**: keep only the seed's bits within radius ρ = 0, 1, 2, … for the smallest ρ that reaches θ.
/// 4. **Absorb**: intersect with unexplained positive rows, most similar first, whenever the intersection keeps
///    precision ≥ θ and explains more (least general generalisation).
/// 5. **Simplify**: drop literals, far cells and part bits first, while precision stays ≥ θ: the result is
///    irredundant (dropping any literal more falls below θ), except for the object's own kind and velocity (or
///    stillness), which stay: without them a paddle's schema fires on a brick, and a bounce learned at one
///    speed fires at every speed. Absorption keeps them too.
///
/// Part bits only qualify a kind: a cell's part literals go when its last kind literal goes (otherwise "at
/// least 2 px from the right edge of something" stands in for "brick" and fires on a new wall).
/// 6. Keep it if it explains at least k_min positives not yet explained (fewer is noise); its bags are explained.
///
/// A likely schema (θ above ``SchemaConfiguration/likelyPrecision``) must also never fire on a systematic
/// negative bag (``SchemaConfiguration/hardNegativeSightings``): noise tolerance is for noise, not for causes
/// the schema failed to see.
///
/// Multiple-instance targets (an object's pixels, a rewarded step) count a bag as explained when the schema
/// fires on any of its rows; false positives are counted per row, which can only overstate them.
public struct SchemaLearner: Sendable {
  public let configuration: SchemaConfiguration

  public init(configuration: SchemaConfiguration) { self.configuration = configuration }

  /// The schemas of `target` learned from `examples`, revising `existing`.
  public func learn(_ examples: SchemaExamples, target: SchemaTarget, existing: [Schema] = []) -> [Schema] {
    var problem = TargetProblem(rows: examples.rows, bags: examples.bags, target: 0, hardSightings: configuration.hardNegativeSightings)
    return learn(&problem, target: target, existing: existing)
  }

  func learn(_ problem: inout TargetProblem, target: SchemaTarget, existing: [Schema]) -> [Schema] {
    let layout = configuration.layout
    let epsilon = configuration.noiseTolerance, floor = configuration.minimumPrecision
    let minimumSupport = configuration.minimumSupport
    // 1. Revise.
    var schemas: [Schema] = []
    for old in existing {
      let c = problem.coverage(of: old.literals)
      guard c.truePositives >= minimumSupport, accepts(c, max(floor, old.precision - 2 * epsilon)) else { continue }
      _ = problem.coverage(of: old.literals, mark: true)
      schemas.append(Schema(target: target, literals: old.literals, support: c.truePositives, precision: c.precision))
    }
    guard problem.bagCount > 0 else { return schemas }
    // 2. Seeds: rows of unexplained positive bags, by precision, count, fewest bits, id.
    var positiveCount = [Int](repeating: 0, count: problem.rowCount)
    for b in 0..<problem.bagCount { for r in problem.rows(ofBag: b) { positiveCount[Int(r)] += problem.bagCounts[b] } }
    var seeds: [(row: Int, precision: Double, kinds: Int, bits: Int)] = []
    var seen = Set<Int32>()
    for b in 0..<problem.bagCount where !problem.isCovered[b] {
      for r in problem.rows(ofBag: b) where seen.insert(r).inserted {
        let p = Double(positiveCount[Int(r)]) / Double(positiveCount[Int(r)] + problem.negatives[Int(r)])
        if p >= floor { seeds.append((Int(r), p, problem.contextKinds(ofRow: Int(r), layout: layout), problem.features(ofRow: Int(r)).count)) }
      }
    }
    // Among rows of about the same precision (within 0.02: sampling noise), the one seeing the fewest other
    // kinds carries the schema: the paddle's top corner (void around it) transfers to a raised paddle, its
    // bottom corner (above the bottom strip) does not.
    func bin(_ p: Double) -> Int { Int((p * 50).rounded()) }
    seeds.sort {
      (bin($0.precision), -$0.kinds, positiveCount[$0.row], -$0.bits, -$0.row)
        > (bin($1.precision), -$1.kinds, positiveCount[$1.row], -$1.bits, -$1.row)
    }
    // A bag whose best rows all failed as seeds is noise or unexplainable: its other rows are not tried.
    var attempts = [Int](repeating: 0, count: problem.bagCount)
    for seed in seeds where schemas.count < configuration.maxSchemasPerTarget {
      let open = problem.bags(ofRow: seed.row).filter { !problem.isCovered[Int($0)] && attempts[Int($0)] < Self.seedsPerBag }
      guard !open.isEmpty else { continue }
      for b in open { attempts[Int(b)] += 1 }
      let threshold = max(floor, seed.precision - epsilon)
      let all = problem.features(ofRow: seed.row)
      // 3. Locality: the smallest radius whose conjunction reaches the bar.
      var literals: [Int] = []
      var coverage = TargetProblem.Coverage()
      for radius in 0...layout.windowRadius {
        literals = all.filter { layout.distance(ofFeature: $0) <= radius }
        coverage = problem.coverage(of: literals)
        if accepts(coverage, threshold) { break }
      }
      guard accepts(coverage, threshold) else { continue }
      absorb(&literals, &coverage, seed: seed.row, threshold: threshold, layout: layout, problem: &problem)
      simplify(&literals, &coverage, threshold: threshold, layout: layout, problem: &problem)
      guard coverage.gain >= minimumSupport else { continue }
      _ = problem.coverage(of: literals, mark: true)
      schemas.append(Schema(target: target, literals: literals, support: coverage.truePositives, precision: coverage.precision))
    }
    return schemas
  }

  /// Seeds tried per unexplained bag before it counts as noise.
  static let seedsPerBag = 4

  /// Whether a conjunction covering `c` clears the bar `threshold` (and, for a likely schema, fires on no
  /// systematic negative).
  private func accepts(_ c: TargetProblem.Coverage, _ threshold: Double) -> Bool {
    c.precision >= threshold && (threshold <= configuration.likelyPrecision || c.hardFalsePositives == 0)
  }

  /// Step 4: intersections with unexplained positive rows that keep precision and explain more.
  private func absorb(_ literals: inout [Int], _ coverage: inout TargetProblem.Coverage, seed: Int, threshold: Double,
                      layout: CellLayout, problem: inout TargetProblem) {
    guard configuration.absorptionCandidates > 0 else { return }
    var candidates: [(row: Int, shared: Int)] = []
    var seen: Set<Int32> = [Int32(seed)]
    for b in 0..<problem.bagCount where !problem.isCovered[b] {
      for r in problem.rows(ofBag: b) where seen.insert(r).inserted {
        let shared = literals.reduce(0) { $0 + (problem.has(Int(r), $1) ? 1 : 0) }
        if shared < literals.count { candidates.append((Int(r), shared)) }
      }
    }
    candidates.sort { ($0.shared, -$0.row) > ($1.shared, -$1.row) }
    for candidate in candidates.prefix(configuration.absorptionCandidates) {
      let merged = layout.normalized(literals.filter { problem.has(candidate.row, $0) })
      guard merged.count < literals.count, !merged.isEmpty,
            literals.allSatisfy({ !layout.isOwnIdentity($0) || merged.contains($0) }) else { continue }
      let c = problem.coverage(of: merged)
      if accepts(c, threshold) && c.gain > coverage.gain {
        literals = merged
        coverage = c
      }
    }
  }

  /// Step 5: drop literals in ``CellLayout/dropRank(ofFeature:)`` order while precision stays at the bar. Runs of
  /// literals are tried together first and split in halves when that fails, so the many literals that do not
  /// matter cost a few queries instead of one each.
  private func simplify(_ literals: inout [Int], _ coverage: inout TargetProblem.Coverage, threshold: Double,
                        layout: CellLayout, problem: inout TargetProblem) {
    var changed = true
    while changed && literals.count > 1 {
      changed = false
      // The object's own kind and velocity (or stillness) stay: a schema learned for the paddle says nothing
      // about a brick, and what happens to a moving thing depends on how it moves.
      let order = literals.filter { !layout.isOwnIdentity($0) }
        .sorted { (layout.dropRank(ofFeature: $0), -$0) < (layout.dropRank(ofFeature: $1), -$1) }
      var pending: [ArraySlice<Int>] = stride(from: 0, to: order.count, by: 8).map { order[$0..<min($0 + 8, order.count)] }.reversed()
      while let chunk = pending.popLast() {
        let drop = Set(chunk)
        let fewer = layout.normalized(literals.filter { !drop.contains($0) })
        guard !fewer.isEmpty, fewer.count < literals.count else {
          if chunk.count > 1 { pending += [chunk.suffix(chunk.count / 2), chunk.prefix(chunk.count - chunk.count / 2)] }
          continue
        }
        let c = problem.coverage(of: fewer)
        if accepts(c, threshold) {
          literals = fewer
          coverage = c
          changed = true
        } else if chunk.count > 1 {
          pending += [chunk.suffix(chunk.count / 2), chunk.prefix(chunk.count - chunk.count / 2)]
        }
      }
    }
  }
}

/// Examples for one binary target, for learning outside a ``SchemaDataset`` (synthetic rows, other grids):
/// rows of ``CellLayout/rowWords`` words, alone or in bags, with labels and counts.
public struct SchemaExamples: Sendable {
  var rows: RowTable
  var bags: BagTable

  public init(layout: CellLayout) {
    rows = RowTable(width: layout.rowWords)
    bags = BagTable(targetCount: 1)
  }

  /// Adds a bag of rows seen `count` times with the target `label`: the target holds when a schema fires on any row.
  public mutating func add(bag: [[UInt64]], label: Bool, count: Int = 1) {
    var ids: [Int32] = []
    for row in bag {
      precondition(row.count == rows.width, "rows need \(rows.width) words")
      ids.append(row.withUnsafeBufferPointer { rows.insert($0.baseAddress!) })
    }
    let bag = bags.insert(Array(Set(ids)).sorted())
    for _ in 0..<count { bags.count(bag, target: 0, label) }
  }

  /// Adds one row seen `count` times with the target `label`.
  public mutating func add(_ row: [UInt64], label: Bool, count: Int = 1) { add(bag: [row], label: label, count: count) }

  /// Unique rows and bags held.
  public var uniqueRows: Int { rows.count }
  public var uniqueBags: Int { bags.count }

  /// Times the (single-row) bag `row` was seen with the target true and false; `nil` if never.
  public func counts(of row: [UInt64]) -> (positive: Int, negative: Int)? {
    var table = rows
    let before = table.count
    let id = row.withUnsafeBufferPointer { table.insert($0.baseAddress!) }
    guard table.count == before else { return nil }
    var copy = bags
    let b = copy.insert([id])
    guard copy.count == bags.count else { return nil }
    return (Int(bags.positive[b]), Int(bags.negative[b]))
  }
}
