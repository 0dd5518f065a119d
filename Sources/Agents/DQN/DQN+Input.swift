import EnvironmentCore

/// Observations a ``DQN`` can learn from: their bytes are the replay frame.
public protocol FrameBytes: Sendable {
  func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

/// Observations that tell the decoder turning their bytes into network inputs (a grid its layout, a frame its size).
public protocol DecodableFrame: FrameBytes {
  /// The decoder for frames like this one under `configuration` (which planes, what size).
  func decoder(for configuration: DQNConfiguration) throws(AgentMismatch) -> any FrameDecoder
}

extension GridObservation: DecodableFrame {
  public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try words.withUnsafeBytes(body) }

  /// The planes named in `inputPlanes` (every plane but void when empty), as 0/1 inputs.
  public func decoder(for configuration: DQNConfiguration) throws(AgentMismatch) -> any FrameDecoder {
    try GridBitsDecoder(layout: layout, kinds: configuration.inputPlanes)
  }
}

extension Frame: DecodableFrame {
  public func withFrameBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try pixels.withUnsafeBytes(body) }

  /// Red, green and blue intensity planes of this frame's size.
  public func decoder(for configuration: DQNConfiguration) throws(AgentMismatch) -> any FrameDecoder {
    PixelsDecoder(width: width, height: height)
  }
}

/// An observation form whose observations a ``DQN`` stores as replay frames.
public protocol DQNInputForm: ObservationForm where Observation: DecodableFrame {}
extension Grid: DQNInputForm {}
extension Pixels: DQNInputForm {}

/// Code that runs with the observation form a ``DQNConfiguration`` asks for, typed concretely (the forms are
/// different types, so they are handed to a visitor rather than returned). The visitor makes the environment
/// and builds the decoder from its first observation (``FrameBytes/decoder(for:)``): the learner itself never
/// sees the game.
public protocol DQNInputVisitor {
  associatedtype Result
  mutating func visit<F: DQNInputForm>(form: F) throws -> Result
}

extension DQNConfiguration {
  /// Hands `visitor` the observation form this configuration asks for (`observation`, `gridPool`, `pixelSize`):
  /// the one place that picks it, for training, playing and benchmarks alike. Throws ``AgentMismatch`` when the
  /// settings are invalid.
  public func withInputForm<V: DQNInputVisitor>(_ visitor: inout V) throws -> V.Result {
    // Presets are checked when read; this catches configurations built in code before `Pixels` traps on them.
    if let bad = problems().first(where: { ["gridPool", "pixelSize"].contains($0.key) }) {
      throw AgentMismatch(description: "\(bad.key) \(bad.value) \(bad.reason)")
    }
    switch observation {
    case .grid: return try visitor.visit(form: Grid(pool: gridPool))
    case .pixels:
      switch pixelSize {
      case .full: return try visitor.visit(form: Pixels())
      case .downsampled(let width, let height): return try visitor.visit(form: Pixels(width: width, height: height))
      }
    }
  }

  /// The decoder for `observation` under this configuration, after checking that the convolutions fit its frames.
  public func decoder(for observation: some DecodableFrame) throws(AgentMismatch) -> any FrameDecoder {
    let decoder = try observation.decoder(for: self)
    if let problem = DQN.convolutionProblem(configuration: self, frameShape: decoder.frameShape) {
      throw AgentMismatch(description: problem)
    }
    if let problem = DQN.sizeProblem(configuration: self, frameShape: decoder.frameShape, frameBytes: decoder.frameBytes) {
      throw AgentMismatch(description: problem)
    }
    return decoder
  }
}
