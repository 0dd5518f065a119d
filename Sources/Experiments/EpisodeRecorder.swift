import Recording
import Agents
import EnvironmentCore
import Evaluation
import Foundation

/// Plays the episodes and keeps every frame: into a GIF encoded as it goes, and/or as PNG files.
public struct EpisodeRecorder: AgentVisitor {
  public let seeds: [UInt64]
  public let scale: Int
  /// GIF frame delay in hundredths of a second.
  public let delay: Int
  public let writesGIF: Bool
  public let framesFolder: URL?
  /// Whether the GIF is encoded on a second thread while the episodes play (the bytes are the same).
  public let encodesInBackground: Bool
  /// Draw what the agent expects over every frame (``PlanOverlay``), for agents that report a plan.
  public var overlay = false
  /// The whole recording, once `accept` returns.
  public private(set) var gif: GIFEncoder?
  public private(set) var frameCount = 0
  private var background: GIFBackgroundEncoder?

  /// By default the GIF is encoded in the background when the machine has more than one core.
  public init(seeds: [UInt64], scale: Int, delay: Int, writesGIF: Bool, framesFolder: URL? = nil,
              encodesInBackground: Bool = ProcessInfo.processInfo.activeProcessorCount > 1) {
    self.seeds = seeds
    self.scale = scale
    self.delay = delay
    self.writesGIF = writesGIF
    self.framesFolder = framesFolder
    self.encodesInBackground = encodesInBackground
  }

  public mutating func visit<E: Environment & Renderable, A: Agent>(environment: inout E, agent: inout A) throws -> [EpisodeRecord]
    where A.Observation == E.Observation {
    if let framesFolder { try FileManager.default.createDirectory(at: framesFolder, withIntermediateDirectories: true) }
    var records: [EpisodeRecord] = []
    // One buffer redrawn in place: a game that knows what moved repaints only that, and says where.
    var frame = Frame(width: 1, height: 1), drawing = FrameDrawing()
    for seed in seeds {
      records.append(try EpisodeRunner.run(&environment, agent: &agent, seed: seed) { environment, agent in
        guard overlay else {
          environment.redraw(into: &frame, drawing: &drawing)
          return try keep(frame, changedWithin: drawing.damage)
        }
        // The overlay changes pixels the game did not redraw: whole frames, compared whole.
        frame = environment.render()
        PlanOverlay.draw(&agent, on: &frame)
        try keep(frame, changedWithin: nil)
      })
    }
    if let background { gif = background.finish() }
    background = nil
    return records
  }

  private mutating func keep(_ frame: Frame, changedWithin damage: [FrameBox]?) throws {
    if writesGIF && encodesInBackground {
      if background == nil { background = GIFBackgroundEncoder(width: frame.width, height: frame.height, scale: scale, delayCentiseconds: delay) }
      background!.append(frame, changedWithin: damage)
    } else if writesGIF {
      if gif == nil { gif = GIFEncoder(width: frame.width, height: frame.height, scale: scale, delayCentiseconds: delay) }
      gif!.append(frame, changedWithin: damage)
    }
    if let framesFolder {
      let name = "frame-" + String(repeating: "0", count: max(0, 6 - String(frameCount).count)) + "\(frameCount).png"
      try AtomicFile.write(Data(frame.scaled(by: scale).pngData()), to: framesFolder.appendingPathComponent(name))
    }
    frameCount += 1
  }
}
