import ArgumentParser
import EnvironmentCore
import Experiments
import Foundation
import Games

/// The platformer game of a variant id, reset with `seed`, or an error for other families.
func platformer(_ env: EnvironmentID, seed: UInt64, files: ProjectFiles) throws -> (PriorPlatformer, VariantFile) {
  let variant = try EnvironmentRegistry(files: files).load(env)
  guard case .priors(let options, let levels) = variant.parameters else {
    throw ConfigurationError("\(env) is not a platformer variant: solve and replay work on priors/* ids")
  }
  var game = PriorPlatformer(options: options, levels: levels)
  game.reset(seed: SplitMix64.derive(seed, 0))
  return (game, variant)
}

struct SolveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Breadth-first search over a platformer variant's exact dynamics: shortest win, reachable states, plan.")

  @OptionGroup var env: EnvironmentOption
  @Option(parsing: .unconditional,
          help: "Seed (picks the level of multi-level variants, as episode 0 of `arcade rollout --seed`).") var seed: UInt64 = 0
  @Option(help: "Write the plan, one action name per line, to this file.") var out: String?
  @OptionGroup var project: ProjectOptions

  func run() throws {
    let (game, variant) = try platformer(env.id, seed: seed, files: project.files())
    let clock = ContinuousClock()
    var solution: PriorSolution? = nil
    let elapsed = clock.measure { solution = PriorSolver.solve(game, maxSteps: variant.maxEpisodeSteps) }
    guard let solution else { return }
    let seconds = elapsed.inSeconds
    print("\(variant.id) (level \(game.level.name)): \(solution.reachableStates) reachable states, searched in \(String(format: "%.2f", seconds)) s")
    guard let plan = solution.plan else { throw ConfigurationError("no win is reachable within \(variant.maxEpisodeSteps) steps") }
    print("shortest win: \(plan.count) steps")
    print(plan.map { PriorPlatformer.actionNames[$0] }.joined(separator: " "))
    if let out {
      let names = plan.map { PriorPlatformer.actionNames[$0] }
      let text = "# \(variant.id), level \(game.level.name), seed \(seed): \(plan.count) steps\n" + names.joined(separator: "\n") + "\n"
      try AtomicFile.write(text, to: URL(fileURLWithPath: out))
      print("plan written to \(out)")
    }
  }
}
