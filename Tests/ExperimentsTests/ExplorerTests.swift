import Agents
import EnvironmentCore
import Evaluation
import Experiments
import Games
import Testing

/// A small level for the explorers: start bottom left, a ladder (and a gap) up, the princess top left.
let explorerTestLevelText = """
  |......|
  |.P..H.|
  |###.H#|
  |....H.|
  |S...H.|
  |######|
  """

func explorerTestGame(theme: PriorOptions.Theme = .original) throws -> PriorPlatformer {
  var options = PriorOptions()
  options.theme = theme
  return PriorPlatformer(options: options, levels: [try PriorLevel(name: "explorer-test", text: explorerTestLevelText)])
}

/// The grid observation with its planes reordered: plane `i` of the result is plane `order[i]` of `grid`.
func permuted(_ grid: GridObservation, _ order: [Int]) -> ExplorerObservation {
  let n = grid.layout.wordsPerPlane
  let words = order.flatMap { grid.words[$0 * n ..< ($0 + 1) * n] }
  return ExplorerObservation(width: grid.layout.width, height: grid.layout.height, planes: order.count, words: words)
}

/// The actions `explorer` takes over `steps` steps of `game`, with the planes handed over in `order`.
func actions(of explorer: inout some ExploringAgent, on game: PriorPlatformer, order: [Int]?, steps: Int) -> [Int] {
  var environment = TimeLimit(GameEnvironment(game: game, form: Grid()), maxEpisodeSteps: 300)
  let identity = Array(0..<environment.reset(seed: 1).layout.channelCount)
  var taken: [Int] = [], episode: UInt64 = 0
  while taken.count < steps {
    explorer.beginEpisode(permuted(environment.reset(seed: SplitMix64.derive(9, episode)), order ?? identity))
    episode += 1
    while taken.count < steps {
      let action = explorer.act()
      taken.append(action)
      let step = environment.step(action)
      explorer.observe(reward: step.reward, outcome: step.outcome, next: permuted(step.observation, order ?? identity))
      if step.outcome != .ongoing { break }
    }
  }
  return taken
}

@Suite("Exploring agents")
struct ExplorerTests {
  @Test("schema-explore wins the small test level within 3,000 actions")
  func schemaExploreWins() throws {
    var explorer: any ExploringAgent = SchemaExplorer(actionNames: PriorPlatformer.actionNames, seed: 3)
    let cell = try ExplorationRun.play(try explorerTestGame(), explorer: &explorer, seed: 0, budget: 3_000, maxEpisodeSteps: 300)
    let won = try #require(cell.actionsToFirstWin)
    #expect(won <= 3_000)
    #expect(cell.uniqueStates > 0 && cell.uniqueCells > 0)
  }

  @Test("dqn-explore wins a corridor level within 5,000 actions")
  func dqnExploreWins() throws {
    var network = DQNExplorerConfiguration.defaultNetwork
    (network.hiddenUnits, network.learningStarts, network.explorationSteps, network.bufferSize) = ([32], 500, 2_000, 5_000)
    var explorer: any ExploringAgent = DQNExplorer(actionNames: PriorPlatformer.actionNames, seed: 1,
                                                   configuration: DQNExplorerConfiguration(network: network))
    let corridor = PriorPlatformer(options: PriorOptions(), levels: [try PriorLevel(name: "corridor", text: "|......|\n|S...P.|\n|######|\n")])
    let cell = try ExplorationRun.play(corridor, explorer: &explorer, seed: 0, budget: 5_000, maxEpisodeSteps: 100)
    #expect(cell.actionsToFirstWin != nil)
  }

  /// The shipped settings, and every optional rule on (falls folded, deaths penalised, seeded ties, walls retried).
  static let explorerSettings: [SchemaExplorerConfiguration] = {
    var all = SchemaExplorerConfiguration()
    (all.foldFalls, all.deathPenalty, all.tieJitter, all.retryWalls) = (40, 8, 1, true)
    return [SchemaExplorerConfiguration(), all]
  }()

  @Test("Permuting the grid's planes leaves schema-explore's actions unchanged", arguments: explorerSettings)
  func channelOrderDoesNotMatter(configuration: SchemaExplorerConfiguration) throws {
    let game = try explorerTestGame(theme: .maskedSemantics)
    var a = SchemaExplorer(actionNames: PriorPlatformer.actionNames, seed: 5, configuration: configuration)
    var b = SchemaExplorer(actionNames: PriorPlatformer.actionNames, seed: 5, configuration: configuration)
    var environment = GameEnvironment(game: game, form: Grid())
    let planes = environment.reset(seed: 1).layout.channelCount
    let reversed = Array((0..<planes).reversed())
    let plain = actions(of: &a, on: game, order: nil, steps: 1_500)
    #expect(plain == actions(of: &b, on: game, order: reversed, steps: 1_500))
    #expect(Set(plain).count > 1)
  }

  @Test("An exploring agent cannot be handed entity kinds")
  func entityKindsAreRefused() throws {
    var environment = GameEnvironment(game: try explorerTestGame(), form: Entities())
    let entities = environment.reset(seed: 0)
    #expect(throws: ExplorerInputError.self) { try ExplorerObservation(entities) }
    var grid = GameEnvironment(game: try explorerTestGame(), form: Grid())
    #expect(try ExplorerObservation(grid.reset(seed: 0)).planes == grid.reset(seed: 0).layout.channelCount)
  }
}
