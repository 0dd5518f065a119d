import Foundation

extension SchemaModel {
  /// The model as JSON (a run folder's `rules.json`): sorted keys, so equal models give equal bytes, and
  /// precisions written in full, so ``init(jsonData:)`` restores it exactly.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return try encoder.encode(self)
  }

  /// The model stored by ``jsonData()``.
  public init(jsonData: Data) throws {
    self = try JSONDecoder().decode(SchemaModel.self, from: jsonData)
  }
}
