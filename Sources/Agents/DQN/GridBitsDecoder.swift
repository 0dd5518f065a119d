import EnvironmentCore

/// Turns one stored frame (the observation's bytes) into network inputs.
public protocol FrameDecoder: Sendable {
  /// Bytes of one frame in the replay buffer.
  var frameBytes: Int { get }
  /// One frame as network input, `[channels, height, width]`.
  var frameShape: [Int] { get }
  func decode(_ frame: UnsafeRawBufferPointer, into inputs: UnsafeMutablePointer<Float>)
}

extension FrameDecoder {
  /// Network inputs per frame.
  public var inputCount: Int { frameShape.reduce(1, *) }
}

/// Grid observations stored whole as their bit planes (1 bit per cell and channel); a chosen subset of the
/// planes is fed to the network as 0/1 inputs.
public struct GridBitsDecoder: FrameDecoder {
  public let layout: GridLayout
  /// The layout's channels fed to the network, in this order.
  public let planes: [Int]

  /// Feeds `planes` (channel indices of `layout`), or every plane when `nil`.
  public init(layout: GridLayout, planes: [Int]? = nil) {
    self.layout = layout
    self.planes = planes ?? Array(0..<layout.channelCount)
  }

  /// Feeds the planes of the entity kinds named in `kinds` (e.g. `["ball", "paddle"]`), or every plane but
  /// `void` (the complement of the others, so it adds no information) when `kinds` is empty.
  public init(layout: GridLayout, kinds: [String]) throws(AgentMismatch) {
    guard !kinds.isEmpty else {
      self.init(layout: layout, planes: (0..<layout.channelCount).filter { layout.channels[$0].kind != .void })
      return
    }
    var planes: [Int] = []
    for name in kinds {
      guard let kind = EntityKind.allCases.first(where: { $0.description == name }), let channel = layout.channel(of: kind) else {
        throw AgentMismatch(description: "the grid has no '\(name)' plane (it has \(layout.channels))")
      }
      planes.append(channel)
    }
    self.init(layout: layout, planes: planes)
  }

  public var frameBytes: Int { layout.wordCount * 8 }
  public var frameShape: [Int] { [planes.count, layout.height, layout.width] }

  /// Writes zeros, then a 1 for every set bit: the planes are sparse, so this visits few cells.
  public func decode(_ frame: UnsafeRawBufferPointer, into inputs: UnsafeMutablePointer<Float>) {
    Self.decode(frame, planes: planes, cells: layout.width * layout.height, wordsPerPlane: layout.wordsPerPlane, into: inputs)
  }

  /// Writes plane `planes[i]` of `frame` (planes of `wordsPerPlane` words over `cells` cells) as 0/1 input plane `i`.
  static func decode(_ frame: UnsafeRawBufferPointer, planes: [Int], cells: Int, wordsPerPlane: Int, into inputs: UnsafeMutablePointer<Float>) {
    let words = frame.bindMemory(to: UInt64.self)
    inputs.update(repeating: 0, count: planes.count * cells)
    for (slot, channel) in planes.enumerated() {
      let plane = inputs + slot * cells, first = channel * wordsPerPlane
      for w in 0..<wordsPerPlane {
        var bits = words[first + w]
        while bits != 0 {
          plane[w << 6 | bits.trailingZeroBitCount] = 1
          bits &= bits &- 1
        }
      }
    }
  }
}
