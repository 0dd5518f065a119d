/// One convolution of a ``DQNConfiguration``: `filters` output channels, a `kernel` × `kernel` window moved
/// `stride` cells at a time over the input zero-padded by `padding` cells on every side.
///
/// Presets write it as a list, `[filters, kernel, stride]` or `[filters, kernel, stride, padding]`
/// (`convolutions: [[32, 4, 2, 1]]`), and run folders store it the same way.
public struct Convolution: Codable, Sendable, Hashable, CustomStringConvertible {
  public var filters: Int
  public var kernel: Int
  public var stride: Int
  public var padding: Int

  public init(filters: Int, kernel: Int, stride: Int, padding: Int = 0) {
    self.filters = filters
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
  }

  public init(from decoder: any Decoder) throws {
    let values = try decoder.singleValueContainer().decode([Int].self)
    guard (3...4).contains(values.count) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
        "\(values) must be [filters, kernel, stride] or [filters, kernel, stride, padding]"))
    }
    self.init(filters: values[0], kernel: values[1], stride: values[2], padding: values.count > 3 ? values[3] : 0)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(listForm)
  }

  /// The list form; padding is left out when it is 0, as presets write it.
  public var listForm: [Int] { padding == 0 ? [filters, kernel, stride] : [filters, kernel, stride, padding] }

  public var description: String { "\(listForm)" }
}

/// What a ``DQN``'s network sees.
public enum DQNObservation: String, Codable, Sendable, Hashable, CaseIterable {
  /// The grid observation's one-hot entity-kind planes, as 0/1 inputs.
  case grid
  /// The rendered RGB frame, as three intensity planes in [0, 1].
  case pixels

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let value = Self(rawValue: text) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
        "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))"))
    }
    self = value
  }
}

/// The size the RGB frame is area-averaged down to: the game's own (`[]` in presets) or `[width, height]`.
public enum PixelSize: Codable, Sendable, Hashable, CustomStringConvertible {
  case full
  case downsampled(width: Int, height: Int)

  public init(from decoder: any Decoder) throws {
    let values = try decoder.singleValueContainer().decode([Int].self)
    switch values.count {
    case 0: self = .full
    case 2: self = .downsampled(width: values[0], height: values[1])
    default:
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
        "\(values) must be [width, height], or [] for the full frame"))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(listForm)
  }

  public var listForm: [Int] {
    switch self {
    case .full: []
    case .downsampled(let width, let height): [width, height]
    }
  }

  public var description: String { "\(listForm)" }
}
