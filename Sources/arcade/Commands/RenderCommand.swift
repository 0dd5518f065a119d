import Agents
import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Foundation
import Recording

struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Write a PNG of an environment after some steps of an agent.")

  @OptionGroup var env: EnvironmentOption
  @Option(parsing: .unconditional, help: "Seed of the episode (as episode 0 of `arcade rollout --seed`).") var seed: UInt64 = 0
  @Option(parsing: .unconditional, help: "Steps to play before the picture.") var steps = 0
  @OptionGroup var agent: AgentOption<TrackerAgentDefault>
  @Option(help: "Output PNG file.") var out: String
  @Option(parsing: .unconditional, help: "Enlarge each pixel to a scale × scale block.") var scale = 1
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    try Bounds.check("steps", steps, 0...Bounds.episodeSteps.upperBound)
    guard (1...32).contains(scale) else { throw ValidationError("--scale must be between 1 and 32 (got \(scale))") }
    guard out.lowercased().hasSuffix(".png") else { throw ValidationError("--out must name a .png file (got '\(out)')") }
  }

  struct FrameAfterSteps: AgentVisitor {
    let seed: UInt64, steps: Int
    var played = 0

    mutating func visit<E: Environment & Renderable, A: Agent>(environment: inout E, agent: inout A) throws -> Frame
      where A.Observation == E.Observation {
      var observation = environment.reset(seed: seed)
      agent.beginEpisode(seed: SplitMix64.agentSeed(forEpisode: seed))
      while played < steps {
        let step = environment.step(agent.action(for: observation))
        played += 1
        if step.outcome != .ongoing { break }
        observation = step.observation
      }
      return environment.render()
    }
  }

  func run() throws {
    let files = try project.files()
    let variant = try EnvironmentRegistry(files: files).load(env.id)
    let game = variant.makeGame()
    try Bounds.checkPicture(width: game.frameWidth, height: game.frameHeight, scale: scale)
    var visitor = FrameAfterSteps(seed: SplitMix64.derive(seed, 0), steps: steps)
    let frame = try agent.preset(files: files).accept(&visitor, game: variant.makeGame(), maxEpisodeSteps: .max)
    let url = URL(fileURLWithPath: out)
    try AtomicFile.write(Data(PNG.encode(frame.scaled(by: scale))), to: url)
    let ended = visitor.played < steps ? " (the episode ended after \(visitor.played) steps)" : ""
    print("wrote \(out): \(variant.id) after \(visitor.played) steps, \(frame.width * scale)×\(frame.height * scale) px\(ended)")
  }
}
