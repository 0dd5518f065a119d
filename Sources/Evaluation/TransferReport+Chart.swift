import Foundation

extension TransferReport {
  /// The returns as an SVG bar chart: one group per variant, one bar per agent (then each published row) with an
  /// error bar of one standard deviation, and a legend.
  public func chartSVG() -> String {
    let rows = agents.map(\.name) + shownPublished.map(\.agent)
    let palette = ["#9a9a9a", "#4c78a8", "#f58518", "#54a24b", "#e45756", "#b279a2", "#72b7b2", "#eeca3b"]
    func value(_ row: Int, _ variant: String) -> (mean: Double, std: Double)? {
      if row < agents.count {
        return cell(agent: agents[row].name, variant: variant).map { ($0.returns.mean, $0.returns.standardDeviation) }
      }
      return shownPublished[row - agents.count].returns[variant].map { ($0.mean, $0.standardDeviation) }
    }
    let all = variants.flatMap { v in rows.indices.compactMap { value($0, v.id) } }
    let top = max(1, all.map { $0.mean + $0.std }.max() ?? 1), bottom = min(0, all.map { $0.mean - $0.std }.min() ?? 0)
    let (left, right, upper, lower) = (56.0, 16.0, 36.0, 70.0)
    let bar = 14.0, gap = 22.0, group = Double(rows.count) * bar + gap
    let width = left + right + group * Double(variants.count), height = 360.0
    let plot = height - upper - lower
    func y(_ v: Double) -> Double { upper + (top - v) / (top - bottom) * plot }
    func f(_ v: Double) -> String { Summary.fixed(v, 1) }
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    out += "<text x=\"\(f(left))\" y=\"18\" font-size=\"13\">Zero-shot return: \(Self.escaped(name)) (mean ± std)</text>\n"
    for tick in Self.ticks(from: bottom, to: top) {
      out += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#ddd\"/>\n"
      out += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(Summary.fixed(tick, 0))</text>\n"
    }
    out += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(0)))\" y2=\"\(f(y(0)))\" stroke=\"#333\"/>\n"
    for (v, variant) in variants.enumerated() {
      let start = left + gap / 2 + Double(v) * group
      for row in rows.indices {
        guard let (mean, std) = value(row, variant.id) else { continue }
        let x = start + Double(row) * bar, color = palette[row % palette.count]
        let (y0, y1) = (y(max(mean, 0)), y(min(mean, 0)))
        let dash = row >= agents.count ? " fill-opacity=\"0.45\" stroke-dasharray=\"3 2\"" : ""
        out += "<rect x=\"\(f(x))\" y=\"\(f(y0))\" width=\"\(f(bar - 2))\" height=\"\(f(max(0.5, y1 - y0)))\""
        out += " fill=\"\(color)\" stroke=\"\(color)\"\(dash)>"
        out += "<title>\(Self.escaped(rows[row])) on \(variant.id): \(Summary.fixed(mean, 2)) ± \(Summary.fixed(std, 2))</title></rect>\n"
        let middle = x + (bar - 2) / 2
        out += "<line x1=\"\(f(middle))\" x2=\"\(f(middle))\" y1=\"\(f(y(mean + std)))\" y2=\"\(f(y(mean - std)))\" stroke=\"#222\"/>\n"
      }
      let label = variant.id.split(separator: "/").last.map(String.init) ?? variant.id
      let labelX = f(start + Double(rows.count) * bar / 2)
      out += "<text x=\"\(labelX)\" y=\"\(f(height - lower + 16))\" text-anchor=\"middle\">\(Self.escaped(label))</text>\n"
    }
    for (row, name) in rows.enumerated() {
      let x = left + Double(row % 4) * 170, yy = height - 30 + Double(row / 4) * 14
      let label = row >= agents.count ? "\(name) (published)" : name
      out += "<rect x=\"\(f(x))\" y=\"\(f(yy - 9))\" width=\"10\" height=\"10\" fill=\"\(palette[row % palette.count])\"/>"
      out += "<text x=\"\(f(x + 14))\" y=\"\(f(yy))\">\(Self.escaped(label))</text>\n"
    }
    return out + "</svg>\n"
  }

  /// The published rows that have a figure for one of this report's variants.
  var shownPublished: [PublishedRow] {
    (published ?? []).filter { row in variants.contains { row.returns[$0.id] != nil } }
  }

  /// Round tick values spanning `low...high`.
  static func ticks(from low: Double, to high: Double) -> [Double] {
    let raw = max((high - low) / 6, 1e-9)
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var tick = (low / step).rounded(.up) * step, out: [Double] = []
    while tick <= high + 1e-9 { out.append(tick); tick += step }
    return out
  }

  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
  }
}
