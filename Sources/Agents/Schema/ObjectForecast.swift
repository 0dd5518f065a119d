/// What the model expects of one object over one step: the most likely outcome and every outcome it considers
/// possible (the set is per attribute: vanish or not, and each axis's velocity value or "not moving").
struct ObjectForecast: Hashable {
  /// The most likely outcome.
  var outcome: ObjectOutcome
  var mayVanish: Bool
  var mayStay: Bool
  /// Possible velocity values per axis: bit v + S for value v, bit 2S + 1 for "not moving".
  var possibleX: UInt16
  var possibleY: UInt16
  /// The model expects a change it cannot name: a moving object of a kind never seen to stop loses its velocity
  /// along an axis and no schema says what replaces it (a bounce it never learned). The most likely outcome
  /// then keeps the old velocity, but a planner should not trust what follows; every value of that axis is
  /// possible.
  var isUncertain = false
  /// The axes of an uncertain forecast whose change the model expects but cannot name (bit 0: x, bit 1: y).
  var unnamedAxes: UInt8 = 0
  /// Some pixel of the object is in a neighbourhood never seen in training (``ContextSet``): every outcome is
  /// possible. The most likely outcome is still the schemas' (the planner acts on it).
  var isNovel = false

  /// Whether `actual` is among the possible outcomes.
  func allows(_ actual: ObjectOutcome, maxSpeed: Int) -> Bool {
    isNovel || allowsByRules(actual, maxSpeed: maxSpeed)
  }

  /// Whether `actual` is among the outcomes the schemas themselves allow (novelty aside).
  func allowsByRules(_ actual: ObjectOutcome, maxSpeed: Int) -> Bool {
    switch actual {
    case .vanished: return mayVanish
    case .stays(let v):
      guard mayStay else { return false }
      let none = 2 * maxSpeed + 1
      let x = v.map { $0.dx + maxSpeed } ?? none, y = v.map { $0.dy + maxSpeed } ?? none
      return possibleX & (1 << UInt16(x)) != 0 && possibleY & (1 << UInt16(y)) != 0
    }
  }
}

extension RuleBook {
  /// The forecast of an object moving at `velocity` whose rows fired `fired` (levels above ``likely`` count as
  /// likelier than not, above ``certain`` as sure).
  ///
  /// Per axis, the current value persists unless an "off" schema is likely; a likely "on" schema replaces it
  /// (the strongest one wins: one-hot repair). Possible values: every value an "on" schema fired for, the
  /// current one unless its "off" schema is sure, and "not moving" unless an "on" schema is sure.
  func forecast(_ fired: Fired, velocity: Velocity?, kind: UInt64) -> ObjectForecast {
    var relevant = fired & changeLanes
    if let v = velocity {
      relevant[layout.offIndex(.x, v.dx)] = fired[layout.offIndex(.x, v.dx)]
      relevant[layout.offIndex(.y, v.dy)] = fired[layout.offIndex(.y, v.dy)]
    }
    if relevant == Fired() { return unchanged(velocity) }
    let s = layout.maxSpeed, none = 2 * s + 1
    let canStop = kind & stoppingKinds != 0
    var isUncertain = false, unnamed: UInt8 = 0
    func axis(_ a: Axis) -> (value: Int?, possible: UInt16) {
      let current = velocity?[a]
      var best: Int? = nil, bestLevel: UInt8 = 0, possible: UInt16 = 0, sure = false
      for v in -s...s where v != current {
        let level = fired[layout.onIndex(a, v)]
        guard level > 0 else { continue }
        possible |= 1 << UInt16(v + s)
        if level > certain { sure = true }
        if level > likely && level > bestLevel { best = v; bestLevel = level }
      }
      var next = best
      if let c = current {
        let off = fired[layout.offIndex(a, c)]
        if off <= certain { possible |= 1 << UInt16(c + s) }
        if best == nil && off <= likely { next = c }
        if best == nil && off > likely && !canStop {
          // A change the model expects but cannot name: any value is possible.
          next = c
          isUncertain = true
          unnamed |= a == .x ? 1 : 2
          possible |= (1 << UInt16(2 * s + 1)) - 1
        }
        if off > 0 && !sure { possible |= 1 << UInt16(none) }
      } else if !sure {
        possible |= 1 << UInt16(none)
      }
      return (next, possible)
    }
    let (x, y) = (axis(.x), axis(.y))
    let vanish = fired[layout.vanishIndex]
    let moving = (x.value ?? 0) != 0 || (y.value ?? 0) != 0
    let next: Velocity? = moving ? Velocity(dx: x.value ?? 0, dy: y.value ?? 0) : nil
    return ObjectForecast(outcome: vanish > likely ? .vanished : .stays(next), mayVanish: vanish > 0, mayStay: vanish <= certain,
                          possibleX: x.possible, possibleY: y.possible, isUncertain: isUncertain && vanish <= likely,
                          unnamedAxes: vanish <= likely ? unnamed : 0)
  }

  /// The forecast of an object no schema is evaluated on: it keeps its velocity.
  func unchanged(_ velocity: Velocity?) -> ObjectForecast {
    let s = layout.maxSpeed, none = UInt16(2 * s + 1)
    return ObjectForecast(outcome: .stays(velocity), mayVanish: false, mayStay: true,
                          possibleX: 1 << (velocity.map { UInt16($0.dx + s) } ?? none),
                          possibleY: 1 << (velocity.map { UInt16($0.dy + s) } ?? none))
  }
}
