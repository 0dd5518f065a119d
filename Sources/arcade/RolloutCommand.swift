import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments

struct RolloutCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollout",
    abstract: "Play episodes of an agent on one environment and print their returns.",
    discussion: "Episode i is reset with a seed derived from (--seed, i), the same episodes `arcade transfer` plays for that seed.")

  @Option(help: "Environment id (see `arcade list`).") var env: String
  @Option(help: "Agent: random, tracker, a preset in agents/, or a .yaml path.") var agent = "random"
  @Option(help: "Number of episodes.") var episodes = 10
  @Option(help: "Seed of the run.") var seed: UInt64 = 0
  @Option(help: "Step cap per episode (default: the variant file's maxEpisodeSteps).") var maxSteps: Int?
  @Flag(help: "One JSON line per episode, then a summary line.") var json = false
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1 (got \(episodes))") }
    if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1 (got \(maxSteps))") }
  }

  func run() throws {
    let files = try project.files()
    let variant = try EnvironmentRegistry(files: files).load(env)
    let preset = try AgentPreset(agent, files: files)
    let seeds = (0..<episodes).map { SplitMix64.derive(seed, UInt64($0)) }
    var visitor = EpisodesVisitor(seeds: seeds)
    let records = try preset.accept(&visitor, game: variant.makeGame(), maxEpisodeSteps: maxSteps ?? variant.maxEpisodeSteps)
    for (i, r) in records.enumerated() {
      if json {
        var line = JSONLine()
        line.add("episode", i)
        line.add("seed", r.seed)
        line.add("return", r.totalReward)
        line.add("length", r.length)
        line.add("outcome", r.outcome.rawValue)
        if let cells = r.uniqueCells, let states = r.uniqueStates {
          line.add("won", r.won ? 1 : 0)
          line.add("deaths", r.outcome == .terminated && !r.won ? 1 : 0)
          line.add("uniqueCells", cells)
          line.add("uniqueStates", states)
        }
        print(line.text)
      } else {
        var text = "episode \(i)  return \(Summary.fixed(r.totalReward, 1))  length \(r.length)  \(r.outcome.rawValue)"
        if let cells = r.uniqueCells, let states = r.uniqueStates {
          text += r.won ? "  won" : r.outcome == .terminated ? "  died" : ""
          text += "  cells \(cells)  states \(states)"
        }
        print(text)
      }
    }
    let returns = Summary(records.map(\.totalReward)), lengths = Summary(records.map { Double($0.length) })
    if json {
      var line = JSONLine()
      line.add("env", variant.id.description)
      line.add("agent", preset.name)
      line.add("episodes", records.count)
      line.add("meanReturn", returns.mean)
      line.add("stdReturn", returns.standardDeviation)
      line.add("meanLength", lengths.mean)
      line.add("stdLength", lengths.standardDeviation)
      if records.allSatisfy({ $0.uniqueCells != nil }) {
        line.add("wins", records.filter(\.won).count)
        line.add("deaths", records.filter { $0.outcome == .terminated && !$0.won }.count)
        line.add("meanUniqueCells", Summary(records.map { Double($0.uniqueCells!) }).mean)
        line.add("meanUniqueStates", Summary(records.map { Double($0.uniqueStates!) }).mean)
      }
      print(line.text)
    } else {
      print("\(variant.id) · \(preset.name) · \(records.count) episodes: return \(returns.formatted()), length \(lengths.formatted(digits: 1))")
      if records.allSatisfy({ $0.uniqueCells != nil }) {
        let deaths = records.filter { $0.outcome == .terminated && !$0.won }.count
        print("wins \(records.filter(\.won).count), deaths \(deaths), unique cells \(Summary(records.map { Double($0.uniqueCells!) }).formatted(digits: 1)), unique states \(Summary(records.map { Double($0.uniqueStates!) }).formatted(digits: 1))")
      }
    }
  }
}
