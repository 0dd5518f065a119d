import ArgumentParser
import EnvironmentCore
import Experiments

/// The observation forms `--obs` names.
enum ObservationName: String, ExpressibleByArgument, CaseIterable {
  case none, entities, grid, pixels
}

struct EnvironmentBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "env",
    abstract: "Environment steps per second under a random policy, observation included.",
    discussion: """
      Steps `--envs` copies in a vector environment split over `--threads` workers, each worker running its \
      block without synchronising. Build with `swift build -c release` for meaningful numbers.
      """)

  @OptionGroup var env: DefaultedEnvironmentOption<StandardBreakout>
  @Option(help: "Observation form: none, entities, grid or pixels.") var obs = ObservationName.none
  @Option(help: "Pool the grid observation by this many lattice points per cell.") var pool = 1
  @Option(help: "Downsample the pixel observation to size × size by area averaging.") var size: Int?
  @Option(help: "Environment copies.") var envs = 1
  @OptionGroup var threads: ThreadsOption<OneThread>
  @Option(help: "Total environment steps (over all copies).") var steps = 1_000_000
  @Option(help: "Seed.") var seed: UInt64 = 0
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    guard envs >= 1 else { throw ValidationError("--envs must be at least 1 (got \(envs))") }
    guard steps >= envs else { throw ValidationError("--steps must be at least --envs (got \(steps) < \(envs))") }
    guard pool >= 1 else { throw ValidationError("--pool must be at least 1 (got \(pool))") }
    if let size, size < 1 { throw ValidationError("--size must be at least 1 (got \(size))") }
  }

  func run() throws {
    let variant = try EnvironmentRegistry(files: project.files()).load(env.id)
    let game = variant.makeGame()
    let seconds: Double = switch obs {
    case .none: measure(game, NoObservation())
    case .entities: measure(game, Entities())
    case .grid: measure(game, Grid(pool: pool))
    case .pixels: measure(game, Pixels(width: size, height: size))
    }
    let total = (steps / envs) * envs
    let form = switch (obs, size) {
    case (.grid, _) where pool > 1: "grid/\(pool)"
    case (.pixels, let size?): "pixels/\(size)"
    default: obs.rawValue
    }
    try printJSONLine(Line(env: variant.id.description, obs: form, envs: envs, threads: threads.count, steps: total,
                           seconds: seconds, stepsPerSecond: Double(total) / seconds))
  }

  /// What `bench env` prints.
  struct Line: Encodable {
    var env: String, obs: String
    var envs: Int, threads: Int, steps: Int
    var seconds: Double, stepsPerSecond: Double
  }

  /// Seconds to run `steps` random-policy steps, after a short warm-up.
  func measure<G: Game, F: ObservationForm>(_ game: G, _ form: F) -> Double {
    let vector = VectorEnvironment(game: game, count: envs, form: form, seed: seed,
                                   maxEpisodeSteps: 5_000, threads: threads.count)
    vector.runRandomPolicy(stepsPerEnvironment: min(10_000, steps / envs))
    let clock = ContinuousClock()
    return clock.measure { vector.runRandomPolicy(stepsPerEnvironment: steps / envs) }.inSeconds
  }
}

extension EnvironmentBenchCommand {
  private func measure(_ game: any Game, _ form: NoObservation) -> Double { open(game, form) }
  private func measure(_ game: any Game, _ form: Entities) -> Double { open(game, form) }
  private func measure(_ game: any Game, _ form: Grid) -> Double { open(game, form) }
  private func measure(_ game: any Game, _ form: Pixels) -> Double { open(game, form) }
  private func open<F: ObservationForm>(_ game: any Game, _ form: F) -> Double { measure(game, form) }
}
