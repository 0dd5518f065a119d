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

  /// One setting's value, read with JSONDecoder so that `true` stays a Bool (JSONSerialization makes it a number).
  enum Setting: Codable, Equatable {
    case flag(Bool), count(Int), real(Double)
    init(from decoder: any Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let b = try? c.decode(Bool.self) {
        self = .flag(b)
      } else if let i = try? c.decode(Int.self) {
        self = .count(i)
      } else {
        self = .real(try c.decode(Double.self))
      }
    }
    func encode(to encoder: any Encoder) throws {
      var c = encoder.singleValueContainer()
      switch self { case .flag(let b): try c.encode(b); case .count(let i): try c.encode(i); case .real(let d): try c.encode(d) }
    }
    var changed: Setting {
      switch self { case .flag(let b): .flag(!b); case .count(let i): .count(i + 1); case .real(let d): .real(d * 0.5) }
    }
  }

  // The decoder lists its keys by hand: one it forgot would keep its default instead of the file's value.
  @Test func everyKeyIsReadFromTheFile() throws {
    let defaults = try JSONDecoder().decode([String: Setting].self, from: JSONEncoder().encode(SchemaConfiguration()))
    let changed = defaults.mapValues(\.changed)
    let decoded = try JSONDecoder().decode(SchemaConfiguration.self, from: JSONEncoder().encode(changed))
    let again = try JSONDecoder().decode([String: Setting].self, from: JSONEncoder().encode(decoded))
    #expect(defaults.count > 20)
    for key in defaults.keys.sorted() { #expect(again[key] == changed[key], "\(key)") }
  }

  @Test func aNegativeHedgeIsAProblem() {
    var c = SchemaConfiguration()
    #expect(c.problems().isEmpty)
    c.hedgeBranches = -1
    #expect(c.problems().map(\.key) == ["hedgeBranches"])
  }

  /// The shipped models predate the multi-ball planner settings (2026-12-06): they load with their defaults.
  @Test func modelsSavedBeforeTheMultiBallSettingsLoadWithTheDefaults() throws {
    var older = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(SchemaConfiguration())) as? [String: Any])
    let added = ["hedgeBranches", "blockImplausibleMoves", "aimAtPredictedLosses", "lossAimTolerance", "countEveryLoss",
                 "reverseUnnamedBounces", "nearMissTouches"]
    for key in added {
      #expect(older.removeValue(forKey: key) != nil, "\(key)")
    }
    older["catchMargin"] = 5
    let decoded = try JSONDecoder().decode(SchemaConfiguration.self, from: JSONSerialization.data(withJSONObject: older))
    let defaults = SchemaConfiguration()
    #expect(decoded.blockImplausibleMoves == defaults.blockImplausibleMoves && decoded.aimAtPredictedLosses == defaults.aimAtPredictedLosses)
    #expect(decoded.lossAimTolerance == defaults.lossAimTolerance && decoded.catchMargin == 5)
    #expect(decoded.countEveryLoss && decoded.reverseUnnamedBounces && decoded.nearMissTouches)
    let training = decoded.withoutEvaluationAids
    #expect(!training.countEveryLoss && !training.reverseUnnamedBounces && !training.nearMissTouches)
    var wrong = older
    wrong["lossAimTolerance"] = "wide"
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(SchemaConfiguration.self, from: JSONSerialization.data(withJSONObject: wrong))
    }
  }

  @Test func aNegativeOrInfiniteLossAimToleranceIsAProblem() {
    var c = SchemaConfiguration()
    c.lossAimTolerance = -0.1
    #expect(c.problems().map(\.key) == ["lossAimTolerance"])
    c.lossAimTolerance = .infinity
    #expect(c.problems().map(\.key) == ["lossAimTolerance"])
    c.lossAimTolerance = 0
    #expect(c.problems().isEmpty)
  }
}
