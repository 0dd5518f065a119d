import Experiments
import Foundation

/// Runs `python/torch_reference.py` (PyTorch's side of `arcade bench nn`) for one network, so both figures come
/// from the same run on the same machine.
struct TorchReference {
  /// The Python interpreter of a venv with torch and numpy.
  let python: String
  /// The reference script.
  let script: URL

  struct Figures {
    var updatesPerSecond: Double
    var actionsPerSecond: Double
    var version: String
  }

  /// PyTorch's medians for `net` (`minatar`, `nature` or `mlp`), or an error naming the command and its output.
  func measure(net: String, batch: Int, threads: Int, seconds: Double, reps: Int) throws -> Figures {
    guard FileManager.default.fileExists(atPath: script.path) else {
      throw ConfigurationError("\(script.path): no PyTorch reference script there (give --torch-script)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script.path, net, "--threads", "\(threads)", "--batch", "\(batch)", "--seconds", "\(seconds)", "--reps", "\(reps)"]
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    do { try process.run() } catch { throw ConfigurationError("--torch \(python): cannot run it (\(error.localizedDescription))") }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    guard process.terminationStatus == 0,
          let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          let updates = json["updatesPerSecond"] as? Double, let actions = json["actionsPerSecond"] as? Double else {
      let tail = message.split(separator: "\n").last.map(String.init) ?? line
      throw ConfigurationError("\(python) \(script.lastPathComponent) \(net) failed (exit \(process.terminationStatus)): \(tail)")
    }
    return Figures(updatesPerSecond: updates, actionsPerSecond: actions, version: json["torch"] as? String ?? "?")
  }
}
