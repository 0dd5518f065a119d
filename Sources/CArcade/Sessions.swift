import EnvironmentCore

/// One environment's state: exactly `TimeLimit(GameEnvironment(game, form))` of EnvironmentCore (the same seed
/// stream and step cap), so a seed gives the trajectory `arcade rollout` plays, plus a scratch slot the form
/// writes into before the observation is exported.
struct Copy<G: Game, F: ExportedForm> {
  var game: G
  let form: F
  var seeds = SplitMix64(seed: 0)
  var limit: StepLimit
  var started = false
  /// The last step ended the episode: a vector's next step resets instead (Gymnasium's next-step auto-reset).
  var pendingReset = false
  let slot: UnsafeMutableRawBufferPointer

  init(game: G, form: F, maxEpisodeSteps: Int) {
    self.game = game
    self.form = form
    limit = StepLimit(maxEpisodeSteps: maxEpisodeSteps)
    slot = .allocate(byteCount: max(8, form.byteCount(for: game)), alignment: 64)
    slot.initializeMemory(as: UInt8.self, repeating: 0)
  }

  func deallocate() { slot.deallocate() }

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
  mutating func observe(into out: UnsafeMutableRawPointer?, _ plan: ObservationPlan) {
    guard let out, plan.byteCount > 0 else { return }
    form.write(&game, into: slot)
    plan.export(UnsafeRawPointer(slot.baseAddress!), into: out)
  }
}

/// What every handle answers.
protocol Session: AnyObject {
  var plan: ObservationPlan { get }
  var actionNames: [String] { get }
  var frameSize: (height: Int, width: Int) { get }
  var maxEpisodeSteps: Int { get }
}

/// A single environment behind a handle.
protocol SingleSession: Session {
  func reset(seed: UInt64?, observation: UnsafeMutableRawPointer?) -> Int32
  func step(_ action: Int32, observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>?) -> Int32
  func bind(observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>?) -> Int32
  func stepBound(_ action: Int32) -> Int32
  func render(into rgb: UnsafeMutablePointer<UInt8>) -> Int32
  var lives: Int { get }
}

final class Single<G: Game, F: ExportedForm>: SingleSession {
  private var copy: Copy<G, F>
  let plan: ObservationPlan
  let actionNames: [String]
  let maxEpisodeSteps: Int
  private let actionCount: Int
  private var bound: (observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>)?

  init(game: G, form: F, maxEpisodeSteps: Int) {
    copy = Copy(game: game, form: form, maxEpisodeSteps: maxEpisodeSteps)
    plan = form.plan(for: game)
    actionNames = game.actionNames
    actionCount = actionNames.count
    self.maxEpisodeSteps = maxEpisodeSteps
  }

  deinit { copy.deallocate() }

  var frameSize: (height: Int, width: Int) { (copy.game.frameHeight, copy.game.frameWidth) }
  var lives: Int { copy.game.lives }

  func reset(seed: UInt64?, observation: UnsafeMutableRawPointer?) -> Int32 {
    if observation == nil && plan.byteCount > 0 { return Status.null.rawValue }
    copy.reset(seed: seed)
    copy.observe(into: observation, plan)
    return Status.ok.rawValue
  }

  func step(_ action: Int32, observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>?) -> Int32 {
    guard let out, observation != nil || plan.byteCount == 0 else { return Status.null.rawValue }
    guard action >= 0 && Int(action) < actionCount else { return Status.action.rawValue }
    guard copy.started else { return Status.notReset.rawValue }
    let (reward, flags) = copy.step(Int(action))
    copy.observe(into: observation, plan)
    out[0] = reward
    out[1] = Double(copy.game.lives)
    return flags
  }

  func bind(observation: UnsafeMutableRawPointer?, out: UnsafeMutablePointer<Double>?) -> Int32 {
    guard let out, observation != nil || plan.byteCount == 0 else { return Status.null.rawValue }
    bound = (observation, out)
    return Status.ok.rawValue
  }

  func stepBound(_ action: Int32) -> Int32 {
    guard let bound else { return Status.notBound.rawValue }
    return step(action, observation: bound.observation, out: bound.out)
  }

  func render(into rgb: UnsafeMutablePointer<UInt8>) -> Int32 {
    guard copy.started else { return Status.notReset.rawValue }
    copy.game.render(into: UnsafeMutableBufferPointer(start: rgb, count: copy.game.frameWidth * copy.game.frameHeight * 3))
    return Status.ok.rawValue
  }
}
