/// A binary tree of non-negative priorities, one per slot, whose every node holds the sum of its children
/// (Schaul et al. 2016, appendix B.2.1): updating a slot and finding the slot where a prefix sum falls both
/// take O(log capacity), so proportional sampling stays cheap for a large replay buffer.
///
/// The nodes live in one contiguous array in heap order: the root at 1, node i's children at 2i and 2i + 1,
/// and the leaves (slots `0..<capacity`, padded to a power of two with zeros) at `leafCount + slot`. A parent
/// is always recomputed as the sum of its two children, never adjusted by a difference, so no rounding drift
/// builds up and the same leaves always give the same sums, however they were reached.
public struct SumTree: Sendable, Hashable {
  /// Slots holding a priority.
  public let capacity: Int
  /// Leaves of the tree: `capacity` rounded up to a power of two.
  private let leafCount: Int
  private var nodes: [Double]

  /// A tree of `capacity` slots, all at priority 0.
  public init(capacity: Int) {
    precondition(capacity >= 1, "a sum tree needs at least one slot")
    self.capacity = capacity
    var leaves = 1
    while leaves < capacity { leaves *= 2 }
    leafCount = leaves
    nodes = [Double](repeating: 0, count: 2 * leaves)
  }

  /// The sum of all priorities.
  public var total: Double { nodes[1] }

  /// The priority of `slot`.
  public subscript(slot: Int) -> Double { nodes[leafCount + slot] }

  /// Sets `slot`'s priority (finite, not negative) and the sums above it.
  public mutating func update(_ slot: Int, _ priority: Double) {
    precondition(slot >= 0 && slot < capacity, "slot \(slot) outside the sum tree")
    precondition(priority >= 0 && priority.isFinite, "priority must be finite and not negative")
    var node = leafCount + slot
    nodes[node] = priority
    while node > 1 {
      node /= 2
      nodes[node] = nodes[2 * node] + nodes[2 * node + 1]
    }
  }

  /// The slot whose share of the total contains `prefixSum` when the slots are laid end to end in order,
  /// each as long as its priority; `prefixSum` in `[0, total)` picks each slot with probability
  /// priority / total. Always a slot of positive priority (a sum rounded up to the total, or past a zero
  /// subtree, falls back to its positive neighbour), so the total must be positive.
  public func find(_ prefixSum: Double) -> Int {
    precondition(total > 0, "no slot has a positive priority")
    var node = 1, remaining = prefixSum
    while node < leafCount {
      let left = nodes[2 * node], right = nodes[2 * node + 1]
      if remaining < left || right <= 0 {
        node = 2 * node
      } else {
        remaining -= left
        node = 2 * node + 1
      }
    }
    return node - leafCount
  }

  /// The priorities, in slot order (what a checkpoint stores).
  public var leaves: ArraySlice<Double> { nodes[leafCount..<(leafCount + capacity)] }

  /// A tree with `leaves` (one priority per slot); its sums are exactly those of a tree updated slot by
  /// slot to the same leaves.
  public init(leaves: [Double]) {
    self.init(capacity: leaves.count)
    for (slot, priority) in leaves.enumerated() {
      precondition(priority >= 0 && priority.isFinite, "priority must be finite and not negative")
      nodes[leafCount + slot] = priority
    }
    for node in stride(from: leafCount - 1, through: 1, by: -1) { nodes[node] = nodes[2 * node] + nodes[2 * node + 1] }
  }
}
