import Checksums
import Foundation

/// Trained agents shipped in the repository, `models/<preset>/`: a run folder (its `run.json` records the exact
/// command, steps, seed and the SHA-256 of what it learned) that experiments play instead of training anew.
public enum ShippedModels {
  /// The folder of `preset`'s shipped model.
  public static func folder(for preset: AgentPreset, files: ProjectFiles) -> URL {
    files.root.appendingPathComponent("models/\(preset.name)")
  }

  /// The shipped model of `preset`, or `nil` when there is none. A model that does not match its preset — other
  /// settings, another number of steps, a learned file that is not the one its `run.json` names — is refused with
  /// an error that says what differs and the command that trains it again.
  public static func load(for preset: AgentPreset, files: ProjectFiles) throws -> (any TrainedRun)? {
    let folder = folder(for: preset, files: files)
    guard Learners.isRun(folder) else { return nil }
    let run = try Learners.loadRun(folder, files: files)
    let name = files.display(folder)
    let retrain = run.header.command.map { " (retrain it: `\($0)`)" } ?? ""
    func refuse(_ reason: String) -> ConfigurationError {
      ConfigurationError("\(name) does not match the preset '\(preset.name)': \(reason)\(retrain)")
    }
    guard run.header.kind == preset.kind else { throw refuse("it holds a \(run.header.kind.rawValue) agent") }
    let differing = run.settingsDiffering(from: preset)
    guard differing.isEmpty else { throw refuse("settings differ (\(differing.joined(separator: ", ")))") }
    guard run.header.trainedSteps == preset.trainingSteps else {
      throw refuse("it trained \(run.header.trainedSteps) steps, the preset asks for \(preset.trainingSteps)")
    }
    guard run.hasLearned, let expected = run.header.learnedSHA256 else {
      throw refuse("its run.json names no learned file (\(run.learnedFile.lastPathComponent))")
    }
    let actual = SHA256.hexDigest([UInt8](try files.read(run.learnedFile)))
    guard actual == expected else {
      throw refuse("\(run.learnedFile.lastPathComponent) has SHA-256 \(actual.prefix(16))…, its run.json says \(expected.prefix(16))…")
    }
    return run
  }
}
