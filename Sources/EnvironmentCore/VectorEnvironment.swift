import Dispatch

/// `count` copies of a game stepped together, with same-step auto-reset, writing every observation into
/// one contiguous batch buffer (EnvPool's layout).
///
/// Each copy owns its seed stream (derived from the vector's seed and the copy's index) and its own
/// random-policy stream, so results are bit-identical whatever `threads` is: threads only decide which
/// worker steps which contiguous block of copies.
///
/// Each copy's episodes are capped at `maxEpisodeSteps` by ``StepLimit``, the rule ``TimeLimit`` applies.
/// When an episode ends the copy is reset at once; its batch slot then holds the first observation of
/// the next episode, and the observation that ended the episode is kept in ``finalObservation(_:)``.
///
/// Threads pay off only with tens of microseconds of work per call (platform notes, Q5): ``step(_:)``
/// synchronises every step, ``runRandomPolicy(stepsPerEnvironment:)`` lets each worker run its block freely.
public final class VectorEnvironment<G: Game, Form: ObservationForm> {
  public let count: Int
  public let form: Form
  public let maxEpisodeSteps: Int
  /// Worker threads (1 = step on the calling thread).
  public var threads: Int
  /// Bytes of one observation slot.
  public let slotBytes: Int

  private var copies: [VectorCopy<G>]
  private let storage: UnsafeMutableRawBufferPointer
  private let finalStorage: UnsafeMutableRawBufferPointer

  /// Makes `count` copies of `game` with episode seeds derived from `seed`.
  public init(game: G, count: Int, form: Form, seed: UInt64, maxEpisodeSteps: Int, threads: Int = 1) {
    precondition(count >= 1, "a vector environment needs at least one copy")
    precondition(maxEpisodeSteps >= 1, "maxEpisodeSteps must be positive")
    self.count = count
    self.form = form
    self.maxEpisodeSteps = maxEpisodeSteps
    self.threads = max(1, threads)
    copies = (0..<count).map {
      VectorCopy(game: game, seeds: SplitMix64(seed: SplitMix64.derive(seed, UInt64($0))),
                 policy: SplitMix64(seed: SplitMix64.derive(~seed, UInt64($0))), limit: StepLimit(maxEpisodeSteps: maxEpisodeSteps))
    }
    slotBytes = max(8, form.byteCount(for: game))
    storage = .allocate(byteCount: slotBytes * count, alignment: 64)
    finalStorage = .allocate(byteCount: slotBytes * count, alignment: 64)
    storage.initializeMemory(as: UInt8.self, repeating: 0)
    finalStorage.initializeMemory(as: UInt8.self, repeating: 0)
    reset()
  }

  deinit {
    storage.deallocate()
    finalStorage.deallocate()
  }

  public var actionNames: [String] { copies[0].game.actionNames }
  /// Reward of each copy's last step.
  public var rewards: [Double] { copies.map(\.reward) }
  /// Outcome of each copy's last step.
  public var outcomes: [Outcome] { copies.map(\.outcome) }
  /// Steps taken so far in each copy's current episode.
  public var elapsedSteps: [Int] { copies.map(\.limit.elapsedSteps) }
  /// Return of each copy's most recently finished episode.
  public var lastEpisodeReturns: [Double] { copies.map(\.lastReturn) }
  /// Episodes each copy has finished.
  public var finishedEpisodes: [Int] { copies.map(\.finished) }

