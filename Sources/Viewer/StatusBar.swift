import EnvironmentCore

/// A 3 × 5 pixel bitmap font (capitals, digits and the punctuation a status line needs).
///
/// Lower-case letters are drawn as capitals; characters the font lacks are drawn as `?`.
public enum BitmapFont {
  /// Glyph width in font pixels; characters advance by one more.
  public static let glyphWidth = 3
  /// Glyph height in font pixels.
  public static let glyphHeight = 5

  /// Each glyph as five rows of three bits, the leftmost pixel in the highest bit.
  static let glyphs: [Character: [UInt8]] = [
    "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 3, 1, 7], "4": [5, 5, 7, 1, 1],
    "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 1, 2, 2], "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7],
    "A": [2, 5, 7, 5, 5], "B": [6, 5, 6, 5, 6], "C": [3, 4, 4, 4, 3], "D": [6, 5, 5, 5, 6], "E": [7, 4, 6, 4, 7],
    "F": [7, 4, 6, 4, 4], "G": [3, 4, 5, 5, 3], "H": [5, 5, 7, 5, 5], "I": [7, 2, 2, 2, 7], "J": [1, 1, 1, 5, 2],
    "K": [5, 5, 6, 5, 5], "L": [4, 4, 4, 4, 7], "M": [5, 7, 7, 5, 5], "N": [6, 5, 5, 5, 5], "O": [2, 5, 5, 5, 2],
    "P": [6, 5, 6, 4, 4], "Q": [2, 5, 5, 6, 3], "R": [6, 5, 6, 5, 5], "S": [3, 4, 2, 1, 6], "T": [7, 2, 2, 2, 2],
    "U": [5, 5, 5, 5, 7], "V": [5, 5, 5, 5, 2], "W": [5, 5, 7, 7, 5], "X": [5, 5, 2, 5, 5], "Y": [5, 5, 2, 2, 2],
    "Z": [7, 1, 2, 4, 7], " ": [0, 0, 0, 0, 0], ".": [0, 0, 0, 0, 2], ",": [0, 0, 0, 2, 4], ":": [0, 2, 0, 2, 0],
    "-": [0, 0, 7, 0, 0], "+": [0, 2, 7, 2, 0], "/": [1, 1, 2, 4, 4], "_": [0, 0, 0, 0, 7], "(": [1, 2, 2, 2, 1],
    ")": [4, 2, 2, 2, 4], "=": [0, 7, 0, 7, 0], "%": [5, 1, 2, 4, 5], "?": [7, 1, 2, 0, 2], "!": [2, 2, 2, 0, 2],
    "x": [0, 5, 2, 5, 0], "'": [2, 2, 0, 0, 0],
  ]

  /// The rows of `character`'s glyph.
  public static func glyph(_ character: Character) -> [UInt8] {
    glyphs[character] ?? glyphs[Character(character.uppercased())] ?? glyphs["?"]!
  }

  /// Width in font pixels of `text` (one column of space between characters).
  public static func width(of text: String, size: Int = 1) -> Int {
    text.isEmpty ? 0 : (text.count * (glyphWidth + 1) - 1) * size
  }

  /// Draws `text` with its top-left corner at (`x`, `y`), each font pixel a `size × size` block, clipped to the frame.
  public static func draw(_ text: String, into frame: inout Frame, x: Int, y: Int, size: Int = 1, color: RGB) {
    let w = frame.width, h = frame.height
    frame.pixels.withUnsafeMutableBufferPointer { buffer in
      let canvas = FrameCanvas(buffer, width: w, height: h)
      var left = x
      for character in text {
        for (row, bits) in glyph(character).enumerated() {
          for column in 0..<glyphWidth where bits >> UInt8(glyphWidth - 1 - column) & 1 != 0 {
            let px = left + column * size, py = y + row * size
            canvas.fill(x0: px, y0: py, x1: px + size - 1, y1: py + size - 1, color: color)
          }
        }
        left += (glyphWidth + 1) * size
        if left >= w { break }
      }
    }
  }
}

/// The window's picture: the game frame scaled up (nearest neighbour) above a status strip of text lines.
public enum StatusBar {
  /// Background of the strip.
  public static let background = RGB(24, 24, 24)
  /// Text colour.
  public static let foreground = RGB(220, 220, 220)

  /// Font pixel size for a window at `scale`: text stays legible without dwarfing a small game.
  public static func fontSize(scale: Int) -> Int { max(1, scale / 2) }

  /// Height in window pixels of a strip of `lines` lines at `scale`.
  public static func height(lines: Int, scale: Int) -> Int {
    lines == 0 ? 0 : (lines * (BitmapFont.glyphHeight + 2) + 2) * fontSize(scale: scale)
  }

  /// `game` scaled by `scale`, with `lines` of status text drawn in a strip below it.
  public static func compose(_ game: Frame, scale: Int, lines: [String]) -> Frame {
    let picture = game.scaled(by: scale)
    let strip = height(lines: lines.count, scale: scale)
    guard strip > 0 else { return picture }
    var pixels = picture.pixels
    pixels.reserveCapacity(picture.pixels.count + picture.width * strip * 3)
    for _ in 0..<(picture.width * strip) { pixels += [background.red, background.green, background.blue] }
    var frame = Frame(width: picture.width, height: picture.height + strip, pixels: pixels)
    let size = fontSize(scale: scale)
    for (i, line) in lines.enumerated() {
      BitmapFont.draw(line, into: &frame, x: 2 * size, y: picture.height + (2 + i * (BitmapFont.glyphHeight + 2)) * size,
                      size: size, color: foreground)
    }
    return frame
  }
}
