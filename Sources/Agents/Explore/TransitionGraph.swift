/// A tabular model learned from experience: for every state and action, the next states seen and how often,
/// the rewards and the deaths. States are dense indices of the keys an agent hands in.
public struct TransitionGraph: Sendable {
  /// What one action from one state has done so far.
  public struct Edge: Sendable {
    /// Times the action was taken from the state.
    public var tries: Int32 = 0
    /// Times it ended the episode without reward (a death).
    public var deaths: Int32 = 0
    /// Times it paid a positive reward.
    public var rewards: Int32 = 0
    /// Next states seen and their counts (usually one: the game is deterministic, the view sometimes coarse).
    public var next: [(state: Int32, count: Int32)] = []
  }

  public let actionCount: Int
  /// Edges of state `s` are `edges[s * actionCount ..< (s + 1) * actionCount]`.
  public private(set) var edges: [Edge] = []
  private var index: [UInt64: Int32] = [:]

  public init(actionCount: Int) {
    precondition(actionCount > 0, "a graph needs actions")
    self.actionCount = actionCount
  }

  /// States seen.
  public var stateCount: Int { index.count }

  /// The index of `key`, added when new.
  public mutating func state(_ key: UInt64) -> Int32 {
    if let s = index[key] { return s }
    let s = Int32(index.count)
    index[key] = s
    edges.append(contentsOf: repeatElement(Edge(), count: actionCount))
    return s
  }

  /// The edge of `action` from `state`.
  public func edge(_ state: Int32, _ action: Int) -> Edge { edges[Int(state) * actionCount + action] }

  /// Records that `action` from `state` led to `next` (`nil` when the episode ended there), paying `reward`;
  /// `died` when it ended the episode without reward.
  public mutating func record(_ state: Int32, _ action: Int, next: Int32?, reward: Double, died: Bool) {
    let i = Int(state) * actionCount + action
    edges[i].tries += 1
    if died { edges[i].deaths += 1 }
    if reward > 0 { edges[i].rewards += 1 }
    guard let next else { return }
    if let k = edges[i].next.firstIndex(where: { $0.state == next }) { edges[i].next[k].count += 1 }
    else { edges[i].next.append((next, 1)) }
  }
}
