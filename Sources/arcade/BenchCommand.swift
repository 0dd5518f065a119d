import ArgumentParser
import EnvironmentCore
import Experiments

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Benchmarks; each prints one JSON line.", subcommands: [EnvironmentBench.self, RecordBench.self, NeuralBenchCommand.self])
}

/// The observation forms `--obs` names.
enum ObservationName: String, ExpressibleByArgument, CaseIterable {
  case none, entities, grid, pixels
}

struct EnvironmentBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "env",
    abstract: "Environment steps per second under a random policy, observation included.",
    discussion: """
      Steps `--envs` copies in a vector environment split over `--threads` workers, each worker running its \
      block without synchronising. Build with `swift build -c release` for meaningful numbers.
      """)

  @Option(help: "Environment id.") var env = "breakout/standard"
  @Option(help: "Observation form: none, entities, grid or pixels.") var obs = ObservationName.none
  @Option(help: "Pool the grid observation by this many lattice points per cell.") var pool = 1
  @Option(help: "Downsample the pixel observation to size × size by area averaging.") var size: Int?
  @Option(help: "Environment copies.") var envs = 1
  @Option(help: "Worker threads.") var threads = 1
  @Option(help: "Total environment steps (over all copies).") var steps = 1_000_000
  @Option(help: "Seed.") var seed: UInt64 = 0
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    guard envs >= 1 else { throw ValidationError("--envs must be at least 1 (got \(envs))") }
    guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256 (got \(threads))") }
    guard steps >= envs else { throw ValidationError("--steps must be at least --envs (got \(steps) < \(envs))") }
    guard pool >= 1 else { throw ValidationError("--pool must be at least 1 (got \(pool))") }
    if let size, size < 1 { throw ValidationError("--size must be at least 1 (got \(size))") }
  }

  func run() throws {
    let variant = try EnvironmentRegistry(files: project.files()).load(env)
    let game = variant.makeGame()
    let seconds: Double = switch obs {
    case .none: measure(game, NoObservation())
    case .entities: measure(game, Entities())
    case .grid: measure(game, Grid(pool: pool))
    case .pixels: measure(game, Pixels(width: size, height: size))
    }
    let total = (steps / envs) * envs
    var line = JSONLine()
    line.add("env", variant.id.description)
    line.add("obs", obs == .grid && pool > 1 ? "grid/\(pool)" : obs == .pixels && size != nil ? "pixels/\(size!)" : obs.rawValue)
    line.add("envs", envs)
    line.add("threads", threads)
    line.add("steps", total)
    line.add("seconds", seconds)
    line.add("stepsPerSecond", Double(total) / seconds)
    print(line.text)
  }

  /// Seconds to run `steps` random-policy steps, after a short warm-up.
  func measure<G: Game, F: ObservationForm>(_ game: G, _ form: F) -> Double {
    let vector = VectorEnvironment(game: game, count: envs, form: form, seed: seed,
                                   maxEpisodeSteps: 5_000, threads: threads)
    vector.runRandomPolicy(stepsPerEnvironment: min(10_000, steps / envs))
    let clock = ContinuousClock()
    let elapsed = clock.measure { vector.runRandomPolicy(stepsPerEnvironment: steps / envs) }
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }
}

extension EnvironmentBench {
  private func measure(_ game: any Game, _ form: NoObservation) -> Double { open(game, form) }
  private func measure(_ game: any Game, _ form: Entities) -> Double { open(game, form) }
  private func measure(_ game: any Game, _ form: Grid) -> Double { open(game, form) }
  private func measure(_ game: any Game, _ form: Pixels) -> Double { open(game, form) }
  private func open<F: ObservationForm>(_ game: any Game, _ form: F) -> Double { measure(game, form) }
}
