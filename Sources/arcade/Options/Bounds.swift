import ArgumentParser
import Experiments

/// Counts given on the command line are bounded above too: a huge `--episodes` would otherwise allocate its
/// seeds up front, and a huge step count would run for centuries.
enum Bounds {
  static let episodes = 1...1_000_000
  static let episodeSteps = 1...1_000_000_000
  static let trainingSteps = 1...1_000_000_000_000

  /// The largest side of a written picture, in pixels (a 4096-px screen at scale 4).
  static let pictureSide = 16_384

  /// Throws unless a `width` × `height` frame enlarged `scale` times fits ``pictureSide``.
  static func checkPicture(width: Int, height: Int, scale: Int) throws {
    guard max(width, height) * scale <= pictureSide else {
      throw ConfigurationError("--scale \(scale) makes the \(width)×\(height) frame larger than \(pictureSide) px on a side")
    }
  }

  /// Throws unless `value` is in `range`: "--name must be at least 1 (got -1)".
  static func check(_ name: String, _ value: Int?, _ range: ClosedRange<Int>) throws {
    guard let value else { return }
    if value < range.lowerBound { throw ValidationError("--\(name) must be at least \(range.lowerBound) (got \(value))") }
    if value > range.upperBound { throw ValidationError("--\(name) must be at most \(range.upperBound) (got \(value))") }
  }
}
