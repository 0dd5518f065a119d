@testable import CArcade
import Dispatch
import EnvironmentCore
import Testing

/// The batch's worker pool: every chunk exactly once per job, whoever runs it, and helpers that stop with the pool.
@Suite struct WorkerPoolTests {
  /// Counts per chunk, bumped by whichever thread runs it.
  final class Tally: @unchecked Sendable {
    let counts: UnsafeMutablePointer<Int>
    /// Where the busy work's result goes, so the optimiser keeps it.
    let sink: UnsafeMutablePointer<Int>
    init(_ n: Int) {
      counts = .allocate(capacity: n)
      counts.initialize(repeating: 0, count: n)
      sink = .allocate(capacity: n)
      sink.initialize(repeating: 0, count: n)
    }
    deinit {
      counts.deallocate()
      sink.deallocate()
    }
  }

  @Test(arguments: [(1, 1), (2, 8), (3, 12), (4, 3)])
  func everyChunkRunsOncePerJob(threads: Int, chunks: Int) {
    let tally = Tally(chunks)
    let pool = WorkerPool(threads: threads, chunks: chunks) { c in
      tally.counts[c] += 1
      // Some work, so that helpers do get chunks rather than the caller taking them all.
      var x = UInt64(c)
      for _ in 0..<2_000 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
      tally.sink[c] = Int(x & 1)
    }
    for job in 1...3_000 {
      pool.run()
      if (0..<chunks).contains(where: { tally.counts[$0] != job }) {
        Issue.record("job \(job): counts \((0..<chunks).map { tally.counts[$0] })")
        return
      }
    }
  }

  @Test func helpersThatFellAsleepWakeForTheNextJob() {
    let tally = Tally(4)
    let pool = WorkerPool(threads: 2, chunks: 4, spinNanoseconds: 1_000) { c in tally.counts[c] += 1 }
    for job in 1...50 {
      // Long enough for the helper to stop spinning and sleep on its semaphore.
      pause(nanoseconds: job % 5 == 0 ? 2_000_000 : 20_000)
      pool.run()
      #expect((0..<4).allSatisfy { tally.counts[$0] == job })
    }
  }

  @Test func poolsStopTheirHelpers() {
    // Each pool's deinit wakes and joins its helper; a leak or a lost wakeup would hang or pile up threads here.
    for round in 0..<200 {
      let tally = Tally(2)
      do {
        let pool = WorkerPool(threads: 2, chunks: 2, spinNanoseconds: round.isMultiple(of: 2) ? 0 : 100_000) { c in
          tally.counts[c] += 1
        }
        if round % 3 != 0 { pool.run() }
      }
      #expect(tally.counts[0] == (round % 3 != 0 ? 1 : 0))
    }
  }

  private func pause(nanoseconds ns: UInt64) {
    _ = DispatchSemaphore(value: 0).wait(timeout: DispatchTime(uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds + ns))
  }
}

/// Grid bit planes become 0/1 bytes cell for cell, whatever the plane size (whole 16-cell groups, an odd 8-cell
/// group, a ragged tail).
@Suite struct ObservationExportTests {
  @Test(arguments: [16, 24, 37, 720, 11 * 7])
  func bitsUnpackToOneBytePerCell(cells: Int) {
    let planes = 3, wordsPerPlane = (cells + 63) / 64
    var rng = SplitMix64(seed: UInt64(cells))
    let words = (0..<(planes * wordsPerPlane)).map { _ in rng.next() }
    let plan = ObservationPlan(layout: .bits(planes: planes, cells: cells, wordsPerPlane: wordsPerPlane),
                               shape: [planes, cells], dtype: 0)
    var out = [UInt8](repeating: 0xEE, count: plan.byteCount + 1)
    words.withUnsafeBytes { source in out.withUnsafeMutableBytes { plan.export(source.baseAddress!, into: $0.baseAddress!) } }
    for p in 0..<planes {
      for c in 0..<cells where out[p * cells + c] != UInt8(words[p * wordsPerPlane + c / 64] >> UInt64(c % 64) & 1) {
        Issue.record("plane \(p) cell \(c): \(out[p * cells + c])")
        return
      }
    }
    #expect(out[plan.byteCount] == 0xEE, "wrote past the observation")
  }

  /// Writing only the changes onto the previous observation gives the full export of the new one, whatever changed
  /// (single bits, whole words, padding bits past the plane), and leaves the mirror equal to the new planes.
  @Test(arguments: [16, 24, 37, 720, 11 * 7])
  func changesOnTheOldObservationGiveTheNewOne(cells: Int) {
    let planes = 3, wordsPerPlane = (cells + 63) / 64, count = planes * wordsPerPlane
    let plan = ObservationPlan(layout: .bits(planes: planes, cells: cells, wordsPerPlane: wordsPerPlane),
                               shape: [planes, cells], dtype: 0)
    var rng = SplitMix64(seed: UInt64(cells))
    var words = (0..<count).map { _ in rng.next() }, mirror = words
    var out = [UInt8](repeating: 0xEE, count: plan.byteCount + 1), expected = out
    words.withUnsafeBytes { source in out.withUnsafeMutableBytes { plan.export(source.baseAddress!, into: $0.baseAddress!) } }
    for round in 0..<200 {
      for _ in 0..<(round % 5) { words[Int(rng.next() % UInt64(count))] ^= 1 << (rng.next() % 64) }
      if round % 17 == 0 { words[Int(rng.next() % UInt64(count))] = rng.next() }
      words.withUnsafeBytes { source in
        mirror.withUnsafeMutableBytes { m in
          out.withUnsafeMutableBytes { plan.exportChanges(source.baseAddress!, mirror: m.baseAddress!, into: $0.baseAddress!) }
        }
        expected.withUnsafeMutableBytes { plan.export(source.baseAddress!, into: $0.baseAddress!) }
      }
      guard out == expected && mirror == words else { Issue.record("round \(round): changes differ from a full export"); return }
    }
  }
}
