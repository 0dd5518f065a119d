import Agents
import EnvironmentCore

/// Draws what an agent expects over the game's frame (`--overlay`): the predicted path of each ball as a trail of
/// cyan pixels that fades with the steps ahead, and each planned paddle target as a yellow cross.
public enum PlanOverlay {
  /// Draws `agent`'s overlay onto `frame`, or nothing when the agent does not report a plan.
  public static func draw<A: Agent>(_ agent: inout A, on frame: inout Frame) {
    guard let reporting = agent as? any PlanReporting else { return }
    draw(reporting.overlay, on: &frame)
  }

  /// Draws `overlay` onto `frame`; points off the frame are skipped.
  public static func draw(_ overlay: SchemaOverlay, on frame: inout Frame) {
    func plot(_ x: Int, _ y: Int, _ color: RGB) {
      guard x >= 0, y >= 0, x < frame.width, y < frame.height else { return }
      frame[x, y] = color
    }
    for path in overlay.paths {
      for (step, point) in path.enumerated() {
        let fade = UInt8(max(60, 255 - step * 2))
        plot(point.x, point.y, RGB(0, fade, fade))
      }
    }
    for target in overlay.targets {
      for d in -2...2 {
        plot(target.x + d, target.y, RGB(255, 220, 0))
        plot(target.x, target.y + d, RGB(255, 220, 0))
      }
    }
  }
}
