import Recording
import EnvironmentCore
import EnvironmentTesting
import Testing

/// The background encoder must write the serial encoder's bytes: over several batches (by frame count and
/// by bytes), with damage boxes, without, and mixed.
@Test(arguments: [1, 2])
func theBackgroundEncoderWritesTheSerialEncodersBytes(scale: Int) throws {
  let frames = movingRectangles(count: 700)
  for variant in ["boxes", "whole frames", "mixed"] {
    var serial = GIFEncoder(width: 40, height: 30, scale: scale, delayCentiseconds: 3)
    let background = GIFBackgroundEncoder(width: 40, height: 30, scale: scale, delayCentiseconds: 3)
    for (i, (frame, boxes)) in frames.enumerated() {
      let told: [FrameBox]? = switch variant {
      case "boxes": boxes
      case "whole frames": nil
      default: i % 7 == 3 ? nil : boxes
      }
      serial.append(frame)
      background.append(frame, changedWithin: told)
    }
    let finished = background.finish()
    #expect(finished.frameCount == frames.count, "\(variant)")
    #expect(finished.data() == serial.data(), "\(variant), scale \(scale)")
  }
}

@Test func aBackgroundRecordingOfOneFrameDecodes() throws {
  let frame = movingRectangles(count: 1)[0].frame
  let background = GIFBackgroundEncoder(width: 40, height: 30)
  background.append(frame, changedWithin: [FrameBox(x0: 0, y0: 0, x1: 0, y1: 0)])  // the first frame is whole anyway
  #expect(try GIFDecoder.decode(background.finish().data()).frames == [frame])
}
