import Agents
import Foundation

/// `run.json` is checked like a preset when it is loaded: a hand-edited or damaged run must give an error, not
/// a trap (`batchSize: 0`) or a silently different training (`learningRate: -1`).
enum RunValidation {
  /// The most steps a run may record or ask for.
  static let maxSteps = 1_000_000_000_000

  /// Throws the first problem of `header` and `configurationProblems`, naming `file` and the key.
  static func check(_ header: RunHeader, configurationProblems: [(key: String, value: String, reason: String)],
                    file: String) throws {
    if let problem = configurationProblems.first {
      throw ConfigurationError(file: file, key: "configuration.\(problem.key)", "value \(problem.value) \(problem.reason)")
    }
    guard (0...maxSteps).contains(header.trainedSteps) else {
      throw ConfigurationError(file: file, key: "trainedSteps", "value \(header.trainedSteps) must be between 0 and \(maxSteps)")
    }
    if let target = header.targetSteps, !(1...maxSteps).contains(target) {
      throw ConfigurationError(file: file, key: "targetSteps", "value \(target) must be between 1 and \(maxSteps)")
    }
  }

  /// Throws when the DQN run's recorded shapes are impossible or too large to build.
  static func check(_ info: DQNRunFolder.Info, file: String) throws {
    guard (1...1024).contains(info.actionCount) else {
      throw ConfigurationError(file: file, key: "actionCount", "value \(info.actionCount) must be between 1 and 1024")
    }
    guard (1...(1 << 30)).contains(info.inputsPerFrame) else {
      throw ConfigurationError(file: file, key: "inputsPerFrame", "value \(info.inputsPerFrame) must be between 1 and \(1 << 30)")
    }
    let shape = info.frameShape ?? [info.inputsPerFrame, 1, 1]
    guard shape.count == 3, shape.allSatisfy({ (1...(1 << 30)).contains($0) }) else {
      throw ConfigurationError(file: file, key: "frameShape", "value \(shape) must be three positive sizes [channels, height, width]")
    }
    if let problem = DQN.convolutionProblem(configuration: info.configuration, frameShape: shape)
      ?? DQN.sizeProblem(configuration: info.configuration, frameShape: shape, frameBytes: 1) {
      throw ConfigurationError(file: file, key: "frameShape", "value \(shape) cannot be built: \(problem)")
    }
  }
}
