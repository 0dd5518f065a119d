import Dispatch
import EnvironmentCore

/// A vector environment behind a handle (``Batch`` overrides every method).
class VectorSession: Session {
  func reset(seed: UInt64?, observations: UnsafeMutableRawPointer?, lives: UnsafeMutablePointer<Int32>?) -> Int32 {
    Status.kind.rawValue
  }
  func step(_ actions: UnsafePointer<Int64>, _ buffers: StepBuffers) -> Int32 { Status.kind.rawValue }
}

/// The caller's output arrays of one batched step, one element (or observation slot) per copy.
struct StepBuffers: @unchecked Sendable {
  let observations: UnsafeMutableRawPointer?
  let rewards: UnsafeMutablePointer<Double>
  let terminated: UnsafeMutablePointer<UInt8>
  let truncated: UnsafeMutablePointer<UInt8>
  let lives: UnsafeMutablePointer<Int32>?
}

/// `count` copies of one game stepped together, each a ``Copy`` with its own seed stream, split into contiguous
/// blocks over `threads` workers. Results do not depend on `threads`. Stepping allocates nothing.
final class Batch<G: Game, F: ExportedForm>: VectorSession, @unchecked Sendable {
  let count: Int
  let threads: Int
  private let actionCount: Int
  private let copies: UnsafeMutablePointer<Copy<G, F>>
  /// ``stepNow(_:_:)`` as compiled for this `G` and `F` (why: ``Single/specialize()``).
  private var specializedStep: ((UnsafePointer<Int64>, StepBuffers) -> Int32)?
  private var started = false

  init(game: G, form: F, maxEpisodeSteps: Int, count: Int, threads: Int) {
    self.count = count
    self.threads = min(threads, count)
    actionCount = game.actionNames.count
    copies = .allocate(capacity: count)
    for i in 0..<count { (copies + i).initialize(to: Copy(game: game, form: form, maxEpisodeSteps: maxEpisodeSteps)) }
    super.init(plan: form.plan(for: game), actionNames: game.actionNames, frameSize: (game.frameHeight, game.frameWidth),
               maxEpisodeSteps: maxEpisodeSteps)
  }

  deinit {
    for i in 0..<count { copies[i].deallocate() }
    copies.deinitialize(count: count)
    copies.deallocate()
  }

  override func reset(seed: UInt64?, observations: UnsafeMutableRawPointer?, lives: UnsafeMutablePointer<Int32>?) -> Int32 {
    if observations == nil && plan.byteCount > 0 { return Status.null.rawValue }
    let bytes = plan.byteCount
    for i in 0..<count {
      copies[i].reset(seed: seed.map { $0 &+ UInt64(i) })
      copies[i].observe(into: observations.map { $0 + i * bytes }, plan)
      lives?[i] = Int32(truncatingIfNeeded: copies[i].game.lives)
    }
    started = true
    return Status.ok.rawValue
  }

  /// Stores the step as a closure formed where `G` and `F` are concrete (see ``Single/specialize()``).
  func specialize() {
    specializedStep = { [unowned(unsafe) self] in self.stepNow($0, $1) }
  }

  override func step(_ actions: UnsafePointer<Int64>, _ buffers: StepBuffers) -> Int32 {
    specializedStep?(actions, buffers) ?? stepNow(actions, buffers)
  }

  @inline(__always)
  func stepNow(_ actions: UnsafePointer<Int64>, _ buffers: StepBuffers) -> Int32 {
    if buffers.observations == nil && plan.byteCount > 0 { return Status.null.rawValue }
    for i in 0..<count where actions[i] < 0 || Int(actions[i]) >= actionCount { return Status.action.rawValue }
    guard started else { return Status.notReset.rawValue }
    let blocks = threads, n = count
    if blocks == 1 {
      stepBlock(0..<n, actions, buffers)
    } else {
      let shared = SharedBatch(batch: self, actions: actions)
      DispatchQueue.concurrentPerform(iterations: blocks) { b in
        shared.batch.stepBlock((b * n / blocks)..<((b + 1) * n / blocks), shared.actions, buffers)
      }
    }
    return Status.ok.rawValue
  }

  /// Steps copies `range`; each worker touches only its own copies and output elements.
  func stepBlock(_ range: Range<Int>, _ actions: UnsafePointer<Int64>, _ out: StepBuffers) {
    let bytes = plan.byteCount
    for i in range {
      let copy = copies + i
      var reward = 0.0, flags: Int32 = 0
      if copy.pointee.pendingReset {
        copy.pointee.reset(seed: nil)
      } else {
        (reward, flags) = copy.pointee.step(Int(actions[i]))
      }
      copy.pointee.observe(into: out.observations.map { $0 + i * bytes }, plan)
      out.rewards[i] = reward
      out.terminated[i] = UInt8(flags & 1)
      out.truncated[i] = UInt8(flags >> 1)
      out.lives?[i] = Int32(truncatingIfNeeded: copy.pointee.game.lives)
    }
  }
}

/// The batch and the actions, handed to workers that each step a disjoint block.
private struct SharedBatch<G: Game, F: ExportedForm>: @unchecked Sendable {
  let batch: Batch<G, F>
  let actions: UnsafePointer<Int64>
}
