import Foundation

extension DQNConfiguration {
  /// The most transitions a replay buffer may hold.
  public static let maxBufferSize = 100_000_000
  /// The most parameters a Q-network may have: with its target copy, gradients and Adam's two moments that is
  /// already 2 GB of Floats.
  public static let maxParameters = 100_000_000
  /// Bytes a transition takes in the replay buffer besides its frame: action, reward and two flags.
  static let transitionBytes = 10

  /// The first count or size outside its plain bounds, or `nil`: checked before any arithmetic uses them.
  func sizeProblem() -> (key: String, value: String, reason: String)? {
    if bufferSize > Self.maxBufferSize {
      let bytes = Double(bufferSize) * Double(Self.transitionBytes + 1)
      return ("bufferSize", "\(bufferSize)", "is too large: the replay buffer would need at least \(Self.describe(bytes: bytes))"
                + " (\(Self.transitionBytes) bytes a transition plus its frame); at most \(Self.maxBufferSize)")
    }
    let integers: [(String, Int, ClosedRange<Int>)] = [
      ("batchSize", batchSize, 1...65_536), ("frameStack", frameStack, 1...8), ("nStep", nStep, 1...100),
      ("actionRepeat", actionRepeat, 1...16), ("bufferSize", bufferSize, 1...Self.maxBufferSize),
      ("learningStarts", learningStarts, 0...1_000_000_000_000),
      ("trainFrequency", trainFrequency, 1...1_000_000_000), ("targetNetworkFrequency", targetNetworkFrequency, 1...1_000_000_000),
      ("stackStride", stackStride, 1...64), ("gridPool", gridPool, 1...64), ("trainingSteps", trainingSteps, 1...1_000_000_000_000),
      ("explorationSteps", explorationSteps, -1_000_000_000_000...1_000_000_000_000),
    ]
    for (key, value, range) in integers where !range.contains(value) {
      return (key, "\(value)", "must be between \(range.lowerBound) and \(range.upperBound)")
    }
    if hiddenUnits.count > 16 || !hiddenUnits.allSatisfy({ (1...65_536).contains($0) }) {
      return ("hiddenUnits", "\(hiddenUnits)", "needs at most 16 widths, each between 1 and 65536")
    }
    let convolutionsFit = convolutions.allSatisfy {
      (1...4096).contains($0.filters) && (1...64).contains($0.kernel) && (1...64).contains($0.stride) && (0...64).contains($0.padding)
    }
    if convolutions.count > 16 || !convolutionsFit {
      return ("convolutions", "\(convolutions)",
              "needs at most 16 entries with filters 1…4096, kernel and stride 1…64 and padding 0…64")
    }
    if case .downsampled(let width, let height) = pixelSize, !((1...4096).contains(width) && (1...4096).contains(height)) {
      return ("pixelSize", "\(pixelSize)", "must be [width, height] with both between 1 and 4096, or [] for the full frame")
    }
    if inputPlanes.count > 256 { return ("inputPlanes", "\(inputPlanes.count) names", "must name at most 256 planes") }
    return nil
  }

  /// `bytes` in the largest unit that keeps it at least 1 (decimal units): "160 TB".
  static func describe(bytes: Double) -> String {
    var value = bytes
    for unit in ["bytes", "kB", "MB", "GB", "TB", "PB"] {
      if value < 1000 || unit == "PB" { return "\(Int(value.rounded())) \(unit)" }
      value /= 1000
    }
    return "\(bytes) bytes"
  }
}

extension DQN {
  /// Why a learner of `configuration` on frames of `frameShape` (`frameBytes` each in replay) does not fit in
  /// memory — too many network parameters, or a replay buffer larger than this machine's memory — or `nil`.
  /// Sizes are multiplied with overflow checks: a crafted shape must not trap.
  public static func sizeProblem(configuration: DQNConfiguration, frameShape: [Int], frameBytes: Int) -> String? {
    func product(_ values: [Int]) -> Int? {
      var total = 1
      for v in values {
        let (p, overflow) = total.multipliedReportingOverflow(by: max(v, 0))
        if overflow { return nil }
        total = p
      }
      return total
    }
    var parameters = 0
    var shape = stateShape(configuration: configuration, frameShape: frameShape)
    guard var largest = product(shape) else { return "the network's input is too large" }
    for c in configuration.convolutions where shape.count == 3 {
      guard let weights = product([c.filters, shape[0], c.kernel, c.kernel]) else { return "the convolutions are too large" }
      parameters += weights + c.filters
      let out = { (size: Int) in max(1, (size + 2 * c.padding - c.kernel) / c.stride + 1) }
      shape = [c.filters, out(shape[1]), out(shape[2])]
      largest = max(largest, product(shape) ?? Int.max)
    }
    guard var width = product(shape) else { return "the network's input is too large" }
    for units in configuration.hiddenUnits + [64] {
      guard let weights = product([width, units]), weights <= DQNConfiguration.maxParameters else {
        parameters = DQNConfiguration.maxParameters + 1
        break
      }
      parameters += weights + units
      width = units
    }
    if parameters > DQNConfiguration.maxParameters {
      return "hiddenUnits \(configuration.hiddenUnits) on an input of \(shape.reduce(1) { $0 &* $1 }) values need over"
        + " \(DQNConfiguration.maxParameters) network parameters (at most that many fit the learner's memory)"
    }
    // A batch holds every layer's activations (and their gradients) for each of its states.
    let activations = Double(configuration.batchSize) * Double(max(largest, configuration.hiddenUnits.max() ?? 0))
    if activations > Double(DQNConfiguration.maxParameters) {
      return "batchSize \(configuration.batchSize) with layers of up to \(largest) values needs"
        + " \(DQNConfiguration.describe(bytes: 4 * activations)) per layer of a batch; lower batchSize or the input size"
    }
    let memory = Double(ProcessInfo.processInfo.physicalMemory)
    let replay = Double(configuration.bufferSize) * Double(frameBytes + DQNConfiguration.transitionBytes)
    if replay > memory {
      return "bufferSize \(configuration.bufferSize) needs \(DQNConfiguration.describe(bytes: replay)) of replay memory"
        + " (\(frameBytes + DQNConfiguration.transitionBytes) bytes a transition) but this machine has"
        + " \(DQNConfiguration.describe(bytes: memory))"
    }
    return nil
  }
}
