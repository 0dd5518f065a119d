@testable import Agents
import Foundation
import Testing

struct SchemaConfigurationTests {
  /// The configuration as an older run or model saved it: every key but `hedgeBranches`.
  func savedBeforeHedging() throws -> [String: Any] {
    var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(SchemaConfiguration())) as? [String: Any])
    #expect(object.removeValue(forKey: "hedgeBranches") != nil)
    return object
  }

  @Test func modelsSavedBeforeHedgingLoadWithTheDefault() throws {
    var older = try savedBeforeHedging()
    older["horizon"] = 90
    let decoded = try JSONDecoder().decode(SchemaConfiguration.self, from: JSONSerialization.data(withJSONObject: older))
    #expect(decoded.hedgeBranches == SchemaConfiguration().hedgeBranches && decoded.horizon == 90)
  }

  @Test func everyOtherKeyIsStillRequired() throws {
    var missing = try savedBeforeHedging()
    missing.removeValue(forKey: "catchMargin")
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(SchemaConfiguration.self, from: JSONSerialization.data(withJSONObject: missing))
    }
    var wrong = try savedBeforeHedging()
    wrong["hedgeBranches"] = "four"
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(SchemaConfiguration.self, from: JSONSerialization.data(withJSONObject: wrong))
    }
  }

  @Test func aNegativeHedgeIsAProblem() {
    var c = SchemaConfiguration()
    #expect(c.problems().isEmpty)
    c.hedgeBranches = -1
    #expect(c.problems().map(\.key) == ["hedgeBranches"])
  }
}
