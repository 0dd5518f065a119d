import Dispatch
import EnvironmentCore

/// A ``GIFEncoder`` that encodes on another thread while the caller goes on playing.
///
/// ``append(_:changedWithin:)`` only copies what changed (the damage boxes' pixels, or the whole frame)
/// into a batch; full batches go to a serial queue that rebuilds each frame and hands it to a
/// ``GIFEncoder``, in order, so the bytes are exactly those of the serial encoder whatever the threads do.
/// The threads meet once per batch, not per frame. At most ``batchesInFlight`` batches wait for the
/// encoder (beyond that the caller waits), and their buffers are reused, so memory stays bounded and the
/// steady state allocates nothing.
///
/// Use it from one thread; ``finish()`` waits for the encoder and returns it.
public final class GIFBackgroundEncoder {
  /// Batches handed over and not yet encoded, at most.
  public static let batchesInFlight = 3
  /// A batch goes once it holds this many frames or this many bytes of pixels.
  static let framesPerBatch = 256
  static let bytesPerBatch = 1 << 20

  public let width: Int
  public let height: Int
  private let queue = DispatchQueue(label: "GIFBackgroundEncoder")
  private let slots = DispatchSemaphore(value: GIFBackgroundEncoder.batchesInFlight)
  private let worker: Worker
  /// One more than can be in flight: when `slots` lets a batch go, the batch that last used the next
  /// buffer has been encoded (batches finish in order), so the caller may fill it again.
  private let buffers = (0...GIFBackgroundEncoder.batchesInFlight).map { _ in BatchBuffer() }
  private var filling = 0
  private var started = false

  /// An empty animation of `width × height` frames, shown `scale` times larger (see ``GIFEncoder``).
  public init(width: Int, height: Int, scale: Int = 1, delayCentiseconds: Int = 4) {
    self.width = width
    self.height = height
    worker = Worker(GIFEncoder(width: width, height: height, scale: scale, delayCentiseconds: delayCentiseconds))
  }

  /// Queues `frame` as the next image; it differs from the previous one only inside `boxes` (`nil`:
  /// anywhere), as for ``GIFEncoder/append(_:changedWithin:)``.
  public func append(_ frame: Frame, changedWithin boxes: [FrameBox]?) {
    precondition(frame.width == width && frame.height == height,
                 "frame is \(frame.width)x\(frame.height), the animation \(width)x\(height)")
    let buffer = buffers[filling]
    frame.pixels.withUnsafeBufferPointer { pixels in
      if let boxes, started {
        buffer.batch.add(pixels.baseAddress!, width: width, height: height, boxes: boxes)
      } else {
        buffer.batch.add(pixels)
      }
    }
    started = true
    if buffer.batch.frameCount >= Self.framesPerBatch || buffer.batch.byteCount >= Self.bytesPerBatch { send() }
  }

  /// Waits until every frame is encoded and returns the encoder holding them.
  public func finish() -> GIFEncoder {
    if buffers[filling].batch.frameCount > 0 { send() }
    return queue.sync { worker.encoder }
  }

  private func send() {
    slots.wait()
    let buffer = buffers[filling], worker = worker, slots = slots
    queue.async {
      worker.encode(buffer.batch)
      buffer.batch.removeAll()
      slots.signal()
    }
    filling = (filling + 1) % buffers.count
  }
}

/// A batch's storage. The caller fills it; from `send()` until the queue signals a slot, only the queue
/// touches it — the hand-over the unchecked `Sendable` relies on.
private final class BatchBuffer: @unchecked Sendable {
  var batch = FrameBatch()
}

/// Frames as what changed: per frame the number of boxes, or -1 for a whole frame; the boxes (clipped);
/// and their pixels, row after row, in the first `byteCount` bytes of `pixels` (which only grows, so that
/// rows are written through a pointer rather than appended one by one).
struct FrameBatch: Sendable {
  var boxCounts: [Int] = []
  var boxes: [FrameBox] = []
  var pixels: [UInt8] = []
  var byteCount = 0

  var frameCount: Int { boxCounts.count }

  mutating func add(_ frame: UnsafeBufferPointer<UInt8>) {
    boxCounts.append(-1)
    write(frame.count) { $0.update(from: frame.baseAddress!, count: frame.count) }
  }

  mutating func add(_ frame: UnsafePointer<UInt8>, width: Int, height: Int, boxes given: [FrameBox]) {
    var count = 0
    for box in given {
      let clipped = FrameBox(x0: max(box.x0, 0), y0: max(box.y0, 0), x1: min(box.x1, width - 1), y1: min(box.y1, height - 1))
      guard clipped.x0 <= clipped.x1 && clipped.y0 <= clipped.y1 else { continue }
      boxes.append(clipped)
      count += 1
      let rowBytes = (clipped.x1 - clipped.x0 + 1) * 3
      write(rowBytes * (clipped.y1 - clipped.y0 + 1)) { out in
        for y in clipped.y0...clipped.y1 {
          (out + (y - clipped.y0) * rowBytes).update(from: frame + (y * width + clipped.x0) * 3, count: rowBytes)
        }
      }
    }
    boxCounts.append(count)
  }

  /// Lets `body` fill the next `count` bytes.
  private mutating func write(_ count: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Void) {
    if pixels.count < byteCount + count { pixels += repeatElement(0, count: max(byteCount + count - pixels.count, pixels.count)) }
    pixels.withUnsafeMutableBufferPointer { body($0.baseAddress! + byteCount) }
    byteCount += count
  }

  mutating func removeAll() {
    boxCounts.removeAll(keepingCapacity: true)
    boxes.removeAll(keepingCapacity: true)
    byteCount = 0
  }
}

/// The encoder and its copy of the current frame; touched only on the background encoder's serial queue
/// (and by `finish()` through `queue.sync`), which is what makes the unchecked `Sendable` sound.
private final class Worker: @unchecked Sendable {
  var encoder: GIFEncoder
  private var current: Frame

  init(_ encoder: GIFEncoder) {
    self.encoder = encoder
    current = Frame(width: encoder.width, height: encoder.height)
  }

  func encode(_ batch: FrameBatch) {
    var offset = 0, first = 0
    let width = current.width
    for count in batch.boxCounts {
      batch.pixels.withUnsafeBufferPointer { source in
        current.pixels.withUnsafeMutableBufferPointer { frame in
          if count < 0 {
            frame.baseAddress!.update(from: source.baseAddress! + offset, count: frame.count)
            offset += frame.count
            return
          }
          for box in batch.boxes[first..<(first + count)] {
            let rowBytes = (box.x1 - box.x0 + 1) * 3
            for y in box.y0...box.y1 {
              (frame.baseAddress! + (y * width + box.x0) * 3).update(from: source.baseAddress! + offset, count: rowBytes)
              offset += rowBytes
            }
          }
        }
      }
      encoder.append(current, changedWithin: count < 0 ? nil : batch.boxes[first..<(first + count)])
      if count > 0 { first += count }
    }
  }
}
