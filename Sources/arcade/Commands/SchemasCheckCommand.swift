import Agents
import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Foundation

struct SchemasCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Roll the schema agent on a variant and report how well its learned model predicts each next observation.",
    discussion: """
      The agent plays (ε-random, so the model meets states its own plans avoid) for --steps steps, episodes \
      reset as `arcade rollout` resets them; before every step the model predicts the next observation. \
      ballPositionAccuracy: the ball's next pixels exactly right, over the steps where the game drew nothing \
      that moves it (no stochastic bounce, no launch). stochasticSteps: steps where the game drew any random \
      outcome (such a bounce, a launch, a target moved, the paddle's 1-or-2-px move). outcomeCoverage: steps \
      whose true outcome was among the model's predicted alternatives; novelSteps: steps where some object was in \
      a neighbourhood never seen in training, where the model allows every outcome; coverageByRules: the \
      coverage with those allowances taken away. cellAccuracy: cells predicted exactly. \
      rewardPrecision and rewardRecall: of the rewards the model called likely, and of those that came. \
      uncovered: the steps outside outcomeCoverage by their first failure (an object's fate, an appearance, a \
      reward sign the model ruled out).
      """)

  @Argument(help: ArgumentHelp("A schema agent's run folder (runs/NAME, models/schema).", valueName: "run")) var folderName: String
  @OptionGroup var env: EnvironmentOption
  @Option(parsing: .unconditional, help: "Steps to check.") var steps = 10_000
  @Option(parsing: .unconditional, help: "Seed of the episodes.") var seed: UInt64 = 0
  @Option(parsing: .unconditional, help: "Chance of a random action instead of the agent's.") var epsilon = 0.1
  @Option(help: "The kind whose position `ballPositionAccuracy` checks.") var focus = "ball"
  @Flag(help: "One JSON line instead of a table.") var json = false
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    try Bounds.check("steps", steps, Bounds.episodeSteps)
    guard (0...1).contains(epsilon) else { throw ValidationError("--epsilon must be in [0, 1] (got \(epsilon))") }
    guard EntityKind.allCases.contains(where: { $0.description == focus }) else {
      throw ValidationError("--focus must be an entity kind (\(EntityKind.allCases.map(\.description).joined(separator: ", ")))")
    }
  }

  func run() throws {
    let files = try project.files()
    let folder = try SchemaRuns.folder(folderName, files: files)
    let variant = try EnvironmentRegistry(files: files).load(env.id)
    let game = variant.makeGame()
    if let reason = folder.reasonItCannotPlay(game) { throw ConfigurationError("\(folderName) cannot play \(variant.id): \(reason)") }
    let kind = EntityKind.allCases.first { $0.description == focus } ?? .ball
    let line = try check(game, model: folder.loadModel(), configuration: folder.info.configuration, focus: kind,
                         maxEpisodeSteps: variant.maxEpisodeSteps, env: variant.id.description)
    if json { return try printJSONLine(line) }
    func percent(_ x: Double) -> String { "\(Summary.fixed(x * 100, 2)) %" }
    print("\(line.env) · \(files.display(folder.folder)) · \(line.steps) steps (\(line.stochasticSteps) left to chance)")
    print("  \(focus) position, determined steps  \(percent(line.ballPositionAccuracy))")
    print("  outcome among the alternatives    \(percent(line.outcomeCoverage))")
    print("  … by the schemas alone            \(percent(line.coverageByRules)) (\(line.novelSteps) steps in unseen neighbourhoods)")
    print("  cells                             \(percent(line.cellAccuracy))")
    print("  reward precision / recall         \(percent(line.rewardPrecision)) / \(percent(line.rewardRecall))")
    for (why, count) in line.uncovered.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
      print("  not covered: \(why)".padding(toLength: 37, withPad: " ", startingAt: 0) + "\(count) steps")
    }
  }

  private func check<G: Game>(_ game: G, model: SchemaModel, configuration: SchemaConfiguration, focus: EntityKind,
                              maxEpisodeSteps: Int, env: String) throws -> Line {
    var environment = TimeLimit(GameEnvironment(game: game, form: Entities(expandPixels: true)), maxEpisodeSteps: maxEpisodeSteps)
    var agent = SchemaAgent(model: model, actionCount: game.actionNames.count, configuration: configuration)
    var check = SchemaCheck(model: model, ballKind: focus.rawValue)
    var rng = SplitMix64(seed: SplitMix64.derive(seed, 0xC4EC))
    var episode: UInt64 = 0, stochastic = 0
    func begin() -> [Entity] {
      let episodeSeed = SplitMix64.derive(seed, episode)
      let observation = environment.reset(seed: episodeSeed)
      agent.beginEpisode(seed: SplitMix64.agentSeed(forEpisode: episodeSeed))
      check.begin(observation)
      return observation
    }
    var observation = begin()
    for _ in 0..<steps {
      let planned = agent.action(for: observation)
      let action = rng.nextBool(probability: epsilon) ? rng.nextInt(below: game.actionNames.count) : planned
      let step = environment.step(action)
      let chance = (environment.base.game as? any ChanceReporting)?.lastStepChance ?? []
      if !chance.isEmpty { stochastic += 1 }
      check.record(action: action, reward: step.reward, next: step.observation, stochastic: chance.contains(.objectMotion))
      if step.outcome.isFinal {
        episode += 1
        observation = begin()
      } else {
        observation = step.observation
      }
    }
    let summary = check.summary
    return Line(env: env, steps: summary.steps, ballPositionAccuracy: summary.ballPositionAccuracy, stochasticSteps: stochastic,
                outcomeCoverage: summary.outcomeCoverage, novelSteps: summary.novelSteps, coverageByRules: summary.coverageByRules,
                cellAccuracy: summary.cellAccuracy,
                rewardPrecision: summary.rewardPrecision, rewardRecall: summary.rewardRecall, uncovered: summary.uncovered)
  }

  /// What `schemas check --json` prints.
  struct Line: Encodable {
    var env: String
    var steps: Int
    var ballPositionAccuracy: Double
    var stochasticSteps: Int
    var outcomeCoverage: Double
    var novelSteps: Int
    var coverageByRules: Double
    var cellAccuracy: Double
    var rewardPrecision: Double
    var rewardRecall: Double
    var uncovered: [String: Int]
  }
}
