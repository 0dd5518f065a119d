import ArgumentParser
import Evaluation
import Experiments
import Foundation

struct HumansReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "humans",
    abstract: "Summarise `arcade play --log` files: one file per player, a row per game.",
    discussion: """
      Per game: the number of players and episodes, then mean ± std over players of the time played (s), \
      the deaths (episodes not won) and the steps, the players who won, and a column for each extra measure \
      the game logs (totals per player) — the layout of the human-prior study's table.
      """)

  @Argument(help: "JSONL logs written by `arcade play --log`.") var logs: [String]
  @Option(help: "Also write the table to this Markdown file.") var out: String?

  func validate() throws {
    guard !logs.isEmpty else { throw ValidationError("give at least one log file") }
  }

  func run() throws {
    var players: [(name: String, episodes: [HumanEpisode])] = []
    for path in logs {
      let url = URL(fileURLWithPath: path)
      guard let data = FileManager.default.contents(atPath: url.path) else { throw ConfigurationError(file: path, "cannot be read (no such file)") }
      players.append((url.deletingPathExtension().lastPathComponent,
                      try HumanEpisode.read(String(decoding: data, as: UTF8.self), file: path)))
    }
    let table = try HumanStudyReport(players: players).markdown()
    if let out { try AtomicFile.write(table, to: URL(fileURLWithPath: out)) }
    print(table, terminator: "")
  }
}
