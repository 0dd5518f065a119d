/// A dense, row-major array of `Float` values with a shape.
///
/// Storage is one contiguous buffer, so a tensor of shape `[batch, channels, height, width]` is laid out
/// NCHW. Tensors are values: copying one is cheap, and the buffer is copied only when a shared copy is
/// mutated. Kernels reach the buffer through ``withUnsafePointer(_:)`` and ``withUnsafeMutablePointer(_:)``.
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
  /// The extent of each dimension, outermost first.
  public private(set) var shape: [Int]
  /// The values in row-major order; `scalars.count` is the product of `shape`.
  public private(set) var scalars: [Float]

  /// A tensor of `shape` with every element equal to `value`.
  public init(shape: [Int], repeating value: Float = 0) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
    self.shape = shape
    scalars = [Float](repeating: value, count: shape.reduce(1, *))
  }

  /// A tensor of `shape` holding `scalars` in row-major order.
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
  }

  /// A tensor of `shape` whose every element `initializer` writes (the buffer starts uninitialised).
  public init(shape: [Int], initializingWith initializer: (UnsafeMutablePointer<Float>) throws -> Void) rethrows {
    let count = shape.reduce(1, *)
    self.shape = shape
    scalars = try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      if let base = buffer.baseAddress { try initializer(base) }
      initialized = count
    }
  }

  /// The number of elements.
  public var count: Int { scalars.count }

  /// The same values seen with another shape of the same element count.
  public func reshaped(to newShape: [Int]) -> Tensor {
    var copy = self
    copy.reshape(to: newShape)
    return copy
  }

  /// Gives the tensor another shape of the same element count.
  public mutating func reshape(to newShape: [Int]) {
    precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
    shape = newShape
  }

  /// The element at row-major position `index`.
  public subscript(index: Int) -> Float {
    get { scalars[index] }
    set { scalars[index] = newValue }
  }

  /// Calls `body` with a pointer to the first element (valid only during the call).
  public func withUnsafePointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
    try scalars.withUnsafeBufferPointer { try body($0.baseAddress ?? UnsafePointer(bitPattern: 16)!) }
  }

  /// Calls `body` with a mutable pointer to the first element (valid only during the call).
  public mutating func withUnsafeMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    try scalars.withUnsafeMutableBufferPointer { try body($0.baseAddress ?? UnsafeMutablePointer(bitPattern: 16)!) }
  }

  /// Sets every element to `value`.
  public mutating func fill(with value: Float) {
    let n = count
    withUnsafeMutablePointer { $0.update(repeating: value, count: n) }
  }

  public var description: String { "Tensor(shape: \(shape), scalars: \(scalars))" }
}
