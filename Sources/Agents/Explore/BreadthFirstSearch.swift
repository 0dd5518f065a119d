/// Shortest paths over a ``TransitionGraph``'s observed edges, with buffers kept between searches.
struct BreadthFirstSearch: Sendable {
  private var stamp: [UInt32] = []
  private var generation: UInt32 = 0
  private var parent: [Int32] = []
  private var parentAction: [UInt8] = []
  private var queue: [Int32] = []
  private var distance: [Int32] = []

  /// The steps from `start` to the reachable state and action that `score` (given a state and its distance in steps)
  /// rates lowest, that action included, last step first; `nil` when `score` rates none.
  mutating func cheapest(in graph: TransitionGraph, from start: Int32, score: (Int32, Int) -> (Double, Int)?, minShare: Double,
                         passable: (TransitionGraph.Edge) -> Bool) -> [(state: Int32, action: Int)]? {
    var best: (cost: Double, state: Int32, action: Int)? = nil
    visit(graph, from: start, minShare: minShare, passable: passable) { s, distance in
      if let best, Double(distance) >= best.cost { return false }
      if let (cost, action) = score(s, distance), cost < best?.cost ?? .infinity { best = (cost, s, action) }
      return true
    }
    return best.map { unwind(to: $0.state, finalAction: $0.action) }
  }

  /// Breadth-first over the graph from `start`, calling `body` with each state and its distance until it returns false.
  private mutating func visit(_ graph: TransitionGraph, from start: Int32, minShare: Double, passable: (TransitionGraph.Edge) -> Bool,
                              _ body: (Int32, Int) -> Bool) {
    let n = graph.stateCount
    if stamp.count < n {
      stamp.append(contentsOf: repeatElement(0, count: n - stamp.count))
      parent.append(contentsOf: repeatElement(-1, count: n - parent.count))
      parentAction.append(contentsOf: repeatElement(0, count: n - parentAction.count))
      distance.append(contentsOf: repeatElement(0, count: n - distance.count))
    }
    generation &+= 1
    if generation == 0 { for i in stamp.indices { stamp[i] = 0 }; generation = 1 }
    queue.removeAll(keepingCapacity: true)
    queue.append(start)
    stamp[Int(start)] = generation
    parent[Int(start)] = -1
    distance[Int(start)] = 0
    var head = 0
    while head < queue.count {
      let s = queue[head]
      head += 1
      guard body(s, Int(distance[Int(s)])) else { return }
      for a in 0..<graph.actionCount {
        let edge = graph.edge(s, a)
        guard edge.tries > 0, passable(edge) else { continue }
        let least = minShare * Double(edge.tries)
        for (next, count) in edge.next where stamp[Int(next)] != generation && Double(count) >= least {
          stamp[Int(next)] = generation
          parent[Int(next)] = s
          parentAction[Int(next)] = UInt8(a)
          distance[Int(next)] = distance[Int(s)] + 1
          queue.append(next)
        }
      }
    }
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
