import ArgumentParser
import Evaluation
import Experiments
import Foundation

struct MergeReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Put the shards of a transfer run or a study (`--shard I/N`) together into its report.",
    discussion: """
      Reads every shard-<I>-of-<N>.json in the folders given and writes report.md, results.json, results.csv and \
      chart.svg: the report one unsharded run writes, byte for byte apart from the timing line. Shards of other \
      inputs or another split are refused; a missing shard is named (with its log when a sweep wrote one) unless \
      --allow-partial, which lists its cells as not evaluated.
      """)

  @Argument(help: "Folders holding shard results (e.g. reports/<name>/shards).") var folders: [String]
  @Option(help: "Folder for the report (default: the folder holding shards/, else reports/<name>/).") var out: String?
  @Flag(help: "Write the report even if shards are missing, listing their cells as not evaluated.") var allowPartial = false
  @Flag(help: "Print only where the report went, not the report.") var quiet = false

  func validate() throws {
    guard !folders.isEmpty else { throw ValidationError("give at least one folder of shard results") }
  }

  func run() throws {
    let urls = folders.map { URL(fileURLWithPath: $0) }
    let folder: URL, missing: [Shard]
    if try StudyShardMerge.holdsStudyShards(urls) {
      let merged = try StudyShardMerge.merge(urls, allowPartial: allowPartial)
      folder = destination(urls, name: merged.report.name)
      missing = merged.missing
      try PriorStudy.write(merged.report, to: folder)
      if !quiet { print(merged.report.markdown()) }
    } else {
      let merged = try ShardMerge.merge(urls, allowPartial: allowPartial)
      folder = destination(urls, name: merged.report.name)
      missing = merged.missing
      try TransferExperiment.write(merged.report, to: folder)
      if !quiet { print(merged.report.markdown()) }
    }
    if !missing.isEmpty {
      let names = missing.map(\.description).joined(separator: ", ")
      print("Partial report: shards \(names) missing; their cells are listed as not evaluated.")
    }
    print("Report written to \(folder.path)/ (report.md, results.json, results.csv, chart.svg).")
  }

  private func destination(_ urls: [URL], name: String) -> URL {
    if let out { return URL(fileURLWithPath: out) }
    if urls[0].standardized.lastPathComponent == "shards" { return urls[0].standardized.deletingLastPathComponent() }
    return URL(fileURLWithPath: "reports/\(name)")
  }
}
