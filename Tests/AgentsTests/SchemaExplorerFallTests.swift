import Agents
import EnvironmentCore
import Testing

/// A constructed fall for `schema-explore`: a column of 6 cells, the self (plane 0) on the top one, the rest background
/// (plane 1). Action 0 steps off the ledge; from then on every action moves the self one cell down, and leaving the
/// bottom cell kills. Actions 1 and 2 do nothing on the ledge.
struct FallingColumn {
  static let height = 6
  var row = 0

  static func observation(_ row: Int) -> ExplorerObservation {
    let cells = UInt64(1) << UInt64(height) - 1, me = UInt64(1) << UInt64(row)
    return ExplorerObservation(width: 1, height: height, planes: 2, words: [me, cells & ~me])
  }

  /// One step: the new row, or `nil` for a death.
  mutating func step(_ action: Int) -> Int? {
    if row == Self.height - 1 { return nil }
    if row > 0 || action == 0 { row += 1 }
    return row
  }
}

@Suite("schema-explore's falls")
struct SchemaExplorerFallTests {
  /// Deaths in `steps` steps of the falling column, and the states the explorer's graph holds by then.
  static func play(foldFalls: Int, steps: Int) -> (deaths: Int, states: Int) {
    var configuration = SchemaExplorerConfiguration()
    configuration.foldFalls = foldFalls
    var explorer = SchemaExplorer(actionNames: ["OFF", "STAY", "WAIT"], seed: 1, configuration: configuration)
    var world = FallingColumn(), deaths = 0
    explorer.beginEpisode(FallingColumn.observation(0))
    for _ in 0..<steps {
      if let row = world.step(explorer.act()) {
        explorer.observe(reward: 0, outcome: .ongoing, next: FallingColumn.observation(row))
      } else {
        deaths += 1
        world = FallingColumn()
        explorer.observe(reward: 0, outcome: .terminated, next: FallingColumn.observation(0))
        explorer.beginEpisode(FallingColumn.observation(0))
      }
    }
    return (deaths, explorer.graph.stateCount)
  }

  @Test("A fall is one move: its death walls the step off the ledge, and the grids on the way are no states")
  func fallIsOneEdge() {
    let folded = Self.play(foldFalls: 40, steps: 400)
    #expect(folded.deaths == 1)
    #expect(folded.states == 1)
    // Without folding every mid-air grid is a state whose untried actions lead on down: deaths keep coming.
    let plain = Self.play(foldFalls: 0, steps: 400)
    #expect(plain.deaths >= 3)
    #expect(plain.states == FallingColumn.height)
  }

  @Test("The self's direction is read without knowing which plane it is")
  func wentDownIgnoresPlaneOrder() {
    let (top, below) = (FallingColumn.observation(1), FallingColumn.observation(2))
    let swap = { (o: ExplorerObservation) in ExplorerObservation(width: 1, height: 6, planes: 2, words: [o.words[1], o.words[0]]) }
    #expect(SchemaExplorer.selfWentDown(from: top.words, to: below))
    #expect(SchemaExplorer.selfWentDown(from: swap(top).words, to: swap(below)))
    #expect(!SchemaExplorer.selfWentDown(from: below.words, to: top))
  }

  @Test("tieJitter lets the seed break the planner's ties; the same seed still plays the same actions")
  func tieJitterFollowsTheSeed() throws {
    var configuration = SchemaExplorerConfiguration()
    configuration.tieJitter = 1
    func actions(seed: UInt64, _ configuration: SchemaExplorerConfiguration) -> [Int] {
      var explorer = SchemaExplorer(actionNames: ["OFF", "STAY", "WAIT"], seed: seed, configuration: configuration)
      var world = FallingColumn(), taken: [Int] = []
      explorer.beginEpisode(FallingColumn.observation(0))
      for _ in 0..<3 {
        taken.append(explorer.act())
        guard let row = world.step(taken.last!) else { break }
        explorer.observe(reward: 0, outcome: .ongoing, next: FallingColumn.observation(row))
      }
      return taken
    }
    #expect(actions(seed: 1, configuration) == actions(seed: 1, configuration))
    #expect(Set((0..<8).map { actions(seed: $0, configuration) }).count > 1)
    #expect(Set((0..<8).map { actions(seed: $0, SchemaExplorerConfiguration()) }).count == 1)
  }
}

/// A door that kills the first time it is opened and lets the player through to the goal afterwards: what decides is
/// hidden from the grid (one cell, plane 0, for where the player is; plane 1 for the rest).
struct HiddenDoor {
  var opened = 0

  static func observation(_ cell: Int) -> ExplorerObservation {
    ExplorerObservation(width: 2, height: 1, planes: 2, words: [UInt64(1) << UInt64(cell), UInt64(1) << UInt64(1 - cell)])
  }
}

@Suite("schema-explore's retried walls")
struct SchemaExplorerRetryWallsTests {
  /// The step at which the explorer first reaches the goal through the door (action 0), if within `steps`.
  static func win(retryWalls: Bool, steps: Int) -> Int? {
    var configuration = SchemaExplorerConfiguration()
    configuration.retryWalls = retryWalls
    var explorer = SchemaExplorer(actionNames: ["DOOR", "WAIT"], seed: 1, configuration: configuration)
    var door = HiddenDoor()
    explorer.beginEpisode(HiddenDoor.observation(0))
    for step in 0..<steps {
      guard explorer.act() == 0 else {
        explorer.observe(reward: 0, outcome: .ongoing, next: HiddenDoor.observation(0))
        continue
      }
      door.opened += 1
      if door.opened > 1 { return step }
      explorer.observe(reward: 0, outcome: .terminated, next: HiddenDoor.observation(0))
      explorer.beginEpisode(HiddenDoor.observation(0))
    }
    return nil
  }

  @Test("Once nothing untried is reachable, a wall is tried again and can open")
  func wallsAreRetried() throws {
    // Without the setting the door is a wall for good and the explorer waits at random forever.
    #expect(Self.win(retryWalls: false, steps: 200) == nil)
    let step = try #require(Self.win(retryWalls: true, steps: 200))
    #expect(step < 20)
  }
}
