import Agents
import EnvironmentCore
import Games
import Testing

/// The DQN on the `pixels` observation: decoding, the configuration keys, and one input path for all callers.
@Suite struct DQNPixelsTests {
  @Test func decoderSplitsARealBreakoutFrameIntoIntensityPlanes() throws {
    var env = GameEnvironment(game: Breakout(level: BreakoutLevel()), form: Pixels())
    _ = env.reset(seed: 3)
    let frame = env.step(1).observation
    let decoder = PixelsDecoder(width: frame.width, height: frame.height)
    #expect(decoder.frameShape == [3, 117, 94] && decoder.frameBytes == frame.pixels.count)
    var inputs = [Float](repeating: 9, count: decoder.inputCount)   // 9: an input left unwritten shows
    frame.withFrameBytes { bytes in inputs.withUnsafeMutableBufferPointer { decoder.decode(bytes, into: $0.baseAddress!) } }
    let cells = frame.width * frame.height
    var mismatches = 0
    for i in 0..<cells {
      for c in 0..<3 where UInt8((inputs[c * cells + i] * 255).rounded()) != frame.pixels[3 * i + c] { mismatches += 1 }
    }
    #expect(mismatches == 0, "decoding × 255 gives back every byte")
    #expect(inputs.allSatisfy { (0...1).contains($0) })
    let nonzero = inputs.filter { $0 != 0 }.count
    #expect(nonzero > 0 && nonzero * 2 < inputs.count, "a black background, walls and bricks (\(nonzero) of \(inputs.count) nonzero)")
  }

  @Test func configurationPicksThePixelsDecoderAtTheAskedSize() throws {
    var c = DQNConfiguration()
    c.observation = "pixels"
    let standard = Breakout(level: BreakoutLevel())
    var level = BreakoutLevel()
    (level.width, level.height) = (54, 67)
    let small = Breakout(level: level)
    #expect(try c.decoder(for: standard).frameShape == [3, 117, 94], "no pixelSize: the full frame")
    c.pixelSize = [32, 39]
    #expect(try c.decoder(for: standard).frameShape == [3, 39, 32])
    #expect(try c.decoder(for: small).frameShape == [3, 39, 32], "a fixed size reads variants of other screen sizes")
    c.pixelSize = [200, 20]
    #expect(try c.decoder(for: small).frameShape == [3, 20, 54], "never upsampled")
    c.observation = "grid"
    #expect(try c.decoder(for: standard) is GridBitsDecoder)
  }

  @Test func badObservationKeysAreProblemsNamingTheKey() {
    var c = DQNConfiguration()
    #expect(c.problems().isEmpty && c.observation == "grid" && c.pixelSize.isEmpty)
    c.observation = "pixel"
    #expect(c.problems().map(\.key) == ["observation"] && c.problems()[0].value == "pixel")
    #expect(throws: AgentMismatch.self) { try c.decoder(for: Breakout(level: BreakoutLevel())) }
    c.observation = "pixels"
    for bad in [[42], [0, 10], [10, 10, 3]] {
      c.pixelSize = bad
      #expect(c.problems().map(\.key) == ["pixelSize"], "\(bad)")
      #expect(throws: AgentMismatch.self) { try c.decoder(for: Breakout(level: BreakoutLevel())) }
    }
  }
}
