import EnvironmentCore

/// A level of the masked-prior platformer: a tile map plus where the player starts and the princess stands.
///
/// Level files are text: `;` lines are metadata (`player_start_px: X Y`, `princess_px: X Y W H`), every
/// other line is one row of tiles, top row first. Tiles are 15 px; positions are centres in doubled
/// integer pixels, so half pixels are exact.
public struct PriorLevel: Sendable, Hashable {
  /// What a tile is, for the dynamics.
  public enum Tile: UInt8, Sendable {
    case empty, platform, boundary, ladder, enemy, fire
  }

  /// Tile size in pixels.
  public static let tileSize = 15
  /// The most tiles along either side of a map (3840 px, about Breakout's largest screen).
  public static let maxTiles = 256
  /// Pixel positions in metadata lines are clamped to this size before use (far outside any map).
  static let maxCoordinate = 1 << 40

  public let name: String
  public let columns: Int
  public let rows: Int
  /// Row-major tiles.
  public let tiles: [Tile]
  /// Row-major texture codes of the reference (platform 1, 4, 5, 6, 7; ladder 2, 3; boundary 9; 0 otherwise).
  public let codes: [UInt8]
  /// The player's centre at reset, doubled pixels.
  public let startX2: Int, startY2: Int
  /// The princess's centre (doubled pixels) and size (pixels).
  public let princessX2: Int, princessY2: Int, princessWidth: Int, princessHeight: Int

  /// Parses a level file; errors name the line, column and character at fault.
  public init(name: String, text: String) throws(PriorLevelError) {
    var tiles: [Tile] = [], codes: [UInt8] = []
    var columns = 0, rows = 0
    var start: (Int, Int)? = nil, princess: (Int, Int, Int, Int)? = nil
    // "\r\n" is one Character in Swift, so CRLF files split on newlines of every kind, not on "\n".
    for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let lineNumber = number + 1
      if line.hasPrefix(";") {
        let parts = line.dropFirst().split(separator: ":", maxSplits: 1).map { $0.trimmingSpaces }
        guard parts.count == 2 else { continue }
        // Bounded before doubling: a position far outside any map must not overflow.
        let numbers = parts[1].split(separator: " ").compactMap { Int($0) }.map { min(max($0, -Self.maxCoordinate), Self.maxCoordinate) }
        switch parts[0] {
        case "player_start_px":
          guard numbers.count == 2 else { throw PriorLevelError(name, lineNumber, 1, "player_start_px needs two numbers: X Y") }
          start = (numbers[0] * 2, numbers[1] * 2)
        case "princess_px":
          guard numbers.count == 4, numbers[2] > 0, numbers[3] > 0 else {
            throw PriorLevelError(name, lineNumber, 1, "princess_px needs four numbers: X Y W H")
          }
          princess = (numbers[0] * 2, numbers[1] * 2, numbers[2], numbers[3])
        default: continue
        }
        continue
      }
      if line.isEmpty { continue }
      if columns == 0 { columns = line.count }
      guard columns <= Self.maxTiles, rows < Self.maxTiles else {
        throw PriorLevelError(name, lineNumber, 1, "is larger than \(Self.maxTiles) × \(Self.maxTiles) tiles")
      }
      guard line.count == columns else {
        throw PriorLevelError(name, lineNumber, min(line.count, columns) + 1, "row has \(line.count) tiles, the first row has \(columns)")
      }
      for (column, char) in line.enumerated() {
        let centre = (30 * column + 15, 30 * rows + 15)
        let tile: Tile, code: UInt8
        switch char {
        case ".": (tile, code) = (.empty, 0)
        case "#": (tile, code) = (.platform, 1)
        case "a", "b", "c", "d": (tile, code) = (.platform, 4 + (char.asciiValue! - 97))
        case "|": (tile, code) = (.boundary, 9)
        case "H": (tile, code) = (.ladder, 2)
        case "h": (tile, code) = (.ladder, 3)
        case "E": (tile, code) = (.enemy, 11)
        case "F": (tile, code) = (.fire, 12)
        case "S": (tile, code) = (.empty, 0); start = start ?? centre
        case "P": (tile, code) = (.empty, 0); princess = princess ?? (centre.0, centre.1, 18, 23)
        default:
          throw PriorLevelError(name, lineNumber, column + 1, "unknown tile '\(char)' (legend: . # a b c d | H h E F P S)")
        }
        tiles.append(tile)
        codes.append(code)
      }
      rows += 1
    }
    guard rows > 0 else { throw PriorLevelError(name, 1, 1, "has no tile rows") }
    guard let start else { throw PriorLevelError(name, 1, 1, "has no player start (a tile S or `; player_start_px: X Y`)") }
    guard let princess else { throw PriorLevelError(name, 1, 1, "has no princess (a tile P or `; princess_px: X Y W H`)") }
    let (mapWidth2, mapHeight2) = (2 * Self.tileSize * columns, 2 * Self.tileSize * rows)
    guard (0..<mapWidth2).contains(start.0) && (0..<mapHeight2).contains(start.1) else {
      throw PriorLevelError(name, 1, 1, "player start (\(start.0 / 2), \(start.1 / 2)) px is outside the"
                            + " \(mapWidth2 / 2) × \(mapHeight2 / 2) px map")
    }
    guard (0..<mapWidth2).contains(princess.0) && (0..<mapHeight2).contains(princess.1), princess.2 <= mapWidth2 / 2,
          princess.3 <= mapHeight2 / 2 else {
      throw PriorLevelError(name, 1, 1, "princess at (\(princess.0 / 2), \(princess.1 / 2)) px, \(princess.2) × \(princess.3),"
                            + " does not fit the \(mapWidth2 / 2) × \(mapHeight2 / 2) px map")
    }
    self.name = name
    self.columns = columns
    self.rows = rows
    self.tiles = tiles
    self.codes = codes
    (startX2, startY2) = start
    (princessX2, princessY2, princessWidth, princessHeight) = princess
  }

  public subscript(row: Int, column: Int) -> Tile { tiles[row * columns + column] }
  /// The texture code at (row, column).
  public func code(row: Int, column: Int) -> UInt8 { codes[row * columns + column] }
}

/// A level file that cannot be read, located by line and column.
public struct PriorLevelError: Error, Sendable, CustomStringConvertible {
  public var level: String
  public var line: Int
  public var column: Int
  public var message: String

  init(_ level: String, _ line: Int, _ column: Int, _ message: String) {
    self.level = level
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String { "\(level):\(line):\(column): \(message)" }
}

extension Substring {
  var trimmingSpaces: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
