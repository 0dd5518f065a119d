import Foundation

/// Prints `value` as one line of JSON (keys sorted, slashes unescaped so ids read `breakout/standard`, control
/// characters escaped): the output of `--json` and of every benchmark.
func printJSONLine<T: Encodable>(_ value: T) throws {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
  print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
