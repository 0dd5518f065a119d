import Foundation
import Games
import Testing

private let map = """
  ; player_start_px: 45 45
  ; princess_px: 75 45 18 23
  |......|
  |......|
  |......|
  |......|
  |######|
  """

private func problem(_ text: String) -> String? {
  do { _ = try PriorLevel(name: "hostile", text: text); return nil } catch { return error.description }
}

@Test func crlfLevelsLoadLikeLFLevels() throws {
  let lf = try PriorLevel(name: "m", text: map)
  let crlf = try PriorLevel(name: "m", text: map.replacingOccurrences(of: "\n", with: "\r\n"))
  #expect(crlf == lf)
  #expect(crlf.rows == 5 && crlf.columns == 8)
}

@Test(arguments: [
  ("player_start_px", "9223372036854775807 190", "player start"),
  ("player_start_px", "-9223372036854775807 45", "player start"),
  ("player_start_px", "500 45", "player start"),
  ("player_start_px", "45 -1", "player start"),
  ("princess_px", "9223372036854775807 45 18 23", "princess"),
  ("princess_px", "75 45 9223372036854775807 23", "princess"),
  ("princess_px", "75 900 18 23", "princess"),
])
func aPlayerOrPrincessOutsideTheMapIsRefused(key: String, numbers: String, named: String) {
  let lines = map.split(separator: "\n").map { $0.hasPrefix("; \(key):") ? "; \(key): \(numbers)" : String($0) }
  let text = lines.joined(separator: "\n")
  #expect(text.contains(numbers))
  #expect(problem(text)?.contains(named) == true, "\(problem(text) ?? "accepted")")
}

@Test func hugeMapsAreRefused() {
  let row = "|" + String(repeating: ".", count: 1200) + "|"
  #expect(problem("; player_start_px: 45 45\n; princess_px: 75 45 18 23\n\(row)\n")?.contains("larger than") == true)
}
