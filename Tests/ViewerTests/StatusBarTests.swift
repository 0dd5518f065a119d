import EnvironmentCore
import Testing
import Viewer

@Test func statusLinesShowEnvironmentEpisodeStepReturnLivesAndFPS() {
  let status = Status(environment: "breakout/standard", episode: 2, step: 123, totalReturn: 7, lives: 3, fps: 30, paused: false)
  #expect(status.lines == ["breakout/standard  EP 2", "STEP 123  RET 7  LIVES 3  30 FPS"])
  let paused = Status(environment: "x", episode: 0, step: 0, totalReturn: -1.5, lives: nil, fps: 59.6, paused: true)
  #expect(paused.lines[1] == "STEP 0  RET -1.5  60 FPS  PAUSED")
}

@Test func composeScalesTheGameAndAddsAStripBelow() {
  var game = Frame(width: 5, height: 4, color: RGB(10, 20, 30))
  game[4, 3] = RGB(200, 0, 0)
  let picture = StatusBar.compose(game, scale: 4, lines: ["AB", "12"])
  let strip = StatusBar.height(lines: 2, scale: 4)
  #expect(strip == (2 * 7 + 2) * 2)
  #expect(picture.width == 20 && picture.height == 16 + strip)
  for y in 0..<16 { for x in 0..<20 { #expect(picture[x, y] == game[x / 4, y / 4]) } }
  // The strip is background with some text pixels.
  var text = 0
  for y in 16..<picture.height {
    for x in 0..<20 {
      let c = picture[x, y]
      #expect(c == StatusBar.background || c == StatusBar.foreground)
      if c == StatusBar.foreground { text += 1 }
    }
  }
  #expect(text > 0)
}

@Test func theFontDrawsTheGlyphItKnows() {
  var frame = Frame(width: 3, height: 5)
  BitmapFont.draw("1", into: &frame, x: 0, y: 0, color: RGB(255, 255, 255))
  let rows = (0..<5).map { y in String((0..<3).map { frame[$0, y] == .black ? "." : "#" }) }
  #expect(rows == [".#.", "##.", ".#.", ".#.", "###"])
  #expect(BitmapFont.glyph("a") == BitmapFont.glyph("A"))
  #expect(BitmapFont.glyph("~") == BitmapFont.glyph("?"))
  #expect(BitmapFont.width(of: "ABC", size: 2) == 22)
}

@Test func textIsClippedToTheFrame() {
  var frame = Frame(width: 6, height: 4)
  BitmapFont.draw("WWWWWW", into: &frame, x: 4, y: 2, size: 2, color: RGB(1, 2, 3))
  #expect(frame[5, 3] == RGB(1, 2, 3))
}
