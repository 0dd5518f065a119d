import EnvironmentCore
import EnvironmentTesting
import Games
import Recording
import Testing

/// Frames of a Standard Breakout episode under a fixed action pattern: the initial frame, then one per step.
private func breakoutFrames(count: Int) -> [Frame] {
  var env = GameEnvironment(game: Breakout(level: BreakoutLevel()), form: NoObservation())
  _ = env.reset(seed: 11)
  var frames = [env.render()]
  var step = 0
  while frames.count < count {
    let outcome = env.step([1, 1, 2, 0, 2][step % 5]).outcome
    step += 1
    frames.append(env.render())
    if outcome.isFinal { _ = env.reset(seed: nil); frames.append(env.render()) }
  }
  return Array(frames.prefix(count))
}

@Test func aBreakoutAnimationDecodesToTheSameFrames() throws {
  let frames = breakoutFrames(count: 120)
  #expect(Set(frames).count > 60, "the ball and paddle move")
  for scale in [1, 2] {
    var gif = GIFEncoder(width: frames[0].width, height: frames[0].height, scale: scale, delayCentiseconds: GIFEncoder.delay(fps: 30))
    for frame in frames { gif.append(frame) }
    let bytes = gif.data()
    let decoded = try GIFDecoder.decode(bytes)
    #expect(decoded.frames.count == frames.count)
    #expect(decoded.frames == frames.map { $0.scaled(by: scale) }, "scale \(scale)")
    #expect(decoded.delays.allSatisfy { $0 == 3 })
    #expect(decoded.localTables == 0)
    #expect(decoded.globalColorCount <= 16, "a Breakout recording needs few colours")
    if scale == 1 { #expect(bytes.count < 40_000, "\(bytes.count) bytes for 120 frames") }
  }
}

@Test func breakoutFramesSurviveAPNGRoundTrip() throws {
  for frame in breakoutFrames(count: 30).enumerated().filter({ $0.offset % 10 == 9 }).map(\.element) {
    #expect(try PNGDecoder.decode(frame.scaled(by: 2).pngData()) == frame.scaled(by: 2))
  }
}