  /// The contiguous batch buffer: `count` slots of ``slotBytes`` bytes.
  public var observationBuffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(storage) }

  /// The current observation of copy `index`.
  public func observation(_ index: Int) -> Form.Observation {
    form.read(UnsafeRawBufferPointer(rebasing: storage[slot(index)]), for: copies[index].game)
  }

  /// The observation that ended copy `index`'s last finished episode.
  public func finalObservation(_ index: Int) -> Form.Observation {
    form.read(UnsafeRawBufferPointer(rebasing: finalStorage[slot(index)]), for: copies[index].game)
  }

  /// A snapshot of copy `index`'s game.
  public func game(_ index: Int) -> G { copies[index].game }

  private func slot(_ index: Int) -> Range<Int> { index * slotBytes..<(index + 1) * slotBytes }

  /// Starts a fresh episode in every copy.
  public func reset() {
    for i in 0..<count {
      copies[i].reset(form: form, slot: UnsafeMutableRawBufferPointer(rebasing: storage[slot(i)]))
    }
  }

  /// Steps every copy once with `actions[i]`, auto-resetting finished episodes.
  public func step(_ actions: [Int]) {
    precondition(actions.count == count, "expected \(count) actions, got \(actions.count)")
    let legal = copies[0].game.actionNames.count
    for a in actions { precondition(a >= 0 && a < legal, "illegal action \(a): valid actions are 0..<\(legal)") }
    actions.withUnsafeBufferPointer { chosen in
      let chosen = SendablePointer(chosen.baseAddress!)
      forEachBlock { block, range in
        for i in range { _ = block.copies[i].step(chosen.pointer[i], block.context(i)) }
      }
    }
  }

  /// Runs a uniform random policy for `stepsPerEnvironment` steps in every copy, each worker stepping its
  /// block without synchronising (the policy's choices come from each copy's own stream).
  /// - Returns: the total reward collected.
  @discardableResult
  public func runRandomPolicy(stepsPerEnvironment: Int) -> Double {
    let actionCount = copies[0].game.actionNames.count
    var totals = [Double](repeating: 0, count: count)
    totals.withUnsafeMutableBufferPointer { totals in
      let sums = SendablePointer(totals.baseAddress!)
      forEachBlock { block, range in
        for i in range {
          // Moved onto this worker's stack, so no cache line is shared with another worker's copies.
          var copy = (block.copies + i).move()
          let context = block.context(i)
          var total = 0.0
          for _ in 0..<stepsPerEnvironment {
            total += copy.step(copy.policy.nextInt(below: actionCount), context)
          }
          (block.copies + i).initialize(to: copy)
          sums.pointer[i] = total
        }
      }
    }
    return totals.reduce(0, +)
  }

  /// Calls `body` on contiguous blocks of copies, one block per worker.
  private func forEachBlock(_ body: (Block<G, Form>, Range<Int>) -> Void) {
    copies.withUnsafeMutableBufferPointer { copies in
      let block = Block(copies: copies.baseAddress!, storage: storage.baseAddress!, finalStorage: finalStorage.baseAddress!,
                        slotBytes: slotBytes, form: form)
      let blocks = min(threads, count), n = count
      if blocks == 1 { return body(block, 0..<n) }
      withoutActuallyEscaping(body) { body in
        let shared = SendableBody(body: body, block: block)
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
          shared.body(shared.block, (b * n / blocks)..<((b + 1) * n / blocks))
        }
      }
    }
  }
}

/// One copy of a vector environment: its game and bookkeeping.
struct VectorCopy<G: Game> {
  var game: G
  var seeds: SplitMix64
  var policy: SplitMix64
  var limit: StepLimit
  var reward = 0.0
  var outcome = Outcome.ongoing
  var running = 0.0
  var lastReturn = 0.0
  var finished = 0

  init(game: G, seeds: SplitMix64, policy: SplitMix64, limit: StepLimit) {
    self.game = game
    self.seeds = seeds
    self.policy = policy
    self.limit = limit
  }

  mutating func reset<F: ObservationForm>(form: F, slot: UnsafeMutableRawBufferPointer) {
    game.reset(seed: seeds.next())
    limit.restart()
    running = 0
    outcome = .ongoing
    reward = 0
    form.write(&game, into: slot)
  }

  /// Steps once, auto-resets when the episode ends, writes the observation; returns the reward.
  @inline(__always)
  mutating func step<F: ObservationForm>(_ action: Int, _ context: StepContext<F>) -> Double {
    let transition = game.advance(action)
    reward = transition.reward
    running += transition.reward
    outcome = limit.count(transition.isTerminal ? .terminated : .ongoing)
    if outcome != .ongoing {
      context.form.write(&game, into: context.final)
      lastReturn = running
      finished += 1
      running = 0
      limit.restart()
      game.reset(seed: seeds.next())
    }
    context.form.write(&game, into: context.slot)
    return transition.reward
  }
}

/// Where copy `i` writes: its observation slots and the settings it steps with.
struct StepContext<F: ObservationForm> {
  let slot: UnsafeMutableRawBufferPointer
  let final: UnsafeMutableRawBufferPointer
  let form: F
}

/// Raw views of a vector environment's storage, handed to workers; each touches only its own copies.
struct Block<G: Game, Form: ObservationForm>: @unchecked Sendable {
  let copies: UnsafeMutablePointer<VectorCopy<G>>
  let storage: UnsafeMutableRawPointer
  let finalStorage: UnsafeMutableRawPointer
  let slotBytes: Int
  let form: Form

  func context(_ i: Int) -> StepContext<Form> {
    StepContext(slot: UnsafeMutableRawBufferPointer(start: storage + i * slotBytes, count: slotBytes),
                final: UnsafeMutableRawBufferPointer(start: finalStorage + i * slotBytes, count: slotBytes),
                form: form)
  }
}

/// A pointer handed to workers that each touch disjoint elements.
struct SendablePointer<T>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<T>
  init(_ pointer: UnsafePointer<T>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
  init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

struct SendableBody<G: Game, Form: ObservationForm>: @unchecked Sendable {
  let body: (Block<G, Form>, Range<Int>) -> Void
  let block: Block<G, Form>
}
