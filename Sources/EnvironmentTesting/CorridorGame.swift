import EnvironmentCore

/// A tiny game for tests of code that needs a game but not a real one: a walker on a 1-D corridor of
/// `length` cells must reach the right end (+1, terminal); a random gust pushes it back sometimes.
public struct CorridorGame: Game {
  public var length = 8
  public var position = 0
  var rng = SplitMix64(seed: 0)

  public init(length: Int = 8) { self.length = length }

  public var actionNames: [String] { ["LEFT", "RIGHT"] }
  public var lives: Int { 1 }

  public mutating func reset(seed: UInt64) {
    rng = SplitMix64(seed: seed)
    position = rng.nextInt(below: length / 2)
  }

  public mutating func advance(_ action: Int) -> Transition {
    position = max(0, min(length - 1, position + (action == 1 ? 1 : -1) - (rng.nextBool(probability: 0.2) ? 1 : 0)))
    return position == length - 1 ? Transition(reward: 1, isTerminal: true) : Transition(reward: 0, isTerminal: false)
  }

  public var frameWidth: Int { length }
  public var frameHeight: Int { 1 }

  public mutating func render(into pixels: UnsafeMutableBufferPointer<UInt8>) {
    for i in 0..<pixels.count { pixels[i] = 0 }
    pixels[position * 3] = 255
  }

  public var gridChannels: GridChannels { [.ball] }

  public mutating func drawGrid(into words: UnsafeMutableBufferPointer<UInt64>, layout: GridLayout) {
    words.update(repeating: 0)
    let canvas = GridCanvas(words, layout: layout)
    canvas.fill(channel: 0, x0: position, y0: 0, x1: position, y1: 0)
    canvas.fillVoid()
  }

  public func entityCapacity(expandPixels: Bool) -> Int { 1 }

  public mutating func writeEntities(into entities: UnsafeMutableBufferPointer<Entity>, expandPixels: Bool) -> Int {
    entities[0] = Entity(id: 0, kind: .ball, color: RGB(255, 0, 0), x: position, y: 0, width: 1, height: 1)
    return 1
  }
}
