/// Shortest paths over a ``TransitionGraph``'s observed edges, with buffers kept between searches.
struct BreadthFirstSearch: Sendable {
  private var stamp: [UInt32] = []
  private var generation: UInt32 = 0
  private var parent: [Int32] = []
  private var parentAction: [UInt8] = []
  private var queue: [Int32] = []

  /// The steps from `start` to the nearest state where `goal` names an action, that action included, last step
  /// first; `nil` when no such state is reachable through `passable` edges, following outcomes that came in at least
  /// `minShare` of their action's tries.
  mutating func path(in graph: TransitionGraph, from start: Int32, goal: (Int32) -> Int?, minShare: Double,
                     passable: (TransitionGraph.Edge) -> Bool) -> [(state: Int32, action: Int)]? {
    let n = graph.stateCount
    if stamp.count < n {
      stamp.append(contentsOf: repeatElement(0, count: n - stamp.count))
      parent.append(contentsOf: repeatElement(-1, count: n - parent.count))
      parentAction.append(contentsOf: repeatElement(0, count: n - parentAction.count))
    }
    generation &+= 1
    if generation == 0 { for i in stamp.indices { stamp[i] = 0 }; generation = 1 }
    queue.removeAll(keepingCapacity: true)
    queue.append(start)
    stamp[Int(start)] = generation
    parent[Int(start)] = -1
    var head = 0
    while head < queue.count {
      let s = queue[head]
      head += 1
      if let action = goal(s) { return unwind(to: s, finalAction: action) }
      for a in 0..<graph.actionCount {
        let edge = graph.edge(s, a)
        guard edge.tries > 0, passable(edge) else { continue }
        let least = minShare * Double(edge.tries)
        for (next, count) in edge.next where stamp[Int(next)] != generation && Double(count) >= least {
          stamp[Int(next)] = generation
          parent[Int(next)] = s
          parentAction[Int(next)] = UInt8(a)
          queue.append(next)
        }
      }
    }
    return nil
  }

  private func unwind(to goal: Int32, finalAction: Int) -> [(state: Int32, action: Int)] {
    var steps: [(state: Int32, action: Int)] = [(goal, finalAction)]
    var s = goal
    while parent[Int(s)] >= 0 {
      let p = parent[Int(s)]
      steps.append((p, Int(parentAction[Int(s)])))
      s = p
    }
    return steps
  }
}
