import Foundation

/// The Slurm job scripts of a sharded transfer run: a job array that trains the learning agents' runs (one per
/// task), a job array that evaluates the shards once every run is trained (`afterok`), and a merge job once every
/// shard is done. Written into one folder with `submit.sh`, which submits the three with their dependencies. A prior
/// study has no training array: its shards are cells of `arcade study priors`.
public struct SlurmSweep: Sendable {
  /// Where the scripts, logs (`logs/`) and shard results (`shards/`) go.
  public var folder: URL
  /// Absolute paths of the `arcade` executable, the project folder and the configuration.
  public var executable: String, root: String, configuration: String
  /// Where the merged report goes.
  public var report: String
  public var name: String
  /// Training runs in all, and those still to train (their indices).
  public var trainingRuns: Int, trainingToRun: [Int]
  /// Evaluation shards in all, and those without a result (their indices).
  public var shards: Int, shardsToRun: [Int]
  /// `#SBATCH` settings: partition (none: the cluster's default), time limit per task, CPUs per task.
  public var partition: String?, time: String, cpus: Int
  /// The `arcade` subcommand that plays a shard: `transfer`, or `study priors`.
  public var evaluateCommand = "transfer"

  public init(folder: URL, executable: String, root: String, configuration: String, report: String, name: String,
              trainingRuns: Int, trainingToRun: [Int], shards: Int, shardsToRun: [Int], partition: String?, time: String, cpus: Int) {
    self.folder = folder
    self.executable = executable
    self.root = root
    self.configuration = configuration
    self.report = report
    self.name = name
    self.trainingRuns = trainingRuns
    self.trainingToRun = trainingToRun
    self.shards = shards
    self.shardsToRun = shardsToRun
    self.partition = partition
    self.time = time
    self.cpus = cpus
  }

  /// The training array, or `nil` when every run is trained.
  public var trainScript: String? {
    guard !trainingToRun.isEmpty else { return nil }
    return header(job: "train", array: trainingToRun)
      + "exec \(quoted(executable)) transfer \(quoted(configuration)) --root \(quoted(root)) --train-only"
      + " --shard \"$SLURM_ARRAY_TASK_ID/\(trainingRuns)\" --threads \"${SLURM_CPUS_PER_TASK:-1}\" --quiet\n"
  }

  /// The evaluation array, or `nil` when every shard has its result.
  public var evaluateScript: String? {
    guard !shardsToRun.isEmpty else { return nil }
    return header(job: "evaluate", array: shardsToRun)
      + "exec \(quoted(executable)) \(evaluateCommand) \(quoted(configuration)) --root \(quoted(root)) --out \(quoted(folder.path))"
      + " --shard \"$SLURM_ARRAY_TASK_ID/\(shards)\" --threads \"${SLURM_CPUS_PER_TASK:-1}\" --quiet\n"
  }

  /// The merge job.
  public var mergeScript: String {
    header(job: "merge", array: nil, cpus: 1)
      + "exec \(quoted(executable)) report merge \(quoted(folder.appendingPathComponent("shards").path)) --out \(quoted(report)) --quiet\n"
  }

  /// Submits the jobs present, each after the one before it succeeded, and prints their ids.
  public var submitScript: String {
    var out = "#!/bin/bash\n# Submits the sweep's jobs, each waiting for the one before it (afterok).\nset -euo pipefail\n"
    out += "cd \"$(dirname \"$0\")\"\ndependency=\n"
    for (job, present) in [("train", trainScript != nil), ("evaluate", evaluateScript != nil), ("merge", true)] where present {
      out += "id=$(sbatch --parsable ${dependency:+--dependency=afterok:$dependency} \(job).sbatch)\n"
      out += "echo \"\(job) $id\"\ndependency=${id%%;*}\n"
    }
    return out
  }

  /// Writes the scripts present (removing those of a previous sweep that are no longer needed) and `logs/`.
  public func write() throws {
    let manager = FileManager.default
    try manager.createDirectory(at: folder.appendingPathComponent("logs"), withIntermediateDirectories: true)
    for (name, text) in [("train.sbatch", trainScript), ("evaluate.sbatch", evaluateScript), ("merge.sbatch", mergeScript),
                         ("submit.sh", submitScript)] {
      let url = folder.appendingPathComponent(name)
      guard let text else { try? manager.removeItem(at: url); continue }
      try AtomicFile.write(text, to: url)
      try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }
  }

  private func header(job: String, array: [Int]?, cpus: Int? = nil) -> String {
    var out = "#!/bin/bash\n#SBATCH --job-name=arcade-\(name)-\(job)\n"
    if let array { out += "#SBATCH --array=\(Self.arraySpec(array))\n" }
    out += "#SBATCH --cpus-per-task=\(cpus ?? self.cpus)\n#SBATCH --time=\(time)\n"
    if let partition { out += "#SBATCH --partition=\(partition)\n" }
    let log = folder.appendingPathComponent("logs/\(job)\(array == nil ? "" : "-%a").log").path
    out += "#SBATCH --output=\(log)\nset -euo pipefail\n"
    return out
  }

  /// Slurm's array syntax for `indices`: runs of consecutive ones as ranges, e.g. `0-3,5,7-8`.
  public static func arraySpec(_ indices: [Int]) -> String {
    var parts: [String] = [], i = 0
    let sorted = indices.sorted()
    while i < sorted.count {
      var j = i
      while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
      parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
      i = j + 1
    }
    return parts.joined(separator: ",")
  }

  private func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
