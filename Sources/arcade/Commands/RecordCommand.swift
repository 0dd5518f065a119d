import Agents
import ArgumentParser
import EnvironmentCore
import Evaluation
import Experiments
import Foundation
import Recording

struct RecordCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record",
    abstract: "Record episodes of an agent as an animated GIF (and/or numbered PNG frames); no window needed.",
    discussion: """
      Plays the same episodes as `arcade rollout` with the same --seed (episode i is reset with a seed \
      derived from (--seed, i)) and keeps every frame: the first of each episode, then one per step. \
      The GIF's palette is built from the game's colours (exact up to 256 colours) and it loops forever.
      """)

  @OptionGroup var env: EnvironmentOption
  @OptionGroup var agent: AgentOption<TrackerAgentDefault>
  @Option(parsing: .unconditional, help: "Number of episodes.") var episodes = 1
  @Option(parsing: .unconditional, help: "Seed of the run.") var seed: UInt64 = 0
  @Option(help: "Output GIF file.") var out: String?
  @Option(parsing: .unconditional, help: "Enlarge each pixel to a scale × scale block.") var scale = 2
  @Option(parsing: .unconditional, help: "Frames per second of the GIF (1–50; GIF delays are hundredths of a second).") var fps = 30.0
  @Option(parsing: .unconditional, help: "Step cap per episode (default: the variant file's maxEpisodeSteps).") var maxSteps: Int?
  @Option(help: "Also write numbered PNG frames (frame-000000.png, …) into this folder.") var frames: String?
  @Flag(help: "Draw what the agent expects: the balls' predicted paths and its planned paddle target (schema agents).")
  var overlay = false
  @OptionGroup var project: ProjectOptions

  func validate() throws {
    try Bounds.check("episodes", episodes, Bounds.episodes)
    guard (1...16).contains(scale) else { throw ValidationError("--scale must be between 1 and 16 (got \(scale))") }
    guard fps >= 1 && fps <= 50 else { throw ValidationError("--fps must be between 1 and 50 (got \(fps))") }
    try Bounds.check("max-steps", maxSteps, Bounds.episodeSteps)
    guard out != nil || frames != nil else { throw ValidationError("give --out FILE.gif, --frames DIR, or both") }
    if let out, !out.lowercased().hasSuffix(".gif") { throw ValidationError("--out must name a .gif file (got '\(out)')") }
  }

  func run() throws {
    let files = try project.files()
    let variant = try EnvironmentRegistry(files: files).load(env.id)
    let preset = try agent.preset(files: files)
    let game = variant.makeGame()
    try Bounds.checkPicture(width: game.frameWidth, height: game.frameHeight, scale: scale)
    var recorder = EpisodeRecorder(seeds: (0..<episodes).map { SplitMix64.derive(seed, UInt64($0)) },
                            scale: scale, delay: GIFEncoder.delay(fps: fps), writesGIF: out != nil,
                            framesFolder: frames.map { URL(fileURLWithPath: $0) })
    recorder.overlay = overlay
    let records = try preset.accept(&recorder, game: variant.makeGame(), maxEpisodeSteps: maxSteps ?? variant.maxEpisodeSteps)
    var parts: [String] = []
    if let out, let gif = recorder.gif {
      let bytes = gif.data()
      try AtomicFile.write(Data(bytes), to: URL(fileURLWithPath: out))
      parts.append("wrote \(out) (\(gif.width * scale)×\(gif.height * scale) px, \(Self.size(bytes.count)))")
    }
    if let frames { parts.append("wrote \(recorder.frameCount) PNG frames to \(frames)/") }
    let returns = records.map { Summary.fixed($0.totalReward, 1) }.joined(separator: ", ")
    print("\(parts.joined(separator: "; ")): \(variant.id) · \(preset.name) · \(records.count) episode\(records.count == 1 ? "" : "s"), "
          + "\(recorder.frameCount) frames, returns \(returns)")
  }

  static func size(_ bytes: Int) -> String {
    bytes < 10_000 ? "\(bytes) bytes" : "\(Summary.fixed(Double(bytes) / 1000, bytes < 1_000_000 ? 0 : 1)) KB"
  }
}
