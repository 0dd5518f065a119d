import CArcadeSupport
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body(0)…body(chunks − 1)`, each once, on the calling thread and `threads − 1` helper threads that live
/// as long as the pool; chunks are claimed from a shared counter, so a helper that is late (asleep, or its core
/// busy with something else) leaves its share to the others instead of holding them up.
///
/// Between jobs a helper spins for a while before it sleeps. A Gymnasium loop calls `step` again within
/// microseconds, and waking a sleeping thread (a futex and a reschedule, as `concurrentPerform` does on every
/// call) takes about as long as stepping a thousand Breakout copies: with it, two threads stepped no faster than
/// one. Every spin loop yields the core now and then, so a busy machine does not starve the thread it waits for.
final class WorkerPool: @unchecked Sendable {
  let threads: Int
  let chunks: Int
  private let body: (Int) -> Void
  private let spin: UInt64
  /// Atomic words: the job's generation, the next unclaimed chunk, the chunks finished, whether the pool is
  /// stopping, then one sleeping flag per helper (set by a helper about to sleep, taken by whoever wakes it).
  private let words: UnsafeMutablePointer<Int64>
  private let wakeups: [DispatchSemaphore]
  private let finished = DispatchGroup()

  private var generation: UnsafeMutablePointer<Int64> { words }
  private var nextChunk: UnsafeMutablePointer<Int64> { words + 1 }
  private var doneChunks: UnsafeMutablePointer<Int64> { words + 2 }
  private var stopping: UnsafeMutablePointer<Int64> { words + 3 }
  private func sleeping(_ helper: Int) -> UnsafeMutablePointer<Int64> { words + 4 + helper }

  /// A pool of `threads − 1` helpers running `chunks` pieces per job; `body` gets a chunk index and must be safe
  /// to run concurrently for different indices. An idle helper polls for `spinNanoseconds` before it sleeps.
  init(threads: Int, chunks: Int, spinNanoseconds: UInt64 = 100_000, body: @escaping (Int) -> Void) {
    self.threads = max(threads, 1)
    self.chunks = max(chunks, 1)
    self.body = body
    spin = spinNanoseconds
    words = .allocate(capacity: 4 + self.threads)
    words.initialize(repeating: 0, count: 4 + self.threads)
    wakeups = (1..<self.threads).map { _ in DispatchSemaphore(value: 0) }
    for helper in 0..<(self.threads - 1) {
      // A private serial queue gets a thread of its own, so a parked helper never holds up the global queues.
      // Unowned: the helpers must not keep the pool alive; deinit waits for them to leave.
      DispatchQueue(label: "schemaarcade.worker.\(helper)").async(group: finished) { [unowned(unsafe) self] in
        serve(helper)
      }
    }
  }

  deinit {
    arcade_atomic_store(stopping, 1)
    arcade_atomic_add(generation, 1)
    wakeSleepers()
    finished.wait()
    words.deallocate()
  }

  /// Runs every chunk and returns when all have finished. One caller at a time.
  func run() {
    guard threads > 1 else {
      for chunk in 0..<chunks { body(chunk) }
      return
    }
    arcade_atomic_store(doneChunks, 0)
    arcade_atomic_store(nextChunk, 0)
    arcade_atomic_add(generation, 1)
    wakeSleepers()
    work()
    var polls = 0
    while arcade_atomic_load(doneChunks) < Int64(chunks) { pause(&polls) }
  }

  /// Claims and runs chunks until none is left.
  private func work() {
    while true {
      let chunk = Int(arcade_atomic_add(nextChunk, 1) - 1)
      guard chunk < chunks else { return }
      body(chunk)
      arcade_atomic_add(doneChunks, 1)
    }
  }

  @inline(__always)
  private func pause(_ polls: inout Int) {
    arcade_spin_pause()
    polls += 1
    if polls & 255 == 0 { sched_yield() }
  }

  private func wakeSleepers() {
    for helper in wakeups.indices where arcade_atomic_exchange(sleeping(helper), 0) == 1 { wakeups[helper].signal() }
  }

  /// A helper's life: wait for a new generation, help with its chunks, repeat until the pool stops.
  private func serve(_ helper: Int) {
    var seen: Int64 = 0
    while true {
      seen = waitForJob(after: seen, helper)
      if arcade_atomic_load(stopping) != 0 { return }
      work()
    }
  }

  /// Polls until the generation moves past `seen`, sleeping on the helper's semaphore once `spin` has passed.
  private func waitForJob(after seen: Int64, _ helper: Int) -> Int64 {
    var start = DispatchTime.now().uptimeNanoseconds, polls = 0
    while true {
      let now = arcade_atomic_load(generation)
      if now != seen { return now }
      pause(&polls)
      guard polls & 63 == 0, DispatchTime.now().uptimeNanoseconds &- start > spin else { continue }
      // Announce the sleep, then look once more: a job posted in between either sees the flag (and signals) or
      // is seen here. Every operation is sequentially consistent, so one of the two must happen.
      arcade_atomic_store(sleeping(helper), 1)
      if arcade_atomic_load(generation) == seen || arcade_atomic_exchange(sleeping(helper), 0) == 0 {
        wakeups[helper].wait()
      }
      start = DispatchTime.now().uptimeNanoseconds
    }
  }
}
