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

  static func make(_ request: Request) -> Session {
    let game = request.entry.makeGame()
    let p = Int(request.parameter)
    return switch request.form {
    case 1: open(game, Grid(pool: max(1, p)), request)
    case 2: open(game, Entities(expandPixels: p == 1), request)
    case 3: open(game, p == 0 ? Pixels() : Pixels(width: p, height: p), request)
    default: open(game, NoObservation(), request)
    }
  }

  private static func open<F: ExportedForm>(_ game: any Game, _ form: F, _ request: Request) -> Session {
    build(game, form, request)
  }

  private static func build<G: Game, F: ExportedForm>(_ game: G, _ form: F, _ request: Request) -> Session {
    let steps = request.entry.maxEpisodeSteps
    guard let (count, threads) = request.vector else { return Single(game: game, form: form, maxEpisodeSteps: steps) }
    return Batch(game: game, form: form, maxEpisodeSteps: steps, count: count, threads: threads)
  }
}

/// A status as an error value.
struct StatusError: Error {
  let status: Status
  init(_ status: Status) { self.status = status }
}
