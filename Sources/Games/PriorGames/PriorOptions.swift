import EnvironmentCore

/// Every parameter of a platformer variant: (levels, dynamics options, theme, view). The keys of
/// `envs/priors/<variant>.yaml` are exactly these property names.
public struct PriorOptions: Codable, Sendable, Hashable {
  /// How the objects look: which human prior the rendering masks (Dubey et al. 2018, §3 and the study variants).
  public enum Theme: String, Codable, Sendable, CaseIterable {
    /// Wooden platforms, ladders, a robot, a princess, an angry pink enemy, flames.
    case original
    /// Player, princess, enemy and fire become plain squares; fire nearly the background colour.
    case maskedSemantics
    /// Plain squares and grey ladders among tile-sized distractor squares of the same colours.
    case maskedObjectIdentity
    /// A patchwork of textures; platforms and ladders drawn in textures from the same set.
    case maskedAffordances
    /// The patchwork, with a different texture per platform segment and per ladder.
    case maskedSimilarity
    /// The princess looks like the enemy, the enemy like the princess, fire like a coin.
    case reversedSemantics
    /// Every object prior masked at once: squares, distractors, patchwork, per-segment textures.
    case allMasked

    /// Whether the symbolic grid's channel order is shuffled (every masked theme).
    public var shufflesChannels: Bool { self != .original }
  }

  /// How the world is shown.
  public enum View: String, Codable, Sendable, CaseIterable {
    case normal
    /// Frame and grid rotated 90° clockwise: world-down points screen-left. Actions keep their world meaning.
    case rotated
  }

  /// How a centre on the half-pixel lattice becomes a rectangle's integer corner.
  public enum Rounding: String, Codable, Sendable, CaseIterable {
    /// pygame 2 (the reference as it runs today): 7.5 → 8.
    case halfAwayFromZero
    /// pygame 1.9 (2018, very likely): 7.5 → 7.
    case truncate
  }

  /// Level names (files `envs/priors/levels/<name>.txt`); with several, one is drawn per episode from the seed.
  public var levels = ["map"]
  public var theme = Theme.original
  public var view = View.normal
  public var rectRounding = Rounding.halfAwayFromZero
  /// `up` and `down` trade their ladder roles (the study's "changed ladder interaction").
  public var ladderSwapped = false
  /// Vertical speed drops by 1 every second air step instead of every step (the study's "changed gravity").
  public var lowGravity = false
  /// Draw a new grid channel permutation every episode instead of once per environment.
  public var reshuffleEachEpisode = false

  public init() {}
}
