import EnvironmentCore
import NeuralNetworks

/// A ring buffer of transitions that stores each observation frame once, as bytes, and rebuilds stacked
/// states (the last `stack` frames of an episode) by index — Mnih et al. (2015)'s memory layout.
///
/// Frame `i` is the observation *after* step `i`; a step's state is the stack ending at the previous frame.
/// The first frame of an episode is stored too, flagged as a start, so stacks never reach into the
/// previous episode (they repeat the start frame instead).
///
/// A prioritized buffer (Schaul et al. 2016) also keeps a priority per slot in a ``SumTree``; slots that
/// cannot be sampled (``isSampleable(_:)``) always hold priority 0, so proportional draws never land there.
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
  /// Each slot's sampling priority, when the buffer is prioritized.
  public fileprivate(set) var priorities: SumTree?
  /// The highest priority given so far: new transitions get it, so each is likely replayed soon after it arrives.
  public fileprivate(set) var maxPriority = 1.0

  /// An empty buffer; `prioritized` keeps a priority per slot for ``samplePrioritized(_:using:)``.
  public init(capacity: Int, frameBytes: Int, stack: Int, stackStride: Int = 1, prioritized: Bool = false) {
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
    if prioritized { priorities = SumTree(capacity: capacity) }
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
    guard priorities != nil else { return }
    let index = written - 1
    priorities!.update(slot, isSampleable(index) ? maxPriority : 0)
    // This write overwrote the oldest frame of one transition's state: that transition is no longer sampleable.
    let stale = index - (capacity - span)
    if stale >= 0 { priorities!.update(stale % capacity, 0) }
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

  // MARK: Prioritized replay

  /// `count` sampleable frame indices drawn in proportion to their priorities, stratified (Schaul et al.
  /// 2016): the total is cut into `count` equal segments and one index is drawn uniformly within each.
  public func samplePrioritized(_ count: Int, using rng: inout SplitMix64) -> [Int] {
    guard let priorities else { preconditionFailure("the replay buffer is not prioritized") }
    let total = priorities.total
    precondition(total > 0, "no transition to sample")
    let segment = total / Double(count)
    return (0..<count).map { k in
      var index = self.index(inSlot: priorities.find((Double(k) + rng.nextUnit()) * segment))
      // Unsampleable slots hold priority 0, so this redraws only if the priorities fell out of step.
      var redraws = 0
      while !isSampleable(index) {
        redraws += 1
        assert(redraws < 8, "replay priorities out of step with the frames")
        index = self.index(inSlot: priorities.find(rng.nextUnit() * total))
      }
      return index
    }
  }

  /// The priority of sampleable frame `index` in a prioritized buffer.
  public func priority(of index: Int) -> Double {
    guard let priorities else { preconditionFailure("priority(of:) needs a prioritized replay buffer") }
    return priorities[index % capacity]
  }

  /// Sets the priority of sampleable frame `index` (positive and finite) in a prioritized buffer.
  public mutating func setPriority(_ priority: Double, of index: Int) {
    precondition(isSampleable(index) && priority > 0, "only a sampleable frame takes a positive priority")
    precondition(priorities != nil, "setPriority(_:of:) needs a prioritized replay buffer")
    priorities?.update(index % capacity, priority)
    maxPriority = max(maxPriority, priority)
  }

  /// The absolute index of the newest frame in `slot` (negative when nothing was written there yet).
  func index(inSlot slot: Int) -> Int {
    let newest = written - 1
    return newest - ((newest - slot) % capacity + capacity) % capacity
  }
}

extension ReplayBuffer {
  /// The buffer as tensors (bytes carried in Float bit patterns, so nothing is rounded): five, and a sixth
  /// with the priorities and their maximum (each `Double` as two bit-pattern halves) when prioritized.
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
    var tensors = [Tensor(shape: [meta.count], scalars: meta.map { Float(bitPattern: $0) }), words(frames),
                   Tensor(shape: [capacity], scalars: actions.map { Float(bitPattern: UInt32(bitPattern: $0)) }),
                   Tensor(shape: [capacity], scalars: rewards),
                   Tensor(shape: [capacity], scalars: (0..<capacity).map { Float(bitPattern: (terminated[$0] ? 1 : 0) | (isStart[$0] ? 2 : 0)) })]
    if let priorities { tensors.append(DQN.tensor((priorities.leaves + [maxPriority]).map(\.bitPattern))) }
    return tensors
  }

  /// A buffer from ``encoded()``'s tensors, or `nil` when they do not describe one. A `prioritized` buffer
  /// takes the stored priorities, or, from tensors without them (an older or unprioritized checkpoint),
  /// starts every sampleable frame at priority 1; an unprioritized one ignores stored priorities.
  init?(decoding t: ArraySlice<Tensor>, stackStride: Int, prioritized: Bool) {
    guard t.count == 5 || t.count == 6 else { return nil }
    let t = Array(t)
    let meta = t[0].scalars.map(\.bitPattern)
    guard meta.count == 5 else { return nil }
    let (capacity, frameBytes, stack) = (Int(meta[0]), Int(meta[1]), Int(meta[2]))
    guard stack >= 1, stack <= 64, capacity <= DQNConfiguration.maxBufferSize, frameBytes <= 1 << 30,
          capacity > (stack - 1) * stackStride + 2, frameBytes > 0, !capacity.multipliedReportingOverflow(by: frameBytes).overflow,
          t[2].count == capacity, t[3].count == capacity, t[4].count == capacity, t[1].count * 4 >= capacity * frameBytes
    else { return nil }
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
    guard prioritized else { return }
    var stored = (0..<capacity).map { isSampleable(index(inSlot: $0)) ? 1.0 : 0 }
    if t.count == 6 {
      guard t[5].count == 2 * (capacity + 1) else { return nil }
      let values = DQN.words(t[5]).map(Double.init(bitPattern:))
      // Positive priorities only where a frame can be sampled, or sampling would draw what it must not.
      guard values.allSatisfy({ $0 >= 0 && $0.isFinite }), values[capacity] > 0,
            zip(values, stored).allSatisfy({ $0 == 0 || $1 > 0 }) else { return nil }
      stored = Array(values.prefix(capacity))
      maxPriority = values[capacity]
    }
    priorities = SumTree(leaves: stored)
  }
}
