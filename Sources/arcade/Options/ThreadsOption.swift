import ArgumentParser
import Foundation

/// `--threads T`, 1…256: worker threads of a command whose results never depend on the count.
struct ThreadsOption<Default: ThreadsDefault>: ParsableArguments {
  @Option(name: .customLong("threads"), help: ArgumentHelp("Worker threads (results are identical for any count).", valueName: "n"))
  var count: Int = Default.count

  func validate() throws {
    guard (1...256).contains(count) else { throw ValidationError("--threads must be between 1 and 256 (got \(count))") }
  }
}

/// The thread count a command uses when `--threads` is not given.
protocol ThreadsDefault { static var count: Int { get } }

/// Every core: for long runs (training, transfer).
enum AllCores: ThreadsDefault { static var count: Int { ProcessInfo.processInfo.activeProcessorCount } }
/// One thread: benchmarks measure one core unless asked.
enum OneThread: ThreadsDefault { static let count = 1 }
