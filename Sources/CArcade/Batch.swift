import Dispatch
import EnvironmentCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A vector environment behind a handle (``Batch`` overrides every method).
class VectorSession: Session {
  func reset(seed: UInt64?, observations: UnsafeMutableRawPointer?, lives: UnsafeMutablePointer<Int32>?) -> Int32 {
    Status.kind.rawValue
  }
  func step(_ actions: UnsafePointer<Int64>, _ buffers: StepBuffers) -> Int32 { Status.kind.rawValue }
  func bind(_ buffers: StepBuffers) -> Int32 { Status.kind.rawValue }
  func stepBound(_ actions: UnsafePointer<Int64>) -> Int32 { Status.kind.rawValue }
}

/// The caller's output arrays of one batched step, one element (or observation slot) per copy.
struct StepBuffers: @unchecked Sendable {
  let observations: UnsafeMutableRawPointer?
  let rewards: UnsafeMutablePointer<Double>
  let terminated: UnsafeMutablePointer<UInt8>
  let truncated: UnsafeMutablePointer<UInt8>
  let lives: UnsafeMutablePointer<Int32>?
}

/// `count` copies of one game stepped together, each a ``Copy`` with its own seed stream, cut into contiguous
/// chunks that `threads` workers (a ``WorkerPool``) claim. Results do not depend on `threads`. Stepping allocates nothing.
final class Batch<G: Game, F: ExportedForm>: VectorSession, @unchecked Sendable {
  let count: Int
  let threads: Int
  private let actionCount: Int
  private let copies: UnsafeMutablePointer<Copy<G, F>>
  /// Chunks of the step: a few per thread, so a thread that starts late costs only part of its share.
  private let chunks: Int
  /// One form scratch per chunk, `scratchBytes` apart: a worker writes every observation of its chunk through the
  /// same few cache lines instead of a cold slot per copy.
  private let scratch: UnsafeMutableRawPointer
  private let scratchBytes: Int
  /// For grids: each copy's last observation as packed planes, ``ObservationPlan/mirrorBytes`` apart, valid while
  /// `mirrored` is the buffer that holds those observations. Steps into it then write only the cells that changed.
  private let mirror: UnsafeMutableRawPointer?
  private var mirrored: UnsafeMutableRawPointer?
  /// The buffers of ``bind(_:)``, which only the library writes.
  private var bound: StepBuffers?
  /// ``stepNow(_:_:export:)`` as compiled for this `G` and `F` (why: ``Single/specialize()``).
  private var specializedStep: ((UnsafePointer<Int64>, StepBuffers, Export) -> Int32)?
  private var started = false
  /// The workers, made by ``specialize()`` (or the first step) so that their blocks run specialised code.
  private var pool: WorkerPool?
  /// The step in progress, read by every worker.
  private var pending: (actions: UnsafePointer<Int64>, buffers: StepBuffers, export: Export)?

  /// How a step writes observations: every cell; every cell and the mirror; or the changed cells only.
  enum Export { case full, fullMirrored, changes }

