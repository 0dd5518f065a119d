import EnvironmentCore
import Foundation
import Testing
@testable import Games

/// A redraw into the previous drawing must give the frame a full render gives, and change nothing outside
/// the damage it reports; checked over random play, across lost balls, broken bricks and resets.
@Test(arguments: Catalog.ids.filter { $0.family == "breakout" }.map(\.variant))
func redrawEqualsAFullRenderAndStaysInsideItsDamage(variant: String) throws {
  var g = try game(variant, seed: 5)
  let width = g.frameWidth, height = g.frameHeight, count = width * height * 3
  var buffer = [UInt8](repeating: 0, count: count), expected = buffer, before = buffer
  var drawing = FrameDrawing()
  var rng = SplitMix64(seed: 9)
  var partial = 0, full = 0, mismatches = 0, outside = 0
  for step in 0..<1_500 {
    if step > 0, g.advance(rng.nextInt(below: 3)).isTerminal || step % 500 == 0 { g.reset(seed: UInt64(step)) }
    let checksDamage = step % 10 == 0
    if checksDamage { before = buffer }
    buffer.withUnsafeMutableBufferPointer { g.redraw(into: $0, drawing: &drawing) }
    expected.withUnsafeMutableBufferPointer { g.render(into: $0) }
    if memcmp(buffer, expected, count) != 0 { mismatches += 1 }
    guard let damage = drawing.damage else { full += 1; continue }
    partial += 1
    guard checksDamage else { continue }
    var inside = [Bool](repeating: false, count: width * height)
    for box in damage {
      for y in max(box.y0, 0)..<min(box.y1 + 1, height) {
        for x in max(box.x0, 0)..<min(box.x1 + 1, width) { inside[y * width + x] = true }
      }
    }
    buffer.withUnsafeBufferPointer { now in
      before.withUnsafeBufferPointer { then in
        for i in 0..<(width * height) where !inside[i] && memcmp(now.baseAddress! + 3 * i, then.baseAddress! + 3 * i, 3) != 0 {
          outside += 1
        }
      }
    }
  }
  #expect(mismatches == 0, "\(variant): \(mismatches) redraws differ from a full render")
  #expect(outside == 0, "\(variant): \(outside) pixels changed outside the damage")
  #expect(partial > 1_000, "\(variant): most steps repaint only what moved (\(partial) of 1500)")
  #expect(full >= 3, "\(variant): a new episode redraws everything")
}

@Test func aFreshDrawingRecordMeansAFullRedraw() throws {
  var g = try game("standard")
  var buffer = [UInt8](repeating: 7, count: g.frameWidth * g.frameHeight * 3), expected = buffer
  var drawing = FrameDrawing()
  buffer.withUnsafeMutableBufferPointer { g.redraw(into: $0, drawing: &drawing) }
  _ = g.advance(Action.left)
  drawing = FrameDrawing()  // the buffer is said to hold anything
  buffer.withUnsafeMutableBufferPointer { g.redraw(into: $0, drawing: &drawing) }
  expected.withUnsafeMutableBufferPointer { g.render(into: $0) }
  #expect(drawing.damage == nil)
  #expect(buffer == expected)
}
