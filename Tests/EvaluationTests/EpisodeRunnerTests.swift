import Agents
import EnvironmentCore
import Evaluation
import Testing

/// Terminates after `length` steps, paying `reward` per step; the observation is the steps left.
struct Countdown: Environment {
  let length: Int
  var reward = 1.0
  var remaining = 0
  var resets: [UInt64?] = []
  var actions: [Int] = []

  init(length: Int, reward: Double = 1) {
    self.length = length
    self.reward = reward
  }

  var actionNames: [String] { ["NOOP", "FIRE"] }

  mutating func reset(seed: UInt64?) -> Int {
    resets.append(seed)
    remaining = length
    return remaining
  }

  mutating func step(_ action: Int) -> Step<Int> {
    precondition(remaining > 0, "stepped after the episode ended")
    actions.append(action)
    remaining -= 1
    return Step(observation: remaining, reward: reward, outcome: remaining == 0 ? .terminated : .ongoing)
  }
}

/// Records what it sees; always presses FIRE.
struct Recorder: Agent {
  var seen: [Int] = []
  var episodeSeeds: [UInt64] = []

  mutating func beginEpisode(seed: UInt64) {
    episodeSeeds.append(seed)
    seen.removeAll()
  }

  mutating func action(for observation: Int) -> Int {
    seen.append(observation)
    return 1
  }
}

@Test func episodeEndsWhenTheEnvironmentTerminates() {
  var environment = Countdown(length: 7)
  var agent = Recorder()
  let record = EpisodeRunner.run(&environment, agent: &agent, seed: 42)
  #expect(record.seed == 42)
  #expect(record.length == 7)
  #expect(record.totalReward == 7)
  #expect(record.outcome == .terminated)
  #expect(environment.resets == [42])
  #expect(environment.actions == Array(repeating: 1, count: 7))
}

@Test func agentSeesEachObservationInTurn() {
  var environment = Countdown(length: 4)
  var agent = Recorder()
  _ = EpisodeRunner.run(&environment, agent: &agent, seed: 0)
  // The reset observation, then each step's, never the final one.
  #expect(agent.seen == [4, 3, 2, 1])
  #expect(agent.episodeSeeds.count == 1)
}

@Test func agentEpisodeSeedDependsOnTheEpisodeSeed() {
  var environment = Countdown(length: 1)
  var agent = Recorder()
  _ = EpisodeRunner.run(&environment, agent: &agent, seed: 1)
  _ = EpisodeRunner.run(&environment, agent: &agent, seed: 1)
  _ = EpisodeRunner.run(&environment, agent: &agent, seed: 2)
  #expect(agent.episodeSeeds.count == 3)
  #expect(agent.episodeSeeds[0] == agent.episodeSeeds[1])
  #expect(agent.episodeSeeds[0] != agent.episodeSeeds[2])
}

@Test func returnSumsNegativeAndFractionalRewards() {
  var environment = Countdown(length: 5, reward: -0.5)
  var agent = Recorder()
  let record = EpisodeRunner.run(&environment, agent: &agent, seed: 3)
  #expect(record.totalReward == -2.5)
  #expect(record.length == 5)
}

@Test func timeLimitTruncatesALongEpisode() {
  var environment = TimeLimit(Countdown(length: 10), maxEpisodeSteps: 3)
  var agent = Recorder()
  let record = EpisodeRunner.run(&environment, agent: &agent, seed: 9)
  #expect(record.length == 3)
  #expect(record.totalReward == 3)
  #expect(record.outcome == .truncated)
}

@Test func terminationOnTheLastAllowedStepIsNotTruncation() {
  var environment = TimeLimit(Countdown(length: 5), maxEpisodeSteps: 5)
  var agent = Recorder()
  let record = EpisodeRunner.run(&environment, agent: &agent, seed: 9)
  #expect(record.length == 5)
  #expect(record.outcome == .terminated)
}

@Test func timeLimitRestartsItsCountEachEpisode() {
  var environment = TimeLimit(Countdown(length: 10), maxEpisodeSteps: 4)
  var agent = Recorder()
  let first = EpisodeRunner.run(&environment, agent: &agent, seed: 1)
  let second = EpisodeRunner.run(&environment, agent: &agent, seed: 2)
  #expect(first.length == 4 && second.length == 4)
  #expect(second.outcome == .truncated)
  #expect(environment.base.resets == [1, 2])
}

@Test func withoutATimeLimitTheRunnerPlaysToTheEnd() {
  var environment = Countdown(length: 100)
  var agent = Recorder()
  let record = EpisodeRunner.run(&environment, agent: &agent, seed: 0)
  #expect(record.length == 100 && record.totalReward == 100 && record.outcome == .terminated, "only TimeLimit truncates")
  #expect(record.uniqueCells == nil && record.uniqueStates == nil, "Countdown does not report exploration")
}

/// A Countdown that reports a cell (the steps left, halved) and a state (the steps left).
struct ReportingCountdown: Environment, ExplorationReporting {
  var base = Countdown(length: 10)
  var actionNames: [String] { base.actionNames }
  mutating func reset(seed: UInt64?) -> Int { base.reset(seed: seed) }
  mutating func step(_ action: Int) -> Step<Int> { base.step(action) }
  var exploration: ExplorationKey { ExplorationKey(cell: Int32(base.remaining / 2), state: UInt64(base.remaining)) }
}

@Test func environmentsThatReportExplorationGetItsCountsThroughATimeLimit() {
  var environment = TimeLimit(ReportingCountdown(), maxEpisodeSteps: 7)
  var agent = Recorder()
  let record = EpisodeRunner.run(&environment, agent: &agent, seed: 0)
  // Remaining 10 (after the reset) down to 3 (after 7 steps): states 3...10, cells 1...5.
  #expect(record.length == 7 && record.outcome == .truncated)
  #expect(record.uniqueStates == 8 && record.uniqueCells == 5)
}

@Test func randomAgentIsReproducibleThroughTheRunner() {
  func actions(seed: UInt64) -> [Int] {
    var environment = Countdown(length: 50)
    var agent = RandomAgent<Int>(actionCount: 2)
    _ = EpisodeRunner.run(&environment, agent: &agent, seed: seed)
    return environment.actions
  }
  #expect(actions(seed: 5) == actions(seed: 5))
  #expect(actions(seed: 5) != actions(seed: 6))
  #expect(Set(actions(seed: 5)) == [0, 1])
}
