import EnvironmentCore
import NeuralNetworks

/// A ring buffer of transitions that stores each observation frame once, as bytes, and rebuilds stacked
/// states (the last `stack` frames of an episode) by index — Mnih et al. (2015)'s memory layout.
///
/// Frame `i` is the observation *after* step `i`; a step's state is the stack ending at the previous frame.
/// The first frame of an episode is stored too, flagged as a start, so stacks never reach into the
/// previous episode (they repeat the start frame instead).
public struct ReplayBuffer: Sendable {
  public let capacity: Int
  public let frameBytes: Int
  public let stack: Int
  /// Steps between the stacked frames (1 = consecutive frames).
  public let stackStride: Int
  fileprivate(set) var frames: [UInt8]
  fileprivate(set) var actions: [Int32]
  fileprivate(set) var rewards: [Float]
  /// Whether the step into frame i ended the episode in a terminal state (no bootstrap).
  fileprivate(set) var terminated: [Bool]
  /// Whether frame i begins an episode (it has no action, reward or predecessor).
  fileprivate(set) var isStart: [Bool]
  /// Frames written so far (the next slot is `written % capacity`).
  public fileprivate(set) var written = 0

  public init(capacity: Int, frameBytes: Int, stack: Int, stackStride: Int = 1) {
    precondition(stack >= 1 && stackStride >= 1 && capacity > (stack - 1) * stackStride + 2 && frameBytes > 0,
                 "invalid replay buffer shape")
    self.capacity = capacity
    self.frameBytes = frameBytes
    self.stack = stack
    self.stackStride = stackStride
    frames = [UInt8](repeating: 0, count: capacity * frameBytes)
    actions = [Int32](repeating: 0, count: capacity)
    rewards = [Float](repeating: 0, count: capacity)
    terminated = [Bool](repeating: false, count: capacity)
    isStart = [Bool](repeating: true, count: capacity)
  }

  /// Frames one stacked state reaches back over, the newest included.
  public var span: Int { (stack - 1) * stackStride + 1 }

  /// Transitions that can be sampled (frames with a predecessor in the same episode).
  public var count: Int { min(written, capacity) }

  /// Stores the first observation of an episode.
  public mutating func beginEpisode(_ frame: UnsafeRawBufferPointer) {
    store(frame, action: 0, reward: 0, terminated: false, start: true)
  }

  /// Stores the observation after taking `action` and receiving `reward`.
  public mutating func append(_ frame: UnsafeRawBufferPointer, action: Int, reward: Double, terminated: Bool) {
    store(frame, action: action, reward: reward, terminated: terminated, start: false)
  }

  private mutating func store(_ frame: UnsafeRawBufferPointer, action: Int, reward: Double, terminated done: Bool, start: Bool) {
    precondition(frame.count >= frameBytes, "frame smaller than the buffer's frame size")
    let slot = written % capacity
    frames.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: slot * frameBytes).copyMemory(from: frame.baseAddress!, byteCount: frameBytes) }
    actions[slot] = Int32(action)
    rewards[slot] = Float(reward)
    terminated[slot] = done
    isStart[slot] = start
    written += 1
  }

  /// Whether frame `index` (an absolute write index) can end a sampled transition: it is still in the
  /// buffer with its predecessor and is not an episode start.
  public func isSampleable(_ index: Int) -> Bool {
    index >= 1 && index < written && written - index <= capacity - span && !isStart[index % capacity]
  }

  /// Copies the stack of frames ending at absolute index `index` into `destination` (oldest first): frames
  /// `index`, `index − stackStride`, …, never reaching past the episode's start (which is repeated instead).
  public func writeState(endingAt index: Int, into destination: UnsafeMutableRawBufferPointer) {
    frames.withUnsafeBytes { source in
      isStart.withUnsafeBufferPointer { isStart in
        var frame = index
        for k in stride(from: stack - 1, through: 0, by: -1) {
          destination.baseAddress!.advanced(by: k * frameBytes)
            .copyMemory(from: source.baseAddress!.advanced(by: (frame % capacity) * frameBytes), byteCount: frameBytes)
          for _ in 0..<stackStride where frame > 0 && !isStart[frame % capacity] { frame -= 1 }
        }
      }
    }
  }

  /// Whether frame `index` begins an episode (no transition leads into it).
  public func startsEpisode(_ index: Int) -> Bool { isStart[index % capacity] }

  /// The transition into frame `index`: (action, reward, terminated).
  public func transition(into index: Int) -> (action: Int, reward: Float, terminated: Bool) {
    let slot = index % capacity
    return (Int(actions[slot]), rewards[slot], terminated[slot])
  }

  /// A uniformly random sampleable frame index.
  public func sampleIndex(using rng: inout SplitMix64) -> Int {
    precondition(written > span + 1, "not enough transitions to sample")
    let oldest = max(1, written - (capacity - span))
    while true {
      let index = oldest + rng.nextInt(below: written - oldest)
      if isSampleable(index) { return index }
    }
  }
}

