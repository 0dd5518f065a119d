/// What a schema predicts: a change of an object's attribute at t+1, or a reward (Kansky et al. 2017 §2; the
/// creation/destruction split of Delta Schema Networks, Gorodetskiy et al. 2020).
///
/// An object is the set of pixels that share an entity id. Its velocity (the displacement it makes from t to
/// t+1) is one-hot per axis; attributes persist unless a schema switches them (the paper's self-transition),
/// and the object moves by its velocity.
public enum SchemaTarget: Hashable, Codable, Sendable, CustomStringConvertible {
  /// The velocity along the axis becomes the value (it was not): a creation delta.
  case velocityOn(Axis, Int)
  /// The velocity along the axis stops being the value: a destruction delta.
  case velocityOff(Axis, Int)
  /// The object disappears (destroyed, lost, or jumping further than any speed allows).
  case vanish
  /// The step earns a positive reward.
  case positiveReward
  /// The step earns a negative reward.
  case negativeReward

  /// Whether the target belongs to the step (a reward) rather than to one object.
  public var isReward: Bool { self == .positiveReward || self == .negativeReward }

  public var description: String {
    func signed(_ v: Int) -> String { v > 0 ? "+\(v)" : "\(v)" }
    switch self {
    case .velocityOn(let axis, let v): return "v\(axis.rawValue)\(signed(v)) on"
    case .velocityOff(let axis, let v): return "v\(axis.rawValue)\(signed(v)) off"
    case .vanish: return "vanishes"
    case .positiveReward: return "reward +"
    case .negativeReward: return "reward −"
    }
  }
}

extension CellLayout {
  /// Every target, in the fixed order used for indices: velocity on, velocity off (x then y, values
  /// ascending), vanish, positive reward, negative reward.
  public var targets: [SchemaTarget] {
    let values = -maxSpeed...maxSpeed
    let on = Axis.allCases.flatMap { axis in values.map { SchemaTarget.velocityOn(axis, $0) } }
    let off = Axis.allCases.flatMap { axis in values.map { SchemaTarget.velocityOff(axis, $0) } }
    return on + off + [.vanish, .positiveReward, .negativeReward]
  }

  /// The index of `target` in ``targets``.
  func index(of target: SchemaTarget) -> Int {
    let n = velocityValues
    switch target {
    case .velocityOn(let axis, let v): return (axis == .x ? 0 : n) + v + maxSpeed
    case .velocityOff(let axis, let v): return 2 * n + (axis == .x ? 0 : n) + v + maxSpeed
    case .vanish: return 4 * n
    case .positiveReward: return 4 * n + 1
    case .negativeReward: return 4 * n + 2
    }
  }

  var vanishIndex: Int { 4 * velocityValues }
  var positiveRewardIndex: Int { 4 * velocityValues + 1 }
  var negativeRewardIndex: Int { 4 * velocityValues + 2 }
  var targetCount: Int { 4 * velocityValues + 3 }

  /// The index of the "velocity along `axis` becomes `value`" target.
  func onIndex(_ axis: Axis, _ value: Int) -> Int { (axis == .x ? 0 : velocityValues) + value + maxSpeed }
  /// The index of the "velocity along `axis` stops being `value`" target.
  func offIndex(_ axis: Axis, _ value: Int) -> Int { 2 * velocityValues + onIndex(axis, value) }
}

/// One learned schema: a conjunction of features of a grounded row (attributes at window offsets and the
/// action) that predicts its target (Kansky et al. 2017 §2.1: a grounded schema is an AND of its
/// preconditions; all schemas of a target are OR-ed).
public struct Schema: Codable, Sendable, Hashable {
  public var target: SchemaTarget
  /// Feature indices (``CellLayout/feature(dx:dy:bit:)``, ``CellLayout/actionFeature(_:)``) that must all be
  /// on, ascending.
  public var literals: [Int]
  /// Positive examples it explained when learned: bags (an object at a step, or a rewarded step), weighted by
  /// how often each was seen.
  public var support: Int
  /// The fraction of the examples it fires on whose target was true: 1 for a deterministic effect, about
  /// 0.9 for the paddle's 2-px move, about 0.08 for a re-drawn bounce velocity.
  public var precision: Double

  public init(target: SchemaTarget, literals: [Int], support: Int, precision: Double) {
    self.target = target
    self.literals = literals.sorted()
    self.support = support
    self.precision = precision
  }

  /// Whether every literal is on in `row`.
  @inline(__always)
  func fires(on row: UnsafePointer<UInt64>) -> Bool {
    for f in literals where row[f >> 6] & (1 << UInt64(f & 63)) == 0 { return false }
    return true
  }
}
