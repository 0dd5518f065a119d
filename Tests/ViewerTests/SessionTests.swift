import EnvironmentCore
import Testing
import Viewer

/// Three steps per episode; the reward is the action index; the frame's one pixel counts steps.
private struct ThreeSteps: Environment, Renderable, ExplorationReporting {
  var actionNames: [String] { ["NOOP", "LEFT", "RIGHT"] }
  var count = 0
  var resets: [UInt64] = []
  mutating func reset(seed: UInt64?) -> Int { count = 0; resets.append(seed ?? 0); return 0 }
  mutating func step(_ action: Int) -> Step<Int> {
    count += 1
    return Step(observation: count, reward: Double(action), outcome: count == 3 ? .terminated : .ongoing)
  }
  mutating func render() -> Frame { Frame(width: 1, height: 1, color: RGB(UInt8(count), 0, 0)) }
}

extension ThreeSteps {
  /// Two cells, one state per step.
  var exploration: ExplorationKey { ExplorationKey(cell: Int32(count % 2), state: UInt64(count)) }
}

/// Plays back a script of polls, one per tick, then reports the window closed.
private struct ScriptedDisplay: Display {
  var script: [(pressed: [Key], held: Set<Key>)]
  var shown: [Frame] = []
  mutating func show(_ picture: Frame) { shown.append(picture) }
  mutating func poll() -> (pressed: [Key], held: Set<Key>)? { script.isEmpty ? nil : script.removeFirst() }
  mutating func wait(seconds: Double) {}
}

@Test func pauseSingleStepRestartAndQuitDriveTheEpisodes() throws {
  var env = ThreeSteps()
  var display = ScriptedDisplay(script: [
    ([], [.right]),  // step 1 (+2)
    ([.p], [.right]),  // paused: no step
    ([], [.right]),  // still paused
    ([.n], [.left]),  // single step (+1)
    ([.p], []),  // resume: step 3 (NOOP) ends the episode
    ([], [.right]),  // episode 1, step 1
    ([.r], []),  // restart: episode 1 abandoned, episode 2 starts and steps once
    ([.escape], []),
  ])
  let mapper = ActionMapper(actionNames: env.actionNames)
  var ended: [EpisodeSummary] = []
  var begun = 0
  let result = try Session.run(environment: &env, display: &display,
                           options: SessionOptions(environmentID: "test/three", seed: 5, fps: 1000, scale: 2, allowsSpeedChange: false),
                           beginEpisode: { _ in begun += 1 }, policy: { _, held in mapper.action(held: held) },
                           episodeEnded: { ended.append($0) })
  #expect(ended.map(\.ending) == [.terminated, .restarted, .quit])
  #expect(ended.map(\.steps) == [3, 1, 1])
  #expect(ended.map(\.totalReturn) == [3, 2, 0])
  #expect(ended.map(\.episode) == [0, 1, 2])
  #expect(ended.map { $0.measures["uniqueStates"] } == [4, 2, 2], "the start and every step, read before the reset")
  #expect(ended.map { $0.measures["uniqueCells"] } == [2, 2, 2])
  #expect(env.resets == [0, 1, 2].map { SplitMix64.derive(5, $0) })
  #expect(begun == 3)
  #expect(result.steps == 5)
  #expect(display.shown.allSatisfy { $0.width == 2 && $0.height == 2 + StatusBar.height(lines: 2, scale: 2) })
}

@Test func closingTheWindowEndsTheSession() throws {
  var env = ThreeSteps()
  var display = ScriptedDisplay(script: [([], [])])
  var ended: [EpisodeSummary] = []
  _ = try Session.run(environment: &env, display: &display, options: SessionOptions(environmentID: "t", fps: 1000),
                  beginEpisode: { _ in }, policy: { _, _ in 0 }, episodeEnded: { ended.append($0) })
  #expect(ended.map(\.ending) == [.quit])
  #expect(ended.map(\.steps) == [1])
}

@Test func aScriptedRunStepsWithoutKeysAndStopsAtTheEpisodeEnd() throws {
  var env = ThreeSteps()
  var display = ScriptedDisplay(script: [])
  let result = try Session.run(environment: &env, display: &display,
                           options: SessionOptions(environmentID: "t", scale: 1, scriptedSteps: 10),
                           beginEpisode: { _ in }, policy: { _, _ in 2 })
  #expect(result.steps == 3)
  #expect(result.lastFrame == Frame(width: 1, height: 1, color: RGB(3, 0, 0)))
  #expect(display.shown.count == 1)
}

/// A display that cannot show anything, as a window SDL cannot open.
private struct BrokenDisplay: Display {
  mutating func show(_ picture: Frame) throws { throw ViewerError("cannot open a window: no display") }
  mutating func poll() -> (pressed: [Key], held: Set<Key>)? { ([], []) }
  mutating func wait(seconds: Double) {}
}

@Test func aWindowThatCannotOpenIsAnErrorNotACrash() {
  var env = ThreeSteps()
  var display = BrokenDisplay()
  #expect(throws: ViewerError.self) {
    try Session.run(environment: &env, display: &display, options: SessionOptions(environmentID: "t"),
                    beginEpisode: { _ in }, policy: { _, _ in 0 })
  }
}
