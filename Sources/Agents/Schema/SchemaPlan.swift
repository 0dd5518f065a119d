/// A point on the screen (column, row; rows grow downward).
public struct SchemaPoint: Codable, Sendable, Hashable {
  public var x: Int
  public var y: Int

  public init(x: Int, y: Int) {
    self.x = x
    self.y = y
  }
}

/// What the agent currently expects, for overlays (`arcade watch --overlay`): plain values, no drawing.
public struct SchemaOverlay: Codable, Sendable, Hashable {
  /// The predicted path of every moving object the agent does not control (the balls), one point per step of the
  /// chosen plan's rollout: the object's top-left pixel (a one-pixel ball's own cell).
  public var paths: [[SchemaPoint]] = []
  /// Where each object the agent controls (the paddle) ends up when the plan's moves are done: the centre of its
  /// top row.
  public var targets: [SchemaPoint] = []
  /// The remaining planned actions, by index.
  public var plannedActions: [Int] = []

  public init() {}
}

/// What the planner chose: an action per step, and what the model expects to see after each.
struct SchemaPlan {
  var actions: [Int] = []
  /// The candidate it is: `pressAction` for `presses` steps, then stay.
  var pressAction = 0
  var presses = 0
  /// Per step, a signature of every moving object the agent does not control (id, position, velocity) and of
  /// which changing objects are present: an observation with another signature is a surprise.
  var expected: [UInt64] = []
  /// Steps until a moving object first comes within reach of a controlled one (the horizon if never).
  var contact = 0
  /// Ids of the objects the actions move.
  var controlled: [Int32] = []
  var value = 0.0
  var overlay = SchemaOverlay()
}

extension SchemaScene {
  /// The signature ``SchemaPlan/expected`` compares: ids, positions and velocities of the moving objects not in
  /// `controlled`, and the ids of present objects whose kinds are in `changing`.
  func signature(controlled: [Int32], changing: UInt64) -> UInt64 {
    var h: UInt64 = 0x243F_6A88_85A3_08D3
    for o in objects where o.isPresent && !controlled.contains(o.id) && (o.velocity != nil || o.kind & changing != 0) {
      let v = o.velocity.map { UInt64(bitPattern: Int64($0.dx + 8)) << 4 | UInt64(bitPattern: Int64($0.dy + 8)) } ?? 0xFF
      let word = UInt64(UInt32(bitPattern: o.id)) << 32 ^ UInt64(UInt16(truncatingIfNeeded: o.x)) << 16
        ^ UInt64(UInt16(truncatingIfNeeded: o.y)) ^ v << 48
      h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 32
    }
    return h
  }
}
