@testable import Agents
import EnvironmentCore
import Foundation
import Testing

/// Contexts: what a row says about its neighbourhood (kinds and motion), kept to tell seen neighbourhoods from
/// unseen ones.
struct ContextSetTests {
  let layout = SchemaConfiguration().layout

  /// A row with a moving pixel of kind slot 0 at the centre and `extra` words at window cells.
  func row(velocity: Velocity?, action: Int = 0, _ extra: [(dx: Int, dy: Int, word: UInt64)] = []) -> [UInt64] {
    var row = [UInt64](repeating: layout.voidWord, count: layout.rowWords)
    let own = layout.kindWord(slot: 0) | layout.velocityWord(velocity)
    row[layout.cell(dx: 0, dy: 0)] = own
    row[layout.selfWord] = own
    row[layout.actionWord] = 1 << UInt64(action)
    for e in extra { row[layout.cell(dx: e.dx, dy: e.dy)] = e.word }
    return row
  }

  func context(_ row: [UInt64]) -> UInt64? { row.withUnsafeBufferPointer { layout.context(of: $0.baseAddress!) } }

  @Test func aContextIsWhatIsNearAndHowItMovesNotTheActionOrParts() {
    let wall = layout.kindWord(slot: 1) | layout.velocityWord(nil)
    let free = context(row(velocity: Velocity(dx: 1, dy: -1)))
    #expect(free != nil)
    #expect(context(row(velocity: Velocity(dx: 1, dy: -1), action: 2)) == free, "the action is not part of it")
    #expect(context(row(velocity: Velocity(dx: 1, dy: -1), [(0, -1, wall)])) != free, "a wall above is")
    #expect(context(row(velocity: Velocity(dx: 1, dy: -2))) != free, "so is the speed")
    let part = layout.partWord(partX: 3, partY: 0, width: 8, height: 3)
    #expect(context(row(velocity: Velocity(dx: 1, dy: -1), [(0, -1, wall | part)]))
            == context(row(velocity: Velocity(dx: 1, dy: -1), [(0, -1, wall)])), "parts are not")
    #expect(context(row(velocity: nil, [(1, 1, wall)])) == nil, "nothing moves: no context")
  }

  @Test func roundTripsAsOneSortedBase64ListAndRefusesAnythingElse() throws {
    let set = ContextSet([9, 3, 1 << 63, 3, 0])
    #expect(set.hashes == [0, 3, 9, 1 << 63])
    #expect(set.contains(9) && set.contains(1 << 63) && set.contains(0) && !set.contains(4) && !set.contains(10))
    let data = try JSONEncoder().encode([set])
    #expect(try JSONDecoder().decode([ContextSet].self, from: data) == [set])
    #expect(String(decoding: data, as: UTF8.self).hasPrefix("[\""), "one string, not a list of numbers")
    for bad in ["\"not base64!\"", "\"AAAA\"", "\"" + Data(repeating: 0, count: 16).base64EncodedString() + "\"", "12"] {
      #expect(throws: DecodingError.self, "\(bad)") { try JSONDecoder().decode(ContextSet.self, from: Data(bad.utf8)) }
    }
  }
}
