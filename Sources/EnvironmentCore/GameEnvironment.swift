/// A ``Game`` seen through one ``ObservationForm``: the Gymnasium-style ``Environment`` over it.
///
/// `reset(seed:)` with a seed restarts the environment's seed stream from it; `reset(seed: nil)` takes the
/// next episode seed from that stream, so a run of many episodes is fixed by its first seed.
public struct GameEnvironment<G: Game, Form: ObservationForm>: Environment {
  public typealias Observation = Form.Observation

  /// The game, readable for status lines and tests.
  public private(set) var game: G
  public let form: Form
  private var seeds: SplitMix64
  private var buffer: [UInt64]

  public init(game: G, form: Form) {
    self.game = game
    self.form = form
    seeds = SplitMix64(seed: 0)
    buffer = [UInt64](repeating: 0, count: max(1, form.byteCount(for: game) / 8))
  }

  public var actionNames: [String] { game.actionNames }
  public var lives: Int? { game.lives }

  public mutating func reset(seed: UInt64?) -> Form.Observation {
    if let seed { seeds = SplitMix64(seed: seed) }
    game.reset(seed: seeds.next())
    return observe()
  }

  public mutating func step(_ action: Int) -> Step<Form.Observation> {
    precondition(action >= 0 && action < game.actionNames.count,
                 "illegal action \(action): valid actions are 0..<\(game.actionNames.count) \(game.actionNames)")
    let transition = game.advance(action)
    return Step(observation: observe(), reward: transition.reward,
                outcome: transition.isTerminal ? .terminated : .ongoing)
  }

  private mutating func observe() -> Form.Observation {
    let needed = form.byteCount(for: game) / 8
    if buffer.count < needed { buffer = [UInt64](repeating: 0, count: needed) }
    // Swapped out of `self` so the game and the buffer can be borrowed together.
    var scratch = [UInt64]()
    swap(&scratch, &buffer)
    defer { swap(&scratch, &buffer) }
    return scratch.withUnsafeMutableBytes { raw in
      form.write(&game, into: raw)
      return form.read(UnsafeRawBufferPointer(raw), for: game)
    }
  }
}

/// The one rule of truncation: an episode still going after `maxEpisodeSteps` steps is cut short.
///
/// ``TimeLimit`` applies it to an environment and ``VectorEnvironment`` to each of its copies; nothing else in the
/// project produces ``Outcome/truncated``.
public struct StepLimit: Sendable, Hashable {
  public let maxEpisodeSteps: Int
  @usableFromInline var elapsed = 0

  public init(maxEpisodeSteps: Int) {
    precondition(maxEpisodeSteps > 0, "maxEpisodeSteps must be positive")
    self.maxEpisodeSteps = maxEpisodeSteps
  }

  /// Steps taken in the current episode.
  public var elapsedSteps: Int { elapsed }

  /// Starts counting a new episode.
  @inlinable
  public mutating func restart() { elapsed = 0 }

  /// Counts a step whose game outcome was `outcome`; returns it, or ``Outcome/truncated`` when the limit cuts the
  /// episode there.
  @inlinable
  public mutating func count(_ outcome: Outcome) -> Outcome {
    elapsed += 1
    return outcome == .ongoing && elapsed >= maxEpisodeSteps ? .truncated : outcome
  }
}

/// Ends episodes that run longer than `maxEpisodeSteps` with ``Outcome/truncated`` (Gymnasium's `TimeLimit`),
/// by the rule of ``StepLimit``.
public struct TimeLimit<Base: Environment>: Environment {
  public var base: Base
  private var limit: StepLimit

  public init(_ base: Base, maxEpisodeSteps: Int) {
    self.base = base
    limit = StepLimit(maxEpisodeSteps: maxEpisodeSteps)
  }

  public var maxEpisodeSteps: Int { limit.maxEpisodeSteps }
  /// Steps taken in the current episode.
  public var elapsedSteps: Int { limit.elapsedSteps }
  public var actionNames: [String] { base.actionNames }
  public var lives: Int? { base.lives }

  public mutating func reset(seed: UInt64?) -> Base.Observation {
    limit.restart()
    return base.reset(seed: seed)
  }

  public mutating func step(_ action: Int) -> Step<Base.Observation> {
    var step = base.step(action)
    step.outcome = limit.count(step.outcome)
    return step
  }
}

/// An environment that can draw its current state (for recordings, figures and viewers).
public protocol Renderable {
  /// The current state as an RGB frame.
  mutating func render() -> Frame
  /// Draws the current state into `frame`, which holds the drawing `drawing` describes (see
  /// ``Game/redraw(into:drawing:)``), reusing its buffer: recorders draw every step, and where the game
  /// allows, repaint only what moved and learn where from `drawing.damage`.
  mutating func redraw(into frame: inout Frame, drawing: inout FrameDrawing)
}

extension Renderable {
  public mutating func redraw(into frame: inout Frame, drawing: inout FrameDrawing) {
    frame = render()
    drawing = FrameDrawing()
  }
}

extension GameEnvironment: Renderable {
  public mutating func render() -> Frame {
    var frame = Frame(width: game.frameWidth, height: game.frameHeight)
    frame.pixels.withUnsafeMutableBufferPointer { game.render(into: $0) }
    return frame
  }

  public mutating func redraw(into frame: inout Frame, drawing: inout FrameDrawing) {
    if frame.width != game.frameWidth || frame.height != game.frameHeight {
      frame = Frame(width: game.frameWidth, height: game.frameHeight)
      drawing = FrameDrawing()
    }
    frame.pixels.withUnsafeMutableBufferPointer { game.redraw(into: $0, drawing: &drawing) }
  }
}

extension TimeLimit: Renderable where Base: Renderable {
  public mutating func render() -> Frame { base.render() }
  public mutating func redraw(into frame: inout Frame, drawing: inout FrameDrawing) { base.redraw(into: &frame, drawing: &drawing) }
}
