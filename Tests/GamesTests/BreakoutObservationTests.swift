import EnvironmentCore
import EnvironmentTesting
import Testing
@testable import Games

@Suite struct BreakoutObservationTests {
  @Test func pixelsShowWallsBricksPaddleAndBallInReferenceColours() throws {
    var env = GameEnvironment(game: try game("standard"), form: Pixels())
    let frame = env.reset(seed: 3)
    #expect((frame.width, frame.height) == (94, 117))
    #expect(frame[0, 0] == RGB(142, 142, 142) && frame[93, 116] == RGB(142, 142, 142))
    #expect(frame[47, 3] == .black, "the gap under the top wall")
    #expect(frame[5, 116 - 88] == RGB(66, 72, 200) && frame[5, 116 - 111] == RGB(200, 72, 73))
    #expect(frame[47, 116 - 1] == RGB(142, 142, 142) || frame[47, 116 - 1] == .black)
    #expect(frame[47, 115] == .black, "punishment rows are invisible")
    let g = env.game
    #expect(frame[g.paddle.x, 116 - g.paddle.y] == RGB(200, 72, 73))
    #expect(frame[g.balls[0].x, 116 - g.balls[0].y] == RGB(200, 72, 73))
  }

  @Test func gridPlanesMatchObjects() throws {
    var env = GameEnvironment(game: try game("standard"), form: Grid())
    let grid = env.reset(seed: 3)
    let g = env.game
    #expect(grid.layout.channels == [.ball, .paddle, .wall, .brick, .void])
    #expect(grid.count(channel: 0) == 1)
    #expect(grid.count(channel: 1) == 23 * 4)
    #expect(grid.count(channel: 3) == 66 * 32)
    #expect(grid.contains(.ball, x: g.balls[0].x, y: 116 - g.balls[0].y))
    let cells = 94 * 117
    #expect((0..<5).map { grid.count(channel: $0) }.reduce(0, +) == cells, "planes partition the lattice")
    let bytes = grid.bytes()
    #expect(bytes.count == 5 * cells && bytes.reduce(0) { $0 + Int($1) } == cells)
  }

  @Test func pooledGridKeepsTheOnePixelBall() throws {
    var env = GameEnvironment(game: try game("standard"), form: Grid(pool: 6))
    let grid = env.reset(seed: 3)
    #expect((grid.layout.width, grid.layout.height) == (16, 20))
    let ball = env.game.balls[0]
    #expect(grid.count(channel: 0) == 1)
    #expect(grid.contains(.ball, x: ball.x / 6, y: (116 - ball.y) / 6))
  }

  @Test func variantsAddObstacleAndNegativeBrickPlanes() throws {
    #expect(try game("moving-obstacles").gridChannels.contains(GridChannel(.obstacle)))
    #expect(try game("half-negative").gridChannels.contains(GridChannel(.negativeBrick)))
    #expect(try !game("standard").gridChannels.contains(GridChannel(.obstacle)))
  }

  @Test func entitiesListEveryObjectOnceWithStableIds() throws {
    var env = GameEnvironment(game: try game("standard"), form: Entities())
    let first = env.reset(seed: 3)
    #expect(first.count == 3 + 1 + 66 + 1 + 1)
    #expect(first[0].kind == .ball && first[1].kind == .paddle)
    #expect(first.filter { $0.kind == .punishment }.map { [$0.y, $0.height] } == [[114, 3]])
    let paddle = first[1]
    #expect(paddle.y == 116 - 3 - 3 && paddle.width == 23)
    var later = first
    for _ in 0..<30 { later = env.step(Action.left).observation }
    let ids = Dictionary(uniqueKeysWithValues: first.map { ($0.id, $0.kind) })
    #expect(later.allSatisfy { ids[$0.id] == $0.kind }, "ids keep their meaning within an episode")
    #expect(env.reset(seed: 3) == first, "ids restart at every reset")
  }

  @Test func pixelExpansionReportsEveryPixelWithItsPart() throws {
    var env = GameEnvironment(game: try game("standard"), form: Entities(expandPixels: true))
    let pixels = env.reset(seed: 3)
    let paddle = pixels.filter { $0.kind == .paddle }
    #expect(paddle.count == 92)
    #expect(Set(paddle.map { [$0.partX, $0.partY] }).count == 92)
    #expect(pixels.filter { $0.kind == .brick }.count == 66 * 32)
    #expect(pixels.filter { $0.kind == .ball }.count == 1)
  }

  @Test func environmentsReportTheGamesLivesThroughTheTimeLimit() throws {
    var env = TimeLimit(GameEnvironment(game: try game("small"), form: NoObservation()), maxEpisodeSteps: 5_000)
    env.reset(seed: 3)
    #expect(env.lives == 3)
    var lost = 0
    for _ in 0..<5_000 {
      let before = env.lives ?? -1
      let step = env.step(Action.left)
      let after = env.lives ?? -1
      #expect(after == (step.reward < 0 ? before - 1 : before), "a lost ball (reward −1) costs exactly one life")
      if after < before { lost += 1 }
      if step.outcome.isFinal { break }
    }
    #expect(lost >= 1)
  }
}
