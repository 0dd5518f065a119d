import Agents
import EnvironmentCore
import Testing

/// A constructed world for `schema-explore`: a corridor of cells 0–3 (action 0 right, 1 left) where action 2 stays put,
/// except at cell 0, where it drops into a pit (cell 4) from which every action kills, and at cell 3, where it opens a
/// side room (cell 5) that leads back to cell 3. The state is shown as one set bit of one plane.
struct PitCorridor {
  static let pit = 4, room = 5
  var cell = 0

  static func observation(_ cell: Int) -> ExplorerObservation {
    ExplorerObservation(width: 6, height: 1, planes: 1, words: [UInt64(1) << UInt64(cell)])
  }

  /// One step: the new cell, or `nil` for a death.
  mutating func step(_ action: Int) -> Int? {
    switch (cell, action) {
    case (Self.pit, _): return nil
    case (Self.room, _): cell = 3
    case (0, 2): cell = Self.pit
    case (3, 2): cell = Self.room
    case (_, 0): cell = min(cell + 1, 3)
    case (_, 1): cell = max(cell - 1, 0)
    default: break
    }
    return cell
  }
}

@Suite("schema-explore's death penalty")
struct SchemaExplorerDeathPenaltyTests {
  /// The cells `explorer` is in, step by step (-1 for a death, after which the corridor restarts at cell 0).
  static func cells(deathPenalty: Double, steps: Int) -> [Int] {
    var configuration = SchemaExplorerConfiguration()
    (configuration.repeatUntilChange, configuration.deathPenalty) = (1, deathPenalty)
    var explorer = SchemaExplorer(actionNames: ["RIGHT", "LEFT", "OTHER"], seed: 1, configuration: configuration)
    var world = PitCorridor(), seen: [Int] = []
    explorer.beginEpisode(PitCorridor.observation(0))
    while seen.count < steps {
      if let cell = world.step(explorer.act()) {
        seen.append(cell)
        explorer.observe(reward: 0, outcome: .ongoing, next: PitCorridor.observation(cell))
      } else {
        seen.append(-1)
        world = PitCorridor()
        explorer.observe(reward: 0, outcome: .terminated, next: PitCorridor.observation(0))
        explorer.beginEpisode(PitCorridor.observation(0))
      }
    }
    return seen
  }

  /// Steps before the side room is first entered, and deaths by then.
  static func deathsBeforeRoom(deathPenalty: Double) throws -> Int {
    let seen = cells(deathPenalty: deathPenalty, steps: 60)
    let room = try #require(seen.firstIndex(of: PitCorridor.room))
    return seen[..<room].filter { $0 < 0 }.count
  }

  @Test("After a death in the pit, the far side room is explored before the pit's other actions")
  func deathsMakeAStateWait() throws {
    // Without the penalty the pit's untried actions (one or two hops away) come before the far end's action 2 (three
    // hops, and action 2 has so far only waited, so its idle penalty is higher) and kill again; with it they count 8
    // hops more, so the room comes first and the pit has killed once.
    #expect(try Self.deathsBeforeRoom(deathPenalty: 0) >= 2)
    #expect(try Self.deathsBeforeRoom(deathPenalty: 8) == 1)
  }

  @Test("The pit's other actions are still tried once the room is known: the penalty delays, it does not forbid")
  func penaltyOnlyDelays() throws {
    let seen = Self.cells(deathPenalty: 8, steps: 60)
    let deaths = seen.indices.filter { seen[$0] < 0 }
    #expect(deaths.count >= 3)
    #expect(try deaths[1] > #require(seen.firstIndex(of: PitCorridor.room)))
  }

  @Test("A negative death penalty is refused")
  func negativePenaltyIsInvalid() {
    var configuration = SchemaExplorerConfiguration()
    configuration.deathPenalty = -1
    #expect(configuration.problems().map(\.key) == ["deathPenalty"])
  }
}