extension ReplayBuffer {
  /// The buffer as tensors (bytes carried in Float bit patterns, so nothing is rounded).
  func encoded() -> [Tensor] {
    func words(_ bytes: [UInt8]) -> Tensor {
      var padded = bytes
      padded.append(contentsOf: [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4))
      let scalars = stride(from: 0, to: padded.count, by: 4).map { i in
        Float(bitPattern: UInt32(padded[i]) | UInt32(padded[i + 1]) << 8 | UInt32(padded[i + 2]) << 16 | UInt32(padded[i + 3]) << 24)
      }
      return Tensor(shape: [scalars.count], scalars: scalars)
    }
    let meta = [UInt32(capacity), UInt32(frameBytes), UInt32(stack), UInt32(truncatingIfNeeded: written), UInt32(truncatingIfNeeded: written >> 32)]
    return [Tensor(shape: [meta.count], scalars: meta.map { Float(bitPattern: $0) }), words(frames),
            Tensor(shape: [capacity], scalars: actions.map { Float(bitPattern: UInt32(bitPattern: $0)) }),
            Tensor(shape: [capacity], scalars: rewards),
            Tensor(shape: [capacity], scalars: (0..<capacity).map { Float(bitPattern: (terminated[$0] ? 1 : 0) | (isStart[$0] ? 2 : 0)) })]
  }

  /// A buffer from ``encoded()``'s tensors, or `nil` when they do not describe one.
  init?(decoding t: ArraySlice<Tensor>, stackStride: Int) {
    guard t.count == 5 else { return nil }
    let t = Array(t)
    let meta = t[0].scalars.map(\.bitPattern)
    guard meta.count == 5 else { return nil }
    let (capacity, frameBytes, stack) = (Int(meta[0]), Int(meta[1]), Int(meta[2]))
    guard stack >= 1, capacity > (stack - 1) * stackStride + 2, frameBytes > 0, t[2].count == capacity, t[3].count == capacity, t[4].count == capacity,
          t[1].count * 4 >= capacity * frameBytes else { return nil }
    self.init(capacity: capacity, frameBytes: frameBytes, stack: stack, stackStride: stackStride)
    written = Int(meta[3]) | Int(meta[4]) << 32
    var bytes = [UInt8]()
    bytes.reserveCapacity(t[1].count * 4)
    for f in t[1].scalars { let w = f.bitPattern; bytes += [UInt8(w & 255), UInt8(w >> 8 & 255), UInt8(w >> 16 & 255), UInt8(w >> 24)] }
    frames = Array(bytes.prefix(capacity * frameBytes))
    actions = t[2].scalars.map { Int32(bitPattern: $0.bitPattern) }
    rewards = t[3].scalars
    terminated = t[4].scalars.map { $0.bitPattern & 1 != 0 }
    isStart = t[4].scalars.map { $0.bitPattern & 2 != 0 }
  }
}
