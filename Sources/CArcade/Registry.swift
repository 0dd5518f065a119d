#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The live handles. A handle is `generation << 32 | (slot + 1)`: a slot's generation changes when its handle is
/// destroyed, so a stale or made-up handle finds nothing instead of memory that is gone. One mutex guards the
/// table (uncontended it costs tens of nanoseconds, against a microsecond for a Python step); lookups return a class
/// reference, so stepping pays no existential boxing.
final class Registry: @unchecked Sendable {
  private struct Slot {
    var generation: UInt32 = 1
    var object: Session?
  }

  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  // Raw storage rather than an Array: a class's Array property pays dynamic exclusivity checks on every lookup.
  private var slots: UnsafeMutablePointer<Slot>
  private var capacity = 64
  private var used = 0
  private var free: [Int] = []

  init() {
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
    slots = .allocate(capacity: capacity)
  }

  /// A new handle for `object`; never 0.
  func insert(_ object: Session) -> UInt64 {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    let index: Int
    if let reused = free.popLast() {
      index = reused
    } else {
      if used == capacity {
        let larger = UnsafeMutablePointer<Slot>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: slots, count: used)
        slots.deallocate()
        (slots, capacity) = (larger, capacity * 2)
      }
      index = used
      (slots + index).initialize(to: Slot())
      used += 1
    }
    slots[index].object = object
    return UInt64(slots[index].generation) << 32 | UInt64(index + 1)
  }

  /// The slot of a live `handle`; call with the mutex held.
  private func index(_ handle: UInt64) -> Int? {
    let index = Int(truncatingIfNeeded: handle & 0xFFFF_FFFF) - 1
    guard index >= 0, index < used, UInt64(slots[index].generation) == handle >> 32 else { return nil }
    return index
  }

  /// The object behind `handle`, or `nil` when it is not live.
  func lookup(_ handle: UInt64) -> Session? {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    guard let i = index(handle) else { return nil }
    return slots[i].object
  }

  /// Frees `handle`; `false` when it was not live.
  func remove(_ handle: UInt64) -> Bool {
    pthread_mutex_lock(mutex)
    let removed: Session?
    if let i = index(handle), slots[i].object != nil {
      removed = slots[i].object
      slots[i].object = nil
      slots[i].generation = slots[i].generation == UInt32.max ? 1 : slots[i].generation + 1
      free.append(i)
    } else {
      removed = nil
    }
    pthread_mutex_unlock(mutex)
    return removed != nil  // the session is freed here, outside the lock
  }
}

let registry = Registry()
