import Checksums

/// Why a weights file was rejected.
public enum WeightsError: Error, Equatable, CustomStringConvertible {
  /// The bytes end before the header or payload they announce.
  case truncated
  /// The file does not start with ``WeightsFormat/magic``: not a weights file.
  case wrongMagic
  /// Written by a format version this build does not read.
  case unsupportedVersion(found: UInt32, supported: UInt32)
  /// The stored checksum does not match the contents: the file is corrupt.
  case checksumMismatch(stored: UInt32, computed: UInt32)
  /// The tensors' shapes differ from the network's.
  case architectureMismatch(expected: [[Int]], found: [[Int]])

  public var description: String {
    switch self {
    case .truncated: "weights file is truncated"
    case .wrongMagic: "not a SchemaArcade weights file (wrong magic bytes)"
    case .unsupportedVersion(let found, let supported): "weights file version \(found) is not supported (this build reads version \(supported))"
    case .checksumMismatch(let stored, let computed):
      "weights file is corrupt: checksum \(hex(stored)) stored, \(hex(computed)) computed"
    case .architectureMismatch(let expected, let found):
      "weights do not fit the network: it has tensor shapes \(expected), the file holds \(found)"
    }
  }

  private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16, uppercase: true) }
}

/// A versioned binary container for a list of tensors (a network's parameters, optimiser moments, …).
///
/// Layout, all integers little-endian `UInt32`:
///
///     magic "SAWT" · version · tensor count · per tensor: rank, then each dimension ·
///     payload: every tensor's Float32 values, little-endian, in order · CRC-32 of all preceding bytes
public enum WeightsFormat {
  /// The first four bytes of every file: "SAWT" (SchemaArcade weights and tensors).
  public static let magic: [UInt8] = Array("SAWT".utf8)
  /// The version this build writes and reads. Version 2 stores `Linear` weights as `[inputs, outputs]`;
  /// version 1 files (PyTorch's `[outputs, inputs]`) are refused rather than read transposed.
  public static let version: UInt32 = 2

  /// The encoded bytes for `tensors`.
  public static func encode(_ tensors: [Tensor]) -> [UInt8] {
    var bytes = magic
    bytes.reserveCapacity(16 + tensors.reduce(0) { $0 + 4 * ($1.shape.count + 1 + $1.count) })
    append(version, to: &bytes)
    append(UInt32(tensors.count), to: &bytes)
    for tensor in tensors {
      append(UInt32(tensor.shape.count), to: &bytes)
      for dimension in tensor.shape { append(UInt32(dimension), to: &bytes) }
    }
    for tensor in tensors {
      for value in tensor.scalars { append(value.bitPattern, to: &bytes) }
    }
    append(Checksum.crc32(bytes), to: &bytes)
    return bytes
  }

  /// The tensors stored in `bytes`, checked for magic, version and checksum; when `expectedShapes` is
  /// given, also for shapes.
  public static func decode(_ bytes: [UInt8], expectedShapes: [[Int]]? = nil) throws(WeightsError) -> [Tensor] {
    guard bytes.count >= 4, Array(bytes[0..<4]) == magic else { throw .wrongMagic }
    var reader = ByteReader(bytes: bytes, offset: 4)
    let found = try reader.uint32()
    guard found == version else { throw .unsupportedVersion(found: found, supported: version) }
    guard bytes.count >= 16 else { throw .truncated }
    let body = bytes.count - 4
    let stored = ByteReader(bytes: bytes, offset: body).peekUInt32()
    let computed = Checksum.crc32(bytes[0..<body])
    guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
    reader.limit = body
    let count = Int(try reader.uint32())
    var shapes: [[Int]] = []
    for _ in 0..<count {
      let rank = Int(try reader.uint32())
      guard rank <= 16 else { throw .truncated }
      var shape: [Int] = []
      for _ in 0..<rank { shape.append(Int(try reader.uint32())) }
      shapes.append(shape)
    }
    if let expectedShapes, expectedShapes != shapes { throw .architectureMismatch(expected: expectedShapes, found: shapes) }
    var tensors: [Tensor] = []
    for shape in shapes {
      // A crafted header may multiply past Int.max: overflow means more values than the file holds.
      var n = 1
      for size in shape {
        let (product, overflow) = n.multipliedReportingOverflow(by: size)
        guard !overflow else { throw .truncated }
        n = product
      }
      guard n <= (body - reader.offset) / 4 else { throw .truncated }
      var values = [Float](repeating: 0, count: n)
      for index in 0..<n { values[index] = Float(bitPattern: try reader.uint32()) }
      tensors.append(Tensor(shape: shape, scalars: values))
    }
    guard reader.offset == body else { throw .truncated }
    return tensors
  }

  private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
    let little = value.littleEndian
    withUnsafeBytes(of: little) { bytes.append(contentsOf: $0) }
  }
}

/// Little-endian reads with bounds checks.
private struct ByteReader {
  let bytes: [UInt8]
  var offset: Int
  var limit: Int

  init(bytes: [UInt8], offset: Int) {
    self.bytes = bytes
    self.offset = offset
    limit = bytes.count
  }

  func peekUInt32() -> UInt32 {
    (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
  }

  mutating func uint32() throws(WeightsError) -> UInt32 {
    guard offset + 4 <= limit else { throw .truncated }
    defer { offset += 4 }
    return peekUInt32()
  }
}

extension Sequential {
  /// The parameters encoded with ``WeightsFormat``.
  public func encodedWeights() -> [UInt8] { WeightsFormat.encode(parameters.map(\.value)) }

  /// Replaces the parameters with those in `bytes`; throws (and changes nothing) if the bytes are corrupt
  /// or hold another architecture.
  public func loadWeights(_ bytes: [UInt8]) throws(WeightsError) {
    let parameters = parameters
    let tensors = try WeightsFormat.decode(bytes, expectedShapes: parameters.map(\.value.shape))
    for (parameter, tensor) in zip(parameters, tensors) { parameter.value = tensor }
  }
}
