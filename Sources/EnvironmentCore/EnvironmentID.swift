/// An environment id, `<family>/<variant>`, both `[a-z0-9-]+` (e.g. `breakout/middle-wall`).
///
/// The id maps one-to-one to the variant file `envs/<family>/<variant>.yaml`.
public struct EnvironmentID: Sendable, Hashable, Comparable, Codable, LosslessStringConvertible {
  public let family: String
  public let variant: String

  public init?(_ description: String) {
    let parts = description.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy(EnvironmentID.isValidComponent) else { return nil }
    family = String(parts[0])
    variant = String(parts[1])
  }

  public var description: String { "\(family)/\(variant)" }
  /// The variant file's path relative to the project root.
  public var relativePath: String { "envs/\(family)/\(variant).yaml" }

  public static func < (lhs: EnvironmentID, rhs: EnvironmentID) -> Bool { lhs.description < rhs.description }

  static func isValidComponent(_ part: Substring) -> Bool {
    !part.isEmpty && part.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let id = EnvironmentID(text) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
        debugDescription: "'\(text)' is not an environment id of the form family/variant"))
    }
    self = id
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
