import EnvironmentCore

/// Trains a ``SchemaModel`` by playing an environment with entity observations (Kansky et al. 2017 §3: a schema
/// network learns from a few thousand frames of standard Breakout).
///
/// Exploration: random actions for ``SchemaConfiguration/warmupSteps`` (the model knows nothing yet), then the
/// agent's own planner on the latest model with ε-random actions and ε-random plans. No kind is named and no
/// scripted policy helps: what moves, what the actions move and what pays are all learned. The model is
/// relearned (revised, then extended) every ``SchemaConfiguration/learningInterval`` steps and at the end.
///
/// The result depends only on the environment, the configuration and `seed`, not on the number of threads.
///
/// ```swift
/// var env = TimeLimit(GameEnvironment(game: game, form: Entities(expandPixels: true)), maxEpisodeSteps: 5_000)
/// let model = SchemaTraining.train(&env, configuration: .init(), seed: 0) { steps, message in print(steps, message) }
/// ```
public enum SchemaTraining {
  /// Plays `environment` for ``SchemaConfiguration/trainingSteps`` steps and returns the learned model.
  /// `progress` hears `(stepsDone, message)` after every learning call.
  public static func train<E: Environment>(
    _ environment: inout E, configuration: SchemaConfiguration, seed: UInt64,
    progress: ((_ stepsDone: Int, _ message: String) -> Void)? = nil
  ) -> SchemaModel where E.Observation == [Entity] {
    precondition(configuration.problems().isEmpty, "invalid schema configuration: \(configuration.problems())")
    let actionCount = environment.actionCount
    var data = SchemaDataset(configuration: configuration)
    var model = SchemaModel(configuration: configuration)
    var agent: SchemaAgent? = nil
    var rng = SplitMix64(seed: SplitMix64.derive(seed, 0x5C4E))
    var episode: UInt64 = 0
    func episodeSeed() -> UInt64 { SplitMix64.derive(seed, episode) }
    var observation = environment.reset(seed: episodeSeed())
    data.beginEpisode(observation)
    var totalReward = 0.0
    // Training plays without the evaluation's planner aids: what the model learns does not depend on them.
    let acting = configuration.withoutEvaluationAids
    for step in 1...configuration.trainingSteps {
      // MARK: Act
      let action = agent?.action(for: observation) ?? rng.nextInt(below: actionCount)
      let result = environment.step(action)
      totalReward += result.reward
      // MARK: Store
      data.record(action: action, reward: result.reward, next: result.observation)
      if result.outcome.isFinal {
        episode += 1
        observation = environment.reset(seed: episodeSeed())
        data.beginEpisode(observation)
        agent?.beginEpisode(seed: SplitMix64.agentSeed(forEpisode: episodeSeed()))
      } else {
        observation = result.observation
      }
      // MARK: Learn
      let due = step == configuration.warmupSteps
        || (step > configuration.warmupSteps && (step - configuration.warmupSteps) % configuration.learningInterval == 0)
        || step == configuration.trainingSteps
      guard due else { continue }
      model.learn(from: data)
      var next = SchemaAgent(model: model, actionCount: actionCount, configuration: acting)
      next.explorationEpsilon = configuration.explorationEpsilon
      next.planExplorationEpsilon = configuration.planExplorationEpsilon
      next.beginEpisode(seed: SplitMix64.derive(seed, 0xA6E47 &+ UInt64(step)))
      agent = next
      progress?(step, "learned \(model.schemas.count) schemas from \(data.transitions) transitions (\(data.rowCount) rows); "
                + "\(episode) episodes, reward \(totalReward)")
    }
    return model
  }
}
