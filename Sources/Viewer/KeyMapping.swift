/// The keys the viewer understands, independent of any window library.
public enum Key: Hashable, Sendable, CaseIterable {
  case left, right, up, down
  case a, d, w, s
  case space
  /// Pause or resume.
  case p
  /// Restart the episode.
  case r
  /// Single step while paused (playback).
  case n
  case escape
  /// Faster playback.
  case plus
  /// Slower playback.
  case minus
}

/// What a key press asks the viewer to do, apart from steering the game.
public enum ViewerCommand: Hashable, Sendable {
  case togglePause, restart, quit, singleStep, faster, slower

  /// The command a freshly pressed key gives, if any.
  public init?(_ key: Key) {
    switch key {
    case .p: self = .togglePause
    case .r: self = .restart
    case .escape: self = .quit
    case .n: self = .singleStep
    case .plus: self = .faster
    case .minus: self = .slower
    default: return nil
    }
  }
}

/// Turns held keys into an action index of any game, through the game's action names.
///
/// Arrows or A/D steer `LEFT`/`RIGHT`, space is `JUMP` (or `FIRE` where there is no jump), W/S or the up and
/// down arrows are `UP`/`DOWN`, and no key is `NOOP`. Opposite keys held together cancel out. When several
/// parts are held the mapper first looks for a combined action (`LEFTJUMP`, `LEFT_JUMP`, `JUMP_LEFT`, …,
/// as ALE names `LEFTFIRE`); failing that the button wins over up/down, which wins over left/right, so a
/// platformer jumps on space even while an arrow is held. Parts the game has no action for are ignored.
public struct ActionMapper: Sendable {
  /// The game's action names, in index order.
  public let actionNames: [String]
  private let index: [String: Int]

  public init(actionNames: [String]) {
    precondition(!actionNames.isEmpty, "a game needs at least one action")
    self.actionNames = actionNames
    var index: [String: Int] = [:]
    for (i, name) in actionNames.enumerated() where index[name.uppercased()] == nil { index[name.uppercased()] = i }
    self.index = index
  }

  /// The index of the `NOOP` action (the first action when the game has none).
  public var noop: Int { index["NOOP"] ?? 0 }

  /// The action the held keys ask for.
  public func action(held keys: Set<Key>) -> Int {
    let leftHeld = keys.contains(.left) || keys.contains(.a)
    let rightHeld = keys.contains(.right) || keys.contains(.d)
    let upHeld = keys.contains(.up) || keys.contains(.w)
    let downHeld = keys.contains(.down) || keys.contains(.s)
    let horizontal = leftHeld == rightHeld ? nil : (leftHeld ? "LEFT" : "RIGHT")
    let vertical = upHeld == downHeld ? nil : (upHeld ? "UP" : "DOWN")
    let button = keys.contains(.space) ? (index["JUMP"] != nil ? "JUMP" : (index["FIRE"] != nil ? "FIRE" : nil)) : nil

    let parts = [vertical, horizontal, button].compactMap { $0 }
    if parts.count > 1, let combined = combination(parts) { return combined }
    for part in [button, vertical, horizontal].compactMap({ $0 }) {
      if let i = index[part] { return i }
    }
    return noop
  }

  /// An action whose name joins all `parts` (in any order, with or without underscores).
  private func combination(_ parts: [String]) -> Int? {
    for order in permutations(parts) {
      if let i = index[order.joined()] ?? index[order.joined(separator: "_")] { return i }
    }
    return nil
  }

  private func permutations(_ items: [String]) -> [[String]] {
    guard items.count > 1 else { return [items] }
    return items.indices.flatMap { i -> [[String]] in
      var rest = items
      let first = rest.remove(at: i)
      return permutations(rest).map { [first] + $0 }
    }
  }
}
