@testable import Agents
import EnvironmentCore
import Testing

/// The spec's §7.5 test 1 (encoding), adapted to object rows: features round-trip, corners read "outside",
/// the action and the pixel's own word sit where they should, and velocities come from displacements by id.
struct SchemaGroundingTests {
  let layout = SchemaConfiguration().layout

  @Test func featureIndicesRoundTrip() {
    var seen = Set<Int>()
    for dy in -layout.windowRadius...layout.windowRadius {
      for dx in -layout.windowRadius...layout.windowRadius {
        for bit in 0..<layout.bitCount {
          let f = layout.feature(dx: dx, dy: dy, bit: bit)
          let (cdx, cdy) = layout.offset(ofCell: f >> 6)
          #expect(cdx == dx && cdy == dy && f & 63 == bit)
          #expect(layout.distance(ofFeature: f) == max(abs(dx), abs(dy)))
          seen.insert(f)
        }
      }
    }
    #expect(seen.count == layout.windowCells * layout.bitCount, "no two offsets share a feature")
    #expect(layout.actionFeature(2) >> 6 == layout.rowWords - 1 && layout.actionFeature(2) & 63 == 2)
    #expect(layout.selfFeature(bit: 3) >> 6 == layout.windowCells)
    #expect(layout.bitCount <= 64)
  }

  @Test func cornerWindowReadsOutsideAndTheActionAndOwnWordSitInPlace() {
    let entities = [Entity(id: 7, kind: .ball, color: .black, x: 0, y: 0, width: 1, height: 1),
                    Entity(id: 8, kind: .wall, color: .black, x: 5, y: 3, width: 1, height: 1)]
    let scene = SchemaScene(entities: entities, previous: nil, layout: layout) { $0 == EntityKind.ball.rawValue ? 0 : 1 }
    #expect(scene.width == 6 && scene.height == 4)
    var row = [UInt64](repeating: 0, count: layout.rowWords)
    row.withUnsafeMutableBufferPointer { scene.row(atX: 0, y: 0, own: 42, action: 2, into: $0.baseAddress!) }
    for dy in -2...2 {
      for dx in -2...2 {
        let word = row[layout.cell(dx: dx, dy: dy)]
        #expect((word & layout.outsideWord != 0) == (dx < 0 || dy < 0), "(\(dx),\(dy)) reads outside only off the screen")
      }
    }
    #expect(row[layout.cell(dx: 0, dy: 0)] & 1 != 0, "the ball's own cell holds the ball (slot 0)")
    #expect(row[layout.cell(dx: 1, dy: 1)] == layout.voidWord)
    #expect(row[layout.selfWord] == 42)
    #expect(row[layout.actionWord] == 1 << 2)
  }

  @Test func velocityIsTheDisplacementByIdAndAJumpIsARespawn() {
    // A wall pixel in the far corner keeps the screen's size fixed.
    func ball(_ x: Int, _ y: Int) -> [Entity] {
      [Entity(id: 3, kind: .ball, color: .black, x: x, y: y, width: 1, height: 1),
       Entity(id: 4, kind: .wall, color: .black, x: 39, y: 39, width: 1, height: 1)]
    }
    let slot: (UInt8) -> Int? = { _ in 0 }
    let first = SchemaScene(entities: ball(10, 10), previous: nil, layout: layout, slot: slot)
    #expect(first.objects[0].velocity == nil)
    let second = SchemaScene(entities: ball(11, 9), previous: first, layout: layout, slot: slot)
    #expect(second.objects[0].velocity == Velocity(dx: 1, dy: -1))
    let moving = layout.velocityWord(Velocity(dx: 1, dy: -1))
    let cell = second.cells[9 * second.width + 11]
    #expect(cell & moving == moving)
    #expect(first.outcome(of: 0, in: second) == .stays(Velocity(dx: 1, dy: -1)))
    let jumped = SchemaScene(entities: ball(30, 2), previous: second, layout: layout, slot: slot)
    #expect(jumped.objects[0].velocity == nil, "a jump beyond the top speed is no velocity")
    #expect(second.outcome(of: 0, in: jumped) == .vanished)
    var updated = second
    let changes = updated.observe(ball(12, 8), slot: slot)
    #expect(changes != nil, "no new object: updated in place")
    #expect(updated.objects[0].velocity == Velocity(dx: 1, dy: -1) && updated.objects[0].x == 12)
    #expect(updated.cells[9 * updated.width + 11] == layout.voidWord, "the old cell is void again")
    #expect(updated.cells[8 * updated.width + 12] & 1 != 0)
    // A new object forces a fresh grounding, still against the scene as it was.
    var grown = second
    _ = grown.observe(ball(12, 8) + [Entity(id: 9, kind: .ball, color: .black, x: 1, y: 1, width: 1, height: 1)], slot: slot)
    #expect(grown.objects[grown.index[3]!].velocity == Velocity(dx: 1, dy: -1) && grown.objects[grown.index[9]!].velocity == nil)
  }

  @Test func partThermometersCountFromBothEndsButNotAlongScreenWideObjects() {
    let levels: UInt64 = (1 << UInt64(layout.partLevelsX)) - 1
    func fromLeft(_ word: UInt64) -> UInt64 { (word >> UInt64(layout.partXFromLeftBase)) & levels }
    func fromRight(_ word: UInt64) -> UInt64 { (word >> UInt64(layout.partXFromRightBase)) & levels }
    let leftEnd = layout.partWord(partX: 0, partY: 0, width: 23, height: 4)
    #expect(fromLeft(leftEnd) == 0 && fromRight(leftEnd) == levels)
    let sixth = layout.partWord(partX: 6, partY: 0, width: 23, height: 4)
    #expect(fromLeft(sixth).nonzeroBitCount == 6 && fromRight(sixth).nonzeroBitCount == min(16, layout.partLevelsX))
    let strip = layout.partWord(partX: 40, partY: 1, width: 94, height: 3)
    #expect(fromLeft(strip) == 0 && fromRight(strip) == 0, "a coordinate along a screen-wide object is a screen position, not a part")
    let rows = strip >> UInt64(layout.partYFromTopBase)
    #expect(rows != 0, "its rows still count")
  }

  @Test func equalRowsShareAnIdAndDifferentRowsDoNot() {
    var table = RowTable(width: 4)
    func insert(_ row: [UInt64]) -> Int32 { row.withUnsafeBufferPointer { table.insert($0.baseAddress!) } }
    let a = insert([1, 2, 3, 4]), b = insert([1, 2, 3, 5]), c = insert([1, 2, 3, 4])
    #expect(a == c && a != b && table.count == 2)
    for i in 0..<5_000 { _ = insert([UInt64(i), 0, 0, 1]) }
    #expect(insert([1, 2, 3, 4]) == a && table.count == 5_002, "ids survive rehashing")
  }
}
