import Testing
import Viewer

private let breakout = ActionMapper(actionNames: ["NOOP", "LEFT", "RIGHT"])
private let platformer = ActionMapper(actionNames: ["NOOP", "LEFT", "RIGHT", "UP", "DOWN", "JUMP"])
private let shooter = ActionMapper(actionNames: ["NOOP", "FIRE", "LEFT", "RIGHT", "LEFTFIRE", "RIGHTFIRE"])

@Test func noKeyIsNoop() {
  #expect(breakout.action(held: []) == 0)
  #expect(platformer.action(held: []) == 0)
  #expect(ActionMapper(actionNames: ["LEFT", "RIGHT", "NOOP"]).action(held: []) == 2)
}

@Test func arrowsAndADSteerLeftAndRight() {
  #expect(breakout.action(held: [.left]) == 1)
  #expect(breakout.action(held: [.a]) == 1)
  #expect(breakout.action(held: [.right]) == 2)
  #expect(breakout.action(held: [.d]) == 2)
  #expect(breakout.action(held: [.left, .d]) == 0, "opposite keys cancel")
}

@Test func spaceJumpsWhereTheGameJumpsAndFiresElsewhere() {
  #expect(platformer.action(held: [.space]) == 5)
  #expect(shooter.action(held: [.space]) == 1)
  #expect(breakout.action(held: [.space]) == 0, "Breakout has neither: the key is ignored")
  #expect(breakout.action(held: [.space, .right]) == 2)
}

@Test func upAndDownClimbOnlyWhereTheGameHasThem() {
  #expect(platformer.action(held: [.w]) == 3)
  #expect(platformer.action(held: [.up]) == 3)
  #expect(platformer.action(held: [.s]) == 4)
  #expect(platformer.action(held: [.down]) == 4)
  #expect(breakout.action(held: [.up]) == 0)
  #expect(breakout.action(held: [.down, .left]) == 1)
}

@Test func theButtonWinsOverDirectionsUnlessACombinedActionExists() {
  #expect(platformer.action(held: [.space, .left]) == 5)
  #expect(platformer.action(held: [.up, .right]) == 3)
  #expect(shooter.action(held: [.space, .left]) == 4)
  #expect(shooter.action(held: [.space, .d]) == 5)
  let underscored = ActionMapper(actionNames: ["NOOP", "JUMP", "LEFT", "JUMP_LEFT"])
  #expect(underscored.action(held: [.left, .space]) == 3)
}

@Test func controlKeysAreCommands() {
  #expect(ViewerCommand(.p) == .togglePause)
  #expect(ViewerCommand(.r) == .restart)
  #expect(ViewerCommand(.escape) == .quit)
  #expect(ViewerCommand(.n) == .singleStep)
  #expect(ViewerCommand(.plus) == .faster)
  #expect(ViewerCommand(.minus) == .slower)
  #expect(ViewerCommand(.left) == nil)
  #expect(ViewerCommand(.space) == nil)
}

@Test func speedKeysMoveAlongTheSpeedLadder() {
  #expect(PlaybackSpeed.faster(than: 30) == 45)
  #expect(PlaybackSpeed.slower(than: 30) == 20)
  #expect(PlaybackSpeed.faster(than: 240) == 240)
  #expect(PlaybackSpeed.slower(than: 1) == 1)
  #expect(PlaybackSpeed.faster(than: 25) == 30)
}
