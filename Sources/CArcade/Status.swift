/// The status codes of `include/arcade.h`; each has a fixed message.
enum Status: Int32, CaseIterable {
  case ok = 0
  case null = -1
  case unknownID = -2
  case form = -3
  case handle = -4
  case action = -5
  case count = -6
  case kind = -7
  case capacity = -8
  case notReset = -9
  case notBound = -10

  /// Static, NUL-terminated text: it lives as long as the library, so C callers never free it.
  var message: StaticString {
    switch self {
    case .ok: "ok\0"
    case .null: "a required pointer argument is null\0"
    case .unknownID: "unknown environment id\0"
    case .form: "unknown observation form, or a pool or size out of range\0"
    case .handle: "invalid handle: never created, or already destroyed\0"
    case .action: "action out of range\0"
    case .count: "number of copies or threads out of range\0"
    case .kind: "wrong kind of handle (a vector handle where a single one is needed, or the reverse)\0"
    case .capacity: "text buffer too small\0"
    case .notReset: "step before the first reset\0"
    case .notBound: "step_bound before bind\0"
    }
  }
}

/// The version of the interface in `include/arcade.h` (`ARCADE_ABI_VERSION`).
@_cdecl("arcade_version")
public func arcade_version() -> Int32 { 2 }

/// The message of a status code, as static C text (an unknown code gets a message saying so).
@_cdecl("arcade_status_message")
public func arcade_status_message(_ code: Int32) -> UnsafePointer<CChar> {
  let text: StaticString = Status(rawValue: code)?.message ?? "unknown status code\0"
  return UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Copies `lines` joined by newlines, NUL-terminated, into `text`; reports the bytes needed in `needed`.
func writeLines(_ lines: [String], _ text: UnsafeMutablePointer<CChar>?, _ capacity: Int64,
                _ needed: UnsafeMutablePointer<Int64>?) -> Int32 {
  let bytes = Array(lines.joined(separator: "\n").utf8) + [0]
  needed?.pointee = Int64(bytes.count)
  guard let text else { return Status.null.rawValue }
  guard capacity >= Int64(bytes.count) else { return Status.capacity.rawValue }
  bytes.withUnsafeBufferPointer { source in
    UnsafeMutableRawPointer(text).copyMemory(from: source.baseAddress!, byteCount: source.count)
  }
  return Status.ok.rawValue
}
