import EnvironmentCore

/// One environment's state: exactly `TimeLimit(GameEnvironment(game, form))` of EnvironmentCore (the same seed
/// stream and step cap), so a seed gives the trajectory `arcade rollout` plays.
struct Copy<G: Game, F: ExportedForm> {
  var game: G
  let form: F
  var seeds = SplitMix64(seed: 0)
  var limit: StepLimit
  var started = false
  /// The last step ended the episode: a vector's next step resets instead (Gymnasium's next-step auto-reset).
  var pendingReset = false

  init(game: G, form: F, maxEpisodeSteps: Int) {
    self.game = game
    self.form = form
    limit = StepLimit(maxEpisodeSteps: maxEpisodeSteps)
  }

  /// Scratch the form writes into before the observation is exported: ``ObservationForm/byteCount(for:)``
  /// bytes, rounded up to whole cache lines. Nothing in it outlives one observation, so copies can share one.
  static func scratchBytes(_ form: F, _ game: G) -> Int { (max(8, form.byteCount(for: game)) + 63) & ~63 }

  mutating func reset(seed: UInt64?) {
    if let seed { seeds = SplitMix64(seed: seed) }
    game.reset(seed: seeds.next())
    limit.restart()
    started = true
    pendingReset = false
  }

  /// Steps with a valid action; returns the reward and the flags (bit 0 terminated, bit 1 truncated).
  @inline(__always)
  mutating func step(_ action: Int) -> (reward: Double, flags: Int32) {
    let transition = game.advance(action)
    let outcome = limit.count(transition.isTerminal ? .terminated : .ongoing)
    pendingReset = outcome != .ongoing
    return (transition.reward, outcome == .terminated ? 1 : outcome == .truncated ? 2 : 0)
  }

  @inline(__always)
  mutating func observe(into out: UnsafeMutableRawPointer?, _ plan: ObservationPlan, scratch: UnsafeMutableRawBufferPointer) {
    guard let out, plan.byteCount > 0 else { return }
    if case .direct = plan.layout {
      // Half the memory traffic of writing the scratch and copying it, which is what bounds large frames.
      return form.write(&game, into: UnsafeMutableRawBufferPointer(start: out, count: plan.byteCount))
    }
    form.write(&game, into: scratch)
    plan.export(UnsafeRawPointer(scratch.baseAddress!), into: out)
  }

  /// ``observe(into:_:scratch:)``, then the packed observation kept in `mirror` for ``observeChanges(into:_:scratch:mirror:)``.
  @inline(__always)
  mutating func observe(into out: UnsafeMutableRawPointer?, _ plan: ObservationPlan, scratch: UnsafeMutableRawBufferPointer,
                        mirror: UnsafeMutableRawPointer) {
    observe(into: out, plan, scratch: scratch)
    plan.remember(UnsafeRawPointer(scratch.baseAddress!), in: mirror)
  }

  /// Writes the cells of the observation that differ from `mirror`, the packed form of what `out` holds.
  @inline(__always)
  mutating func observeChanges(into out: UnsafeMutableRawPointer, _ plan: ObservationPlan,
                               scratch: UnsafeMutableRawBufferPointer, mirror: UnsafeMutableRawPointer) {
    form.write(&game, into: scratch)
    plan.exportChanges(UnsafeRawPointer(scratch.baseAddress!), mirror: mirror, into: out)
  }
}

/// What every handle answers; subclasses are the two kinds. Classes rather than protocols so that the hot path
/// is a vtable call on a reference the registry hands out, with no existential boxing.
class Session {
  let plan: ObservationPlan
  let actionNames: [String]
  let frameSize: (height: Int, width: Int)
  let maxEpisodeSteps: Int

  init(plan: ObservationPlan, actionNames: [String], frameSize: (height: Int, width: Int), maxEpisodeSteps: Int) {
    self.plan = plan
    self.actionNames = actionNames
    self.frameSize = frameSize
    self.maxEpisodeSteps = maxEpisodeSteps
  }
}

