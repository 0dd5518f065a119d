import EnvironmentCore
import NeuralNetworks

extension DQN {
  /// The input shape of one stacked state for `configuration` on frames of `frameShape` (`[C, H, W]`):
  /// `[stacked channels, height, width]` for a convolutional network, `[stacked inputs]` for a perceptron.
  public static func stateShape(configuration: DQNConfiguration, frameShape: [Int]) -> [Int] {
    configuration.convolutions.isEmpty ? [configuration.frameStack * frameShape.reduce(1, *)]
      : [configuration.frameStack * frameShape[0]] + frameShape.dropFirst()
  }

  /// The Q-network of `configuration` for frames of `frameShape` (`[C, H, W]`) and `outputs` actions: the
  /// convolutions (each followed by ReLU), then the hidden layers, then a linear (or dueling) output.
  public static func makeNetwork(configuration: DQNConfiguration, frameShape: [Int], outputs: Int, seed: UInt64) -> Sequential {
    if let problem = convolutionProblem(configuration: configuration, frameShape: frameShape) {
      preconditionFailure("check convolutionProblem first: \(problem)")
    }
    var rng = SplitMix64(seed: seed)
    var layers: [any Layer] = []
    var shape = stateShape(configuration: configuration, frameShape: frameShape)
    for c in configuration.convolutions {
      let conv = Conv2D(inChannels: shape[0], outChannels: c.filters, kernel: c.kernel, stride: c.stride, padding: c.padding,
                        initialization: .he, using: &rng)
      let out = conv.outputSize(height: shape[1], width: shape[2])
      layers += [conv, ReLU()]
      shape = [c.filters, out.height, out.width]
    }
    if shape.count > 1 { layers.append(Flatten()) }
    var width = shape.reduce(1, *)
    for units in configuration.hiddenUnits {
      layers.append(Linear(inputs: width, outputs: units, initialization: .he, using: &rng))
      layers.append(ReLU())
      width = units
    }
    layers.append(configuration.dueling ? DuelingHead(inputs: width, actions: outputs, using: &rng)
                    : Linear(inputs: width, outputs: outputs, initialization: .xavier, using: &rng))
    return Sequential(layers)
  }

  /// Why `configuration`'s convolutions cannot run on frames of `frameShape`, or `nil` when they fit.
  public static func convolutionProblem(configuration: DQNConfiguration, frameShape: [Int]) -> String? {
    var (height, width) = (frameShape[1], frameShape[2])
    for c in configuration.convolutions {
      guard c.kernel <= height + 2 * c.padding && c.kernel <= width + 2 * c.padding else {
        return "convolution \(c) needs at least \(c.kernel)×\(c.kernel) cells but gets \(width)×\(height)"
      }
      (height, width) = ((height + 2 * c.padding - c.kernel) / c.stride + 1, (width + 2 * c.padding - c.kernel) / c.stride + 1)
    }
    return nil
  }

  /// The cells of the first convolution's input that no kernel window reaches (the stride skips the last
  /// columns or rows), described for a warning, or `nil` when every cell is seen.
  public static func unseenCells(configuration: DQNConfiguration, frameShape: [Int]) -> String? {
    guard let c = configuration.convolutions.first, convolutionProblem(configuration: configuration, frameShape: frameShape) == nil
    else { return nil }
    func unseen(_ size: Int) -> Int { max(0, size + c.padding - (((size + 2 * c.padding - c.kernel) / c.stride) * c.stride + c.kernel)) }
    let (columns, rows) = (unseen(frameShape[2]), unseen(frameShape[1]))
    let parts = [(columns, "column"), (rows, "row")].filter { $0.0 > 0 }.map { "the last \($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
    guard !parts.isEmpty else { return nil }
    return "convolution \(c) on \(frameShape[2])×\(frameShape[1]) cells never sees \(parts.joined(separator: " and "))"
      + " (pad it: [filters, kernel, stride, padding])"
  }
}
