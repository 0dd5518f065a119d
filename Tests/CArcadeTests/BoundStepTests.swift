import CArcade
import Testing

/// `arcade_vec_step_bound` rewrites only the grid cells that changed; what the caller sees must be exactly what a
/// full write (`arcade_vec_step`) gives, through episode ends, re-binding and unbound calls in between.
@Suite struct BoundStepTests {
  /// One vector handle and its buffers, allocated once so that a binding stays valid.
  final class Vector {
    let handle: UInt64
    let observations: UnsafeMutableBufferPointer<UInt8>
    let rewards: UnsafeMutableBufferPointer<Double>
    let terminated: UnsafeMutableBufferPointer<UInt8>, truncated: UnsafeMutableBufferPointer<UInt8>
    let lives: UnsafeMutableBufferPointer<Int32>

    init(_ id: String, form: Int32, parameter: Int32, count: Int, threads: Int32) {
      var handle: UInt64 = 0
      let status = id.withCString { arcade_vec_create($0, form, parameter, Int32(count), threads, &handle) }
      precondition(status == 0, "\(id): status \(status)")
      var dims = [Int64](repeating: 0, count: 3), rank: Int32 = 0, dtype: Int32 = 0, bytes: Int64 = 0
      _ = arcade_observation_shape(handle, &dims, &rank, &dtype, &bytes)
      self.handle = handle
      observations = .allocate(capacity: count * Int(bytes))
      observations.initialize(repeating: 0)
      (rewards, terminated, truncated, lives) = (.allocate(capacity: count), .allocate(capacity: count),
                                                 .allocate(capacity: count), .allocate(capacity: count))
      rewards.initialize(repeating: 0)
      terminated.initialize(repeating: 0)
      truncated.initialize(repeating: 0)
      lives.initialize(repeating: 0)
    }

    deinit {
      _ = arcade_destroy(handle)
      for buffer in [observations, terminated, truncated] { buffer.deallocate() }
      rewards.deallocate()
      lives.deallocate()
    }

    /// Same outputs as `other`, byte for byte.
    func matches(_ other: Vector) -> Bool {
      observations.elementsEqual(other.observations) && rewards.elementsEqual(other.rewards)
        && terminated.elementsEqual(other.terminated) && truncated.elementsEqual(other.truncated)
        && lives.elementsEqual(other.lives)
    }
    func reset(seed: UInt64) -> Int32 { arcade_vec_reset(handle, seed, 1, observations.baseAddress, lives.baseAddress) }
    func step(_ actions: [Int64]) -> Int32 {
      arcade_vec_step(handle, actions, observations.baseAddress, rewards.baseAddress, terminated.baseAddress,
                      truncated.baseAddress, lives.baseAddress)
    }
    func bind() -> Int32 {
      arcade_vec_bind(handle, observations.baseAddress, rewards.baseAddress, terminated.baseAddress, truncated.baseAddress,
                      lives.baseAddress)
    }
    func stepBound(_ actions: [Int64]) -> Int32 { arcade_vec_step_bound(handle, actions) }
  }

  @Test(arguments: [("breakout/standard", Int32(4)), ("breakout/moving-obstacles", 1), ("breakout/juggling", 3),
                    ("priors/original", 1)])
  func boundStepsSeeWhatFullWritesSee(id: String, pool: Int32) {
    let n = 5
    let full = Vector(id, form: 1, parameter: pool, count: n, threads: 1)
    let bound = Vector(id, form: 1, parameter: pool, count: n, threads: 2)
    #expect(full.reset(seed: 7) == 0 && bound.reset(seed: 7) == 0)
    #expect(bound.bind() == 0)
    var episodesEnded = 0, changedSteps = 0, previous = Array(bound.observations)
    for t in 0..<1_200 {
      let actions = (0..<n).map { Int64(($0 * 7 + t / 5 + t % 3) % 3) }
      #expect(full.step(actions) == 0)
      switch t {
      case 400:
        // Unbound into the bound buffer: a full write; the next bound step must not trust its record.
        #expect(bound.step(actions) == 0)
      case 800:
        // The caller scribbles over its buffer and re-binds: the next bound step writes every cell again.
        for i in stride(from: 0, to: bound.observations.count, by: 3) { bound.observations[i] ^= 1 }
        #expect(bound.bind() == 0)
        #expect(bound.stepBound(actions) == 0)
      default:
        #expect(bound.stepBound(actions) == 0)
      }
      guard bound.matches(full) else { return #expect(Bool(false), "\(id): outputs differ at step \(t)") }
      episodesEnded += full.terminated.filter { $0 != 0 }.count
      if !bound.observations.elementsEqual(previous) { changedSteps += 1 }
      previous = Array(bound.observations)
    }
    // The comparison means something only if observations moved and episodes ended (auto-resets) along the way.
    #expect(changedSteps > 600)
    if id.hasPrefix("breakout") { #expect(episodesEnded > 0) }
  }

  @Test func stepBoundNeedsBindingAndValidActions() {
    let vector = Vector("breakout/small", form: 1, parameter: 2, count: 2, threads: 1)
    #expect(vector.reset(seed: 0) == 0)
    #expect(vector.stepBound([0, 1]) == -10)
    #expect(vector.bind() == 0)
    let before = Array(vector.observations)
    #expect(vector.stepBound([0, 9]) == -5)
    #expect(vector.observations.elementsEqual(before))
    #expect(arcade_vec_step_bound(vector.handle, nil) == -1)
    #expect(arcade_vec_bind(vector.handle, nil, nil, nil, nil, nil) == -1)
    #expect(vector.stepBound([0, 1]) == 0)
    var single: UInt64 = 0
    _ = "breakout/small".withCString { arcade_create($0, 1, 2, &single) }
    #expect(arcade_vec_step_bound(single, [0, 1]) == -7)
    #expect(arcade_destroy(single) == 0)
  }
}
