/// A learning curve: episode returns against environment steps, drawn as SVG with a moving average.
public struct LearningCurve: Sendable {
  public struct Point: Sendable, Hashable {
    public var step: Int
    public var totalReward: Double
    public var length: Int
    public init(step: Int, totalReward: Double, length: Int) {
      self.step = step
      self.totalReward = totalReward
      self.length = length
    }
  }

  public var title: String
  public var points: [Point]

  public init(title: String, points: [Point]) {
    self.title = title
    self.points = points
  }

  /// `step,episode,return,length` per episode.
  public func csv() -> String {
    "step,episode,return,length\n" + points.enumerated().map { "\($1.step),\($0),\($1.totalReward),\($1.length)" }.joined(separator: "\n") + "\n"
  }

  /// Reads ``csv()``'s output back; `nil` if it is not such a file.
  public static func points(fromCSV text: String) -> [Point]? {
    var result: [Point] = []
    for line in text.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",")
      guard f.count == 4, let step = Int(f[0]), let r = Double(f[2]), let length = Int(f[3]) else { return nil }
      result.append(Point(step: step, totalReward: r, length: length))
    }
    return result
  }

  /// The mean return of the last `window` episodes.
  public func recentMean(window: Int = 20) -> Double {
    let tail = points.suffix(window)
    return tail.isEmpty ? 0 : tail.reduce(0) { $0 + $1.totalReward } / Double(tail.count)
  }

  /// A 640 × 360 SVG: every episode as a faint dot, the moving average of `window` episodes as a line.
  public func svg(window: Int = 20) -> String {
    let (w, h, left, bottom, top, right) = (640.0, 360.0, 56.0, 40.0, 30.0, 16.0)
    let maxStep = Double(max(points.last?.step ?? 1, 1))
    let returns = points.map(\.totalReward)
    var low = returns.min() ?? 0, high = returns.max() ?? 1
    if high - low < 1e-9 { low -= 1; high += 1 }
    func x(_ s: Int) -> Double { left + (w - left - right) * Double(s) / maxStep }
    func y(_ r: Double) -> Double { h - bottom - (h - bottom - top) * (r - low) / (high - low) }
    func f(_ v: Double) -> String { Summary.fixed(v, 1) }
    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"12\">\n"
    out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"\(f(left))\" y=\"20\" font-size=\"14\">\(title)</text>\n"
    out += "<line x1=\"\(f(left))\" y1=\"\(f(h - bottom))\" x2=\"\(f(w - right))\" y2=\"\(f(h - bottom))\" stroke=\"black\"/>\n"
    out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(h - bottom))\" stroke=\"black\"/>\n"
    for k in 0...4 {
      let r = low + (high - low) * Double(k) / 4, s = Int(maxStep * Double(k) / 4)
      out += "<text x=\"\(f(left - 6))\" y=\"\(f(y(r) + 4))\" text-anchor=\"end\">\(Summary.fixed(r, 1))</text>\n"
      out += "<text x=\"\(f(x(s)))\" y=\"\(f(h - bottom + 16))\" text-anchor=\"middle\">\(s)</text>\n"
    }
    out += "<text x=\"\(f((left + w - right) / 2))\" y=\"\(f(h - 6))\" text-anchor=\"middle\">environment steps</text>\n"
    let middle = f((top + h - bottom) / 2)
    out += "<text x=\"14\" y=\"\(middle)\" transform=\"rotate(-90 14 \(middle))\" text-anchor=\"middle\">episode return</text>\n"
    for p in points { out += "<circle cx=\"\(f(x(p.step)))\" cy=\"\(f(y(p.totalReward)))\" r=\"1.5\" fill=\"#9bb\"/>\n" }
    var line: [String] = []
    for i in points.indices {
      let window = points[max(0, i - window + 1)...i]
      line.append("\(f(x(points[i].step))),\(f(y(window.reduce(0) { $0 + $1.totalReward } / Double(window.count))))")
    }
    if !line.isEmpty { out += "<polyline fill=\"none\" stroke=\"#c33\" stroke-width=\"2\" points=\"\(line.joined(separator: " "))\"/>\n" }
    return out + "</svg>\n"
  }
}
