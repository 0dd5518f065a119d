import ArgumentParser
import EnvironmentCore
import Experiments
import Foundation
import Games
import Recording

struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Replay a plan file (action names separated by spaces or lines; # comments) on a platformer variant.")

  @OptionGroup var env: EnvironmentOption
  @Option(help: "Plan file written by `arcade solve --out`.") var actions: String
  @Option(parsing: .unconditional, help: "Seed (as for `arcade solve`).") var seed: UInt64 = 0
  @Option(help: "Also record the replay as an animated GIF.") var out: String?
  @Option(parsing: .unconditional, help: "GIF frames per second.") var fps = 15.0
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    if let out, !out.lowercased().hasSuffix(".gif") { throw ValidationError("--out must name a .gif file (got '\(out)')") }
    guard fps > 0 && fps <= 100 else { throw ValidationError("--fps must be in (0, 100] (got \(fps))") }
  }

  func run() throws {
    var (game, variant) = try platformer(env.id, seed: seed, files: project.files())
    let text = try String(decoding: project.files().read(URL(fileURLWithPath: actions)), as: UTF8.self)
    var plan: [Int] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      for word in code.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
        guard let index = PriorPlatformer.actionNames.firstIndex(of: word.uppercased()) else {
          throw ConfigurationError(file: actions, line: number + 1,
            "'\(word)' is not an action (valid: \(PriorPlatformer.actionNames.joined(separator: ", ")))")
        }
        plan.append(index)
      }
    }
    var total = 0.0, taken = 0
    var gif = out.map { _ in GIFEncoder(width: game.frameWidth, height: game.frameHeight, delayCentiseconds: GIFEncoder.delay(fps: fps)) }
    var frame = Frame(width: game.frameWidth, height: game.frameHeight)
    func record() {
      guard gif != nil else { return }
      frame.pixels.withUnsafeMutableBufferPointer { game.render(into: $0) }
      gif!.append(frame)
    }
    record()
    for action in plan where taken < variant.maxEpisodeSteps {
      let t = game.advance(action)
      total += t.reward
      taken += 1
      record()
      if t.isTerminal { break }
    }
    if let out, let gif {
      try AtomicFile.write(Data(gif.data()), to: URL(fileURLWithPath: out))
      print("wrote \(out): \(gif.frameCount) frames")
    }
    let ending = game.won ? "won" : game.isDone ? "died (\(game.cause.rawValue))" : "still playing"
    print("\(variant.id): \(ending) after \(taken) of \(plan.count) actions, return \(total)")
    if !game.won { throw ExitCode(2) }
  }
}
