extension SchemaModel {
  /// The schemas as text, grouped by target, each with its support and precision, for `arcade schemas show`:
  ///
  ///     vx+1 off  (2 schemas)
  ///       vx+1@(0,0) ∧ wall@(+1,0) ⇒ vx+1 off   [support 312, precision 1.00]
  ///
  /// - Parameters:
  ///   - kindNames: a name per kind code (e.g. ``EntityKind``'s descriptions by raw value); unnamed kinds print
  ///     as `kind<code>`.
  ///   - actionNames: the action names, by index.
  public func description(kindNames: [UInt8: String], actionNames: [String]) -> String {
    var lines: [String] = []
    for target in layout.targets {
      let group = schemas(for: target)
      guard !group.isEmpty else { continue }
      lines.append("\(target)  (\(group.count) schema\(group.count == 1 ? "" : "s"))")
      for schema in group.sorted(by: { $0.support != $1.support ? $0.support > $1.support : $0.literals.lexicographicallyPrecedes($1.literals) }) {
        lines.append("  " + describe(schema, kindNames: kindNames, actionNames: actionNames))
      }
    }
    return lines.joined(separator: "\n")
  }

  /// One schema as `precondition ∧ … ⇒ target   [support n, precision p]`: the object's own attributes first,
  /// then its neighbours from near to far, then the action.
  public func describe(_ schema: Schema, kindNames: [UInt8: String], actionNames: [String]) -> String {
    func rank(_ f: Int) -> (Int, Int, Int) {
      let word = f >> 6
      if word == layout.selfWord { return (0, 0, f) }
      if word == layout.actionWord { return (2, 0, f) }
      return (1, layout.distance(ofFeature: f), f)
    }
    let body = schema.literals.sorted { rank($0) < rank($1) }
      .map { name(ofFeature: $0, kindNames: kindNames, actionNames: actionNames) }.joined(separator: " ∧ ")
    let precision = (schema.precision * 100).rounded() / 100
    return "\(body.isEmpty ? "⊤" : body) ⇒ \(schema.target)   [support \(schema.support), precision \(precision)]"
  }

  /// The name of one feature: an attribute at an offset (`ball@(-1,+1)`), or an action name.
  public func name(ofFeature feature: Int, kindNames: [UInt8: String], actionNames: [String]) -> String {
    let word = feature >> 6, bit = feature & 63
    guard word != layout.actionWord else { return bit < actionNames.count ? actionNames[bit] : "action\(bit)" }
    func signed(_ v: Int) -> String { v > 0 ? "+\(v)" : "\(v)" }
    let attribute: String
    switch layout.attribute(ofBit: bit) {
    case .kind(let slot):
      let code = slot < kinds.codes.count ? kinds.codes[slot] : UInt8(255)
      attribute = kindNames[code] ?? "kind\(code)"
    case .otherKind: attribute = "other"
    case .void: attribute = "void"
    case .outside: attribute = "outside"
    case .still: attribute = "still"
    case .velocity(let axis, let v): attribute = "v\(axis.rawValue)\(signed(v))"
    case .part(let axis, let fromStart, let k):
      attribute = "part\(axis.rawValue.uppercased())\(fromStart ? "" : (axis == .x ? "FromRight" : "FromBottom"))≥\(k)"
    }
    guard word != layout.selfWord else { return "self:\(attribute)" }
    let (dx, dy) = layout.offset(ofCell: word)
    return "\(attribute)@(\(signed(dx)),\(signed(dy)))"
  }
}
