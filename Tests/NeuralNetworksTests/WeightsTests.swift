import Foundation
import NeuralNetworks
import Testing

@Suite struct WeightsTests {
  func network(seed: UInt64, hidden: Int = 5) -> Sequential {
    var generator = TestGenerator(seed: seed)
    return Sequential([
      Conv2D(inChannels: 1, outChannels: 2, kernel: 3, using: &generator), ReLU(), Flatten(),
      Linear(inputs: 2 * 2 * 2, outputs: hidden, using: &generator),
    ])
  }

  @Test func roundTripsThroughBytesAndFiles() throws {
    let source = network(seed: 1), copy = network(seed: 2)
    try copy.loadWeights(source.encodedWeights())
    #expect(copy.parameters.map(\.value) == source.parameters.map(\.value))

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nn-weights-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("q.weights").path
    try source.saveWeights(to: path)
    let third = network(seed: 3)
    try third.loadWeights(from: path)
    #expect(third.parameters.map(\.value) == source.parameters.map(\.value))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["q.weights"])
  }

  @Test func headerIsLittleEndianAndVersioned() {
    let bytes = network(seed: 1).encodedWeights()
    #expect(Array(bytes[0..<4]) == Array("SAWT".utf8))
    #expect(Array(bytes[4..<8]) == [2, 0, 0, 0])
    #expect(Array(bytes[8..<12]) == [4, 0, 0, 0])
  }

  func expectRejection(_ bytes: [UInt8], _ expected: WeightsError, sourceLocation: SourceLocation = #_sourceLocation) {
    let target = network(seed: 2), before = target.parameters.map(\.value)
    #expect(throws: expected, sourceLocation: sourceLocation) { try target.loadWeights(bytes) }
    #expect(target.parameters.map(\.value) == before, "a failed load changed the network", sourceLocation: sourceLocation)
  }

  @Test func rejectsWrongMagic() {
    var bytes = network(seed: 1).encodedWeights()
    bytes[0] = UInt8(ascii: "X")
    expectRejection(bytes, .wrongMagic)
    expectRejection([], .wrongMagic)
  }

  @Test func rejectsAnotherVersion() {
    var bytes = network(seed: 1).encodedWeights()
    bytes[4] = 1
    expectRejection(bytes, .unsupportedVersion(found: 1, supported: 2))
    bytes[4] = 3
    expectRejection(bytes, .unsupportedVersion(found: 3, supported: 2))
  }

  @Test func rejectsACorruptPayload() throws {
    var bytes = network(seed: 1).encodedWeights()
    bytes[bytes.count / 2] ^= 0x10
    let error = try #require(throws: WeightsError.self) { try network(seed: 2).loadWeights(bytes) }
    guard case .checksumMismatch = error else { Issue.record("expected a checksum error, got \(error)"); return }
    #expect(error.description.contains("corrupt"))
  }

  @Test func rejectsATruncatedFile() throws {
    let bytes = network(seed: 1).encodedWeights()
    let error = try #require(throws: WeightsError.self) { try network(seed: 2).loadWeights(Array(bytes.dropLast(9))) }
    guard case .checksumMismatch = error else { Issue.record("expected a checksum error, got \(error)"); return }
  }

  @Test func rejectsAnotherArchitecture() throws {
    let bytes = network(seed: 1, hidden: 6).encodedWeights()
    let error = try #require(throws: WeightsError.self) { try network(seed: 2).loadWeights(bytes) }
    guard case .architectureMismatch(let expected, let found) = error else {
      Issue.record("expected an architecture error, got \(error)"); return
    }
    #expect(expected.last == [5] && found.last == [6])
    #expect(error.description.contains("do not fit"))
  }

  @Test func missingFileIsAnError() {
    #expect(throws: (any Error).self) { try network(seed: 1).loadWeights(from: "/nonexistent/q.weights") }
  }
}
