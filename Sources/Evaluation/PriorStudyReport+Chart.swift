import Foundation

extension PriorStudyReport {
  /// Actions to the first win per variant on a log scale: one bar per agent (its median; a hollow bar at the budget
  /// where the median seed did not win), then the published human figure, hatched.
  public func chartSVG() -> String {
    let rows = agents + ["humans (published)"]
    let palette = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#b279a2", "#9a9a9a"]
    func value(_ row: Int, _ variant: String) -> (value: Double, won: Bool)? {
      if row == agents.count { return PublishedHumans.figures(for: variant)?.uniqueStates.map { ($0, true) } }
      guard let s = spread(agent: agents[row], variant: variant) else { return nil }
      return (s.median ?? Double(actionBudget), s.median != nil)
    }
    let all = variants.flatMap { v in rows.indices.compactMap { value($0, v.id)?.value } } + [Double(actionBudget)]
    let lowDecade = max(0, (all.map { log10($0) }.min() ?? 1).rounded(.down))
    let highDecade = max(lowDecade + 1, (all.map { log10($0) }.max() ?? 2).rounded(.up))
    let (left, right, upper, lower) = (64.0, 16.0, 36.0, 80.0)
    let bar = 14.0, gap = 22.0, group = Double(rows.count) * bar + gap
    let width = max(420, left + right + group * Double(variants.count)), height = 380.0, plot = height - upper - lower
    func y(_ v: Double) -> Double { upper + (highDecade - log10(max(v, 1))) / (highDecade - lowDecade) * plot }
    func f(_ v: Double) -> String { Summary.fixed(v, 1) }
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    out += "<text x=\"\(f(left))\" y=\"18\" font-size=\"13\">Actions to the first win (median over seeds, log scale): "
    out += "\(TransferReport.escaped(name))</text>\n"
    for decade in stride(from: lowDecade, through: highDecade, by: 1) {
      let yy = y(pow(10, decade))
      out += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" stroke=\"#ddd\"/>\n"
      out += "<text x=\"\(f(left - 6))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(Self.grouped(pow(10, decade)))</text>\n"
    }
    for (v, variant) in variants.enumerated() {
      let start = left + gap / 2 + Double(v) * group
      for row in rows.indices {
        guard let (amount, won) = value(row, variant.id) else { continue }
        let x = start + Double(row) * bar, color = palette[row == agents.count ? palette.count - 1 : row % (palette.count - 1)]
        let style = won ? "fill=\"\(color)\"" : "fill=\"none\" stroke-dasharray=\"3 2\""
        out += "<rect x=\"\(f(x))\" y=\"\(f(y(amount)))\" width=\"\(f(bar - 2))\" height=\"\(f(max(0.5, y(pow(10, lowDecade)) - y(amount))))\""
        out += " \(style) stroke=\"\(color)\"><title>\(TransferReport.escaped(rows[row])) on \(TransferReport.escaped(variant.id)): "
        out += "\(won ? Self.grouped(amount) : "not won in " + Self.grouped(amount))</title></rect>\n"
      }
      let label = variant.id.split(separator: "/").last.map(String.init) ?? variant.id
      out += "<text x=\"\(f(start + Double(rows.count) * bar / 2))\" y=\"\(f(height - lower + 16))\" text-anchor=\"middle\">"
      out += "\(TransferReport.escaped(label))</text>\n"
    }
    for (row, label) in rows.enumerated() {
      let x = left + Double(row % 4) * 170, yy = height - 36 + Double(row / 4) * 14
      let color = palette[row == agents.count ? palette.count - 1 : row % (palette.count - 1)]
      out += "<rect x=\"\(f(x))\" y=\"\(f(yy - 9))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
      out += "<text x=\"\(f(x + 14))\" y=\"\(f(yy))\">\(TransferReport.escaped(label))</text>\n"
    }
    return out + "</svg>\n"
  }
}