  init(game: G, form: F, maxEpisodeSteps: Int, count: Int, threads: Int) {
    self.count = count
    // Spinning helpers beyond the cores would take turns on them instead of working: results are the same for any
    // count, so more threads than cores are fewer.
    self.threads = max(1, min(threads, count, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    actionCount = game.actionNames.count
    copies = .allocate(capacity: count)
    for i in 0..<count { (copies + i).initialize(to: Copy(game: game, form: form, maxEpisodeSteps: maxEpisodeSteps)) }
    chunks = min(count, self.threads * 4)
    scratchBytes = Copy<G, F>.scratchBytes(form, game)
    scratch = .allocate(byteCount: chunks * scratchBytes, alignment: 64)
    scratch.initializeMemory(as: UInt8.self, repeating: 0, count: chunks * scratchBytes)
    let plan = form.plan(for: game)
    mirror = plan.mirrorBytes > 0 ? .allocate(byteCount: count * plan.mirrorBytes, alignment: 64) : nil
    super.init(plan: plan, actionNames: game.actionNames, frameSize: (game.frameHeight, game.frameWidth),
               maxEpisodeSteps: maxEpisodeSteps)
  }

  deinit {
    pool = nil  // joins the helpers before the memory they use goes
    scratch.deallocate()
    mirror?.deallocate()
    copies.deinitialize(count: count)
    copies.deallocate()
  }

  override func reset(seed: UInt64?, observations: UnsafeMutableRawPointer?, lives: UnsafeMutablePointer<Int32>?) -> Int32 {
    if observations == nil && plan.byteCount > 0 { return Status.null.rawValue }
    let bytes = plan.byteCount
    for i in 0..<count {
      copies[i].reset(seed: seed.map { $0 &+ UInt64(i) })
      copies[i].observe(into: observations.map { $0 + i * bytes }, plan, scratch: scratch(0))
      lives?[i] = Int32(truncatingIfNeeded: copies[i].game.lives)
    }
    started = true
    mirrored = nil
    return Status.ok.rawValue
  }

  /// Stores the step as a closure formed where `G` and `F` are concrete (see ``Single/specialize()``).
  func specialize() {
    specializedStep = { [unowned(unsafe) self] in self.stepNow($0, $1, export: $2) }
    pool = makePool()
  }

  @inline(__always)
  private func makePool() -> WorkerPool {
    WorkerPool(threads: threads, chunks: chunks) { [unowned(unsafe) self] c in
      guard let (actions, buffers, export) = self.pending else { return }
      self.stepChunk(c, actions, buffers, export)
    }
  }

  private func scratch(_ chunk: Int) -> UnsafeMutableRawBufferPointer {
    UnsafeMutableRawBufferPointer(start: scratch + chunk * scratchBytes, count: scratchBytes)
  }

  override func step(_ actions: UnsafePointer<Int64>, _ buffers: StepBuffers) -> Int32 {
    let status = specializedStep?(actions, buffers, .full) ?? stepNow(actions, buffers, export: .full)
    // The caller may write into its buffer before the next call: the mirror no longer describes it.
    if status == Status.ok.rawValue { mirrored = nil }
    return status
  }

  override func bind(_ buffers: StepBuffers) -> Int32 {
    if buffers.observations == nil && plan.byteCount > 0 { return Status.null.rawValue }
    bound = buffers
    mirrored = nil
    return Status.ok.rawValue
  }

  override func stepBound(_ actions: UnsafePointer<Int64>) -> Int32 {
    guard let bound else { return Status.notBound.rawValue }
    let export: Export = mirror == nil ? .full : mirrored == bound.observations ? .changes : .fullMirrored
    let status = specializedStep?(actions, bound, export) ?? stepNow(actions, bound, export: export)
    if status == Status.ok.rawValue && mirror != nil { mirrored = bound.observations }
    return status
  }

  @inline(__always)
  func stepNow(_ actions: UnsafePointer<Int64>, _ buffers: StepBuffers, export: Export) -> Int32 {
    if buffers.observations == nil && plan.byteCount > 0 { return Status.null.rawValue }
    for i in 0..<count where actions[i] < 0 || Int(actions[i]) >= actionCount { return Status.action.rawValue }
    guard started else { return Status.notReset.rawValue }
    if threads == 1 {
      for c in 0..<chunks { stepChunk(c, actions, buffers, export) }
    } else {
      if pool == nil { pool = makePool() }
      pending = (actions, buffers, export)
      pool!.run()
      pending = nil
    }
    return Status.ok.rawValue
  }

  /// Steps the copies of `chunk`; each worker touches only its own copies, scratch and output elements.
  func stepChunk(_ chunk: Int, _ actions: UnsafePointer<Int64>, _ out: StepBuffers, _ export: Export) {
    let bytes = plan.byteCount, scratch = scratch(chunk), mirrorBytes = plan.mirrorBytes
    for i in (chunk * count / chunks)..<((chunk + 1) * count / chunks) {
      let copy = copies + i
      var reward = 0.0, flags: Int32 = 0
      if copy.pointee.pendingReset {
        copy.pointee.reset(seed: nil)
      } else {
        (reward, flags) = copy.pointee.step(Int(actions[i]))
      }
      let observation = out.observations.map { $0 + i * bytes }
      switch export {
      case .full: copy.pointee.observe(into: observation, plan, scratch: scratch)
      case .fullMirrored: copy.pointee.observe(into: observation, plan, scratch: scratch, mirror: mirror! + i * mirrorBytes)
      case .changes: copy.pointee.observeChanges(into: observation!, plan, scratch: scratch, mirror: mirror! + i * mirrorBytes)
      }
      out.rewards[i] = reward
      out.terminated[i] = UInt8(flags & 1)
      out.truncated[i] = UInt8(flags >> 1)
      out.lives?[i] = Int32(truncatingIfNeeded: copy.pointee.game.lives)
    }
  }
}
