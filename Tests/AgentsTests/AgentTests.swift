import Agents
import EnvironmentCore
import Testing

@Suite struct AgentTests {
  @Test func trackerMovesTowardTheBall() throws {
    var tracker = try TrackerAgent(actionNames: ["NOOP", "LEFT", "RIGHT"])
    tracker.beginEpisode(seed: 0)
    let paddle = Entity(id: 1, kind: .paddle, color: .black, x: 40, y: 110, width: 23, height: 4)
    let ballLeft = Entity(id: 2, kind: .ball, color: .black, x: 10, y: 50, width: 1, height: 1)
    #expect(tracker.action(for: [ballLeft, paddle]) == 1)
    let ballRight = Entity(id: 2, kind: .ball, color: .black, x: 80, y: 52, width: 1, height: 1)
    tracker.beginEpisode(seed: 0)
    #expect(tracker.action(for: [ballRight, paddle]) == 2)
    #expect(tracker.action(for: [paddle]) == 0, "no ball: stay")
  }

  @Test func trackerRefusesGamesWithoutPaddleActions() {
    #expect(throws: AgentMismatch.self) { try TrackerAgent(actionNames: ["UP", "DOWN"]) }
  }

  @Test func randomAgentIsSeededAndUniform() {
    var a = RandomAgent<Void>(actionCount: 3), b = RandomAgent<Void>(actionCount: 3)
    a.beginEpisode(seed: 4)
    b.beginEpisode(seed: 4)
    let first = (0..<300).map { _ in a.action(for: ()) }
    #expect(first == (0..<300).map { _ in b.action(for: ()) })
    #expect(Set(first) == [0, 1, 2])
    #expect([0, 1, 2].allSatisfy { k in first.filter { $0 == k }.count > 70 })
  }
}
