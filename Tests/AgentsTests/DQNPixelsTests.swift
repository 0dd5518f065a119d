import Agents
import EnvironmentCore
import Foundation
import Testing

/// The DQN on the `pixels` observation: decoding, and the configuration keys.
@Suite struct DQNPixelsTests {
  @Test func decoderSplitsAFrameIntoIntensityPlanes() throws {
    var frame = Frame(width: 7, height: 5)
    var rng = SplitMix64(seed: 3)
    for i in frame.pixels.indices { frame.pixels[i] = UInt8(truncatingIfNeeded: rng.next()) }
    frame.pixels[0] = 255
    frame.pixels[1] = 0
    let decoder = try DQNConfiguration().decoder(for: frame)
    #expect(decoder.frameShape == [3, 5, 7] && decoder.frameBytes == frame.pixels.count)
    var inputs = [Float](repeating: 9, count: decoder.inputCount)   // 9: an input left unwritten shows
    frame.withFrameBytes { bytes in inputs.withUnsafeMutableBufferPointer { decoder.decode(bytes, into: $0.baseAddress!) } }
    let cells = frame.width * frame.height
    var mismatches = 0
    for i in 0..<cells {
      for c in 0..<3 where UInt8((inputs[c * cells + i] * 255).rounded()) != frame.pixels[3 * i + c] { mismatches += 1 }
    }
    #expect(mismatches == 0, "decoding × 255 gives back every byte")
    #expect(inputs.allSatisfy { (0...1).contains($0) } && inputs[0] == 1 && inputs[cells] == 0, "red plane first, then green")
  }

  @Test func badPixelSizesAreProblemsNamingTheKey() {
    var c = DQNConfiguration()
    #expect(c.problems().isEmpty && c.observation == .grid && c.pixelSize == .full)
    c.observation = .pixels
    for bad in [PixelSize.downsampled(width: 0, height: 10), .downsampled(width: 10, height: -3)] {
      c.pixelSize = bad
      #expect(c.problems().map(\.key) == ["pixelSize"], "\(bad)")
    }
  }

  /// Presets write `observation: grid | pixels` and `pixelSize: [width, height]` or `[]`; other values are refused
  /// when read, with what is allowed.
  @Test func observationAndPixelSizeReadTheirPresetForms() throws {
    struct Keys: Codable { var observation: DQNObservation; var pixelSize: PixelSize }
    let read = try JSONDecoder().decode(Keys.self, from: Data(#"{"observation": "pixels", "pixelSize": [32, 40]}"#.utf8))
    #expect(read.observation == .pixels && read.pixelSize == .downsampled(width: 32, height: 40))
    #expect(try JSONDecoder().decode(Keys.self, from: Data(#"{"observation": "grid", "pixelSize": []}"#.utf8)).pixelSize == .full)
    #expect(String(decoding: try JSONEncoder().encode(read.pixelSize), as: UTF8.self) == "[32,40]")
    for bad in [#"{"observation": "pixel", "pixelSize": []}"#, #"{"observation": "grid", "pixelSize": [42]}"#] {
      #expect(throws: DecodingError.self) { try JSONDecoder().decode(Keys.self, from: Data(bad.utf8)) }
    }
  }
}