/// A single environment behind a handle (``Single`` overrides every method).
class SingleSession: Session {
  func reset(seed: UInt64?, observation: UnsafeMutableRawPointer?) -> Int32 { Status.kind.rawValue }
  func step(_ action: Int64, observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>?) -> Int32 { Status.kind.rawValue }
  func bind(observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>?) -> Int32 { Status.kind.rawValue }
  func stepBound(_ action: Int64) -> Int32 { Status.kind.rawValue }
  func render(into rgb: UnsafeMutablePointer<UInt8>) -> Int32 { Status.kind.rawValue }
  var lives: Int { 0 }
}

final class Single<G: Game, F: ExportedForm>: SingleSession {
  /// Behind a pointer: a stored `var` of a class would pay a dynamic exclusivity check on every access.
  private let copy: UnsafeMutablePointer<Copy<G, F>>
  private let scratch: UnsafeMutableRawBufferPointer
  private let actionCount: Int
  private var boundObservation: UnsafeMutableRawPointer?
  private var boundOut: UnsafeMutablePointer<Double>?
  /// ``stepNow(_:observation:out:)`` as compiled for this `G` and `F`; ``Factory`` sets it (see ``specialize()``).
  private var specializedStep: ((Int64, UnsafeMutableRawPointer?, UnsafeMutablePointer<Double>?) -> Int32)?

  init(game: G, form: F, maxEpisodeSteps: Int) {
    copy = .allocate(capacity: 1)
    copy.initialize(to: Copy(game: game, form: form, maxEpisodeSteps: maxEpisodeSteps))
    let bytes = Copy<G, F>.scratchBytes(form, game)
    scratch = .allocate(byteCount: bytes, alignment: 64)
    scratch.initializeMemory(as: UInt8.self, repeating: 0)
    actionCount = game.actionNames.count
    super.init(plan: form.plan(for: game), actionNames: game.actionNames, frameSize: (game.frameHeight, game.frameWidth),
               maxEpisodeSteps: maxEpisodeSteps)
  }

  deinit {
    scratch.deallocate()
    copy.deinitialize(count: 1)
    copy.deallocate()
  }

  override var lives: Int { copy.pointee.game.lives }

  override func reset(seed: UInt64?, observation: UnsafeMutableRawPointer?) -> Int32 {
    if observation == nil && plan.byteCount > 0 { return Status.null.rawValue }
    copy.pointee.reset(seed: seed)
    copy.pointee.observe(into: observation, plan, scratch: scratch)
    return Status.ok.rawValue
  }

  /// Stores the step as a closure formed where `G` and `F` are concrete types. Overrides of a generic class run
  /// unspecialised generic code (its vtable holds the generic body): witness calls and a copy of the game's value per
  /// step. Call this from code specialised for the concrete types.
  func specialize() {
    specializedStep = { [unowned(unsafe) self] in self.stepNow($0, observation: $1, out: $2) }
  }

  override func step(_ action: Int64, observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>?) -> Int32 {
    specializedStep?(action, observation, out) ?? stepNow(action, observation: observation, out: out)
  }

  @inline(__always)
  func stepNow(_ action: Int64, observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>?) -> Int32 {
    guard let out, observation != nil || plan.byteCount == 0 else { return Status.null.rawValue }
    guard action >= 0 && action < Int64(actionCount) else { return Status.action.rawValue }
    guard copy.pointee.started else { return Status.notReset.rawValue }
    let (reward, flags) = copy.pointee.step(Int(action))
    copy.pointee.observe(into: observation, plan, scratch: scratch)
    let lives = copy.pointee.game.lives
    out[0] = reward
    out[1] = Double(lives)
    // Lives ride along in the status so a binding reads one number less per step.
    return flags | Int32(clamping: min(max(lives, 0), 1 << 20)) << 2
  }

  override func bind(observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>?) -> Int32 {
    guard let out, observation != nil || plan.byteCount == 0 else { return Status.null.rawValue }
    (boundObservation, boundOut) = (observation, out)
    return Status.ok.rawValue
  }

  override func stepBound(_ action: Int64) -> Int32 {
    guard let boundOut else { return Status.notBound.rawValue }
    return step(action, observation: boundObservation, out: boundOut)
  }

  override func render(into rgb: UnsafeMutablePointer<UInt8>) -> Int32 {
    guard copy.pointee.started else { return Status.notReset.rawValue }
    copy.pointee.game.render(into: UnsafeMutableBufferPointer(start: rgb, count: frameSize.width * frameSize.height * 3))
    return Status.ok.rawValue
  }
}
