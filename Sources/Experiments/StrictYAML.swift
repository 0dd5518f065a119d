import Foundation
import Yams

/// Decodes YAML documents into `Decodable` values, refusing unknown keys (Codable alone would ignore a
/// mistyped `learning_rate`) and turning every decoding failure into a ``ConfigurationError`` that names the
/// file, the key and the value.
enum StrictYAML {
  /// The stored property names of `value`: with synthesized Codable these are exactly its keys.
  static func keys(of value: Any) -> [String] {
    Mirror(reflecting: value).children.compactMap(\.label)
  }

  /// Parses `text` as a mapping whose keys must all be in `allowed`.
  static func mapping(_ text: String, file: String, allowed: [String]) throws -> Node {
    let node: Node?
    do {
      // A byte-order mark is legal at the start of a YAML stream (editors on Windows write one).
      node = try Yams.compose(yaml: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
    } catch let error as YamlError {
      throw ConfigurationError(file: file, "is not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
    }
    guard let node, let mapping = node.mapping else {
      throw ConfigurationError(file: file, "must be a YAML mapping of keys to values")
    }
    for (key, _) in mapping {
      guard let name = key.string else {
        throw ConfigurationError(file: file, line: key.mark?.line, "keys must be plain names")
      }
      if !allowed.contains(name) {
        throw ConfigurationError(file: file, key: name, line: key.mark?.line,
                                 "is not a valid key — \(suggestion(for: name, in: allowed))")
      }
    }
    return node
  }

  /// Decodes `T` from `node`, reporting failures by key and value.
  static func decode<T: Decodable>(_ type: T.Type, from node: Node, file: String) throws -> T {
    do {
      return try YAMLDecoder().decode(type, from: node)
    } catch let error as DecodingError {
      throw describe(error, node: node, file: file)
    }
  }

  static func describe(_ error: DecodingError, node: Node, file: String) -> ConfigurationError {
    func located(_ path: [any CodingKey]) -> (key: String, value: Node?) {
      let key = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
      var current: Node? = node
      for k in path {
        if let i = k.intValue { current = current?.sequence.flatMap { i < $0.count ? $0[i] : nil } }
        else { current = current?.mapping?[k.stringValue] }
      }
      return (key.replacingOccurrences(of: ".[", with: "["), current)
    }
    func show(_ value: Node?) -> String {
      guard let value else { return "(missing)" }
      if let s = value.scalar?.string { return "'\(s)'" }
      return value.sequence != nil ? "a list" : "a mapping"
    }
    switch error {
    case .keyNotFound(let key, let context):
      let path = context.codingPath + [key]
      return ConfigurationError(file: file, key: located(path).key, "is missing (every key must be given)")
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
      let (key, value) = located(context.codingPath)
      return ConfigurationError(file: file, key: key, line: value?.mark?.line, "value \(show(value)) is not \(describe(type))")
    case .dataCorrupted(let context):
      let (key, value) = located(context.codingPath)
      return ConfigurationError(file: file, key: key, line: value?.mark?.line, "value \(show(value)) is invalid: \(context.debugDescription)")
    @unknown default:
      return ConfigurationError(file: file, "\(error)")
    }
  }

  static func describe(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type: "an integer"
    case is UInt64.Type: "a non-negative integer"
    case is Double.Type: "a number"
    case is Bool.Type: "true or false"
    case is String.Type: "a string"
    default: "a \(type)"
    }
  }
}
