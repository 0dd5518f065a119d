import Agents
import EnvironmentCore
import Evaluation
import Foundation

extension AgentPreset {
  /// A fresh exploring agent of this preset for a game with `actionNames`, its choices drawn from `seed`.
  public func makeExplorer(actionNames: [String], seed: UInt64) throws -> any ExploringAgent {
    switch kind {
    case .schemaExplore: SchemaExplorer(actionNames: actionNames, seed: seed, configuration: schemaExplore)
    case .dqnExplore: DQNExplorer(actionNames: actionNames, seed: seed, configuration: dqnExplore)
    default: throw ConfigurationError("agent '\(name)' is a \(kind.rawValue) agent, not an exploring one (schema-explore, dqn-explore)")
    }
  }
}

/// Plays an exploring agent on a game until its first win or a budget of actions.
public enum ExplorationRun {
  /// Episodes of `game` (episode i reset from a seed derived from (`seed`, i)), each capped at `maxEpisodeSteps`, until
  /// the first win or `budget` actions. The agent sees the grid's anonymous planes only; the study's measures
  /// (unique exact states and 15-px cells, from the game's ``ExplorationReporting``) are taken here, not by it.
  public static func play<G: Game>(_ game: G, explorer: inout any ExploringAgent, seed: UInt64, budget: Int, maxEpisodeSteps: Int,
                                   progress: ProgressBar? = nil) throws -> PriorStudyReport.Cell {
    let clock = ContinuousClock(), start = clock.now
    var environment = TimeLimit(GameEnvironment(game: game, form: Grid()), maxEpisodeSteps: maxEpisodeSteps)
    let reader = ExplorationReader<TimeLimit<GameEnvironment<G, Grid>>>()
    var cells = Set<Int32>(), states = Set<UInt64>()
    func visit() {
      guard let key = reader?.key(of: &environment) else { return }
      cells.insert(key.cell)
      states.insert(key.state)
    }
    var actions = 0, deaths = 0, episode: UInt64 = 0, won: Int? = nil, reported = 0
    while actions < budget && won == nil {
      explorer.beginEpisode(ExplorerObservation(grid: environment.reset(seed: SplitMix64.derive(seed, episode))))
      episode += 1
      visit()
      while actions < budget {
        let step = environment.step(explorer.act())
        actions += 1
        visit()
        explorer.observe(reward: step.reward, outcome: step.outcome, next: ExplorerObservation(grid: step.observation))
        if actions - reported >= 4096 { progress?.advance(by: actions - reported); reported = actions }
        guard step.outcome == .ongoing else {
          if step.outcome == .terminated { if step.reward > 0 { won = actions } else { deaths += 1 } }
          break
        }
      }
    }
    progress?.advance(by: budget - reported)
    return PriorStudyReport.Cell(variant: "", agent: explorer.name, seed: seed, actionsToFirstWin: won, deaths: deaths,
                                 uniqueStates: states.count, uniqueCells: cells.count, seconds: (clock.now - start).inSeconds)
  }
}
