import EnvironmentCore
import Games

/// Opens a registered environment with a form code of `include/arcade.h`, as a single or a vector session.
enum Factory {
  /// What a session is built from, once the id and form are checked.
  struct Request {
    let entry: Catalog.Entry
    let form: Int32
    let parameter: Int32
    /// `nil` for a single environment.
    let vector: (count: Int, threads: Int)?
  }

  /// Checks the id and the form; a status on failure.
  static func request(_ id: UnsafePointer<CChar>?, _ form: Int32, _ parameter: Int32,
                      vector: (count: Int, threads: Int)? = nil) -> Result<Request, StatusError> {
    guard let id else { return .failure(StatusError(.null)) }
    guard let entry = try? Catalog.entry(named: String(cString: id)) else { return .failure(StatusError(.unknownID)) }
    let parameterOK = switch form {
    case 0: true
    case 1: parameter >= 0 && parameter <= 4096
    case 2: parameter == 0 || parameter == 1
    case 3: parameter >= 0 && parameter <= 65536
    default: false
    }
    guard parameterOK else { return .failure(StatusError(.form)) }
    return .success(Request(entry: entry, form: form, parameter: parameter, vector: vector))
  }

  /// The session for `request`. Games and forms are named concretely, so the compiler specialises the sessions
  /// for each pair: a session over `any Game` would run generic code (witness calls, copies of the game's value)
  /// on every step.
  static func make(_ request: Request) -> Session {
    switch request.entry.parameters {
    case .breakout(let level): withForm(Breakout(level: level), request)
    case .priors(let options, let levels): withForm(PriorPlatformer(options: options, levels: levels), request)
    }
  }

  private static func withForm<G: Game>(_ game: G, _ request: Request) -> Session {
    let p = Int(request.parameter)
    return switch request.form {
    case 1: build(game, Grid(pool: max(1, p)), request)
    case 2: build(game, Entities(expandPixels: p == 1), request)
    case 3: build(game, p == 0 ? Pixels() : Pixels(width: p, height: p), request)
    default: build(game, NoObservation(), request)
    }
  }

  private static func build<G: Game, F: ExportedForm>(_ game: G, _ form: F, _ request: Request) -> Session {
    let steps = request.entry.maxEpisodeSteps
    guard let (count, threads) = request.vector else {
      let single = Single(game: game, form: form, maxEpisodeSteps: steps)
      single.specialize()
      return single
    }
    let batch = Batch(game: game, form: form, maxEpisodeSteps: steps, count: count, threads: threads)
    batch.specialize()
    return batch
  }
}

/// A status as an error value.
struct StatusError: Error {
  let status: Status
  init(_ status: Status) { self.status = status }
}
