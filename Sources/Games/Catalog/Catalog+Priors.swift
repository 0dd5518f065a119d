import EnvironmentCore

extension Catalog {
  /// The masked-prior platformer (Dubey et al. 2018): the original game, the study's masked renderings and its
  /// changed dynamics, each capped at the reference's 2,001 steps.
  static let priorsEntries: [Entry] = [
    priors("original", "The platformer as in the paper: robot, princess, angry enemy, flames, wooden platforms.") { _ in },
    priors("masked-semantics", "Player, princess, enemy and fire drawn as plain squares; fire nearly the background colour.") {
      $0.theme = .maskedSemantics
    },
    priors("masked-object-identity", "Plain squares and grey ladders hidden among tile-sized distractor squares (map_3 geometry).") {
      $0.levels = ["map_3"]
      $0.theme = .maskedObjectIdentity
    },
    priors("masked-affordances", "A texture patchwork background; platforms and ladders drawn in textures from the same set (map_3).") {
      $0.levels = ["map_3"]
      $0.theme = .maskedAffordances
    },
    priors("masked-similarity", "The patchwork with a different texture for each platform segment and each ladder (map_similarity).") {
      $0.levels = ["map_similarity"]
      $0.theme = .maskedSimilarity
    },
    priors("reversed-semantics", "The princess looks like the enemy, the enemy like the princess, fire like a coin.") {
      $0.theme = .reversedSemantics
    },
    priors("all-masked", "Every object prior masked at once: squares, distractors, patchwork, per-segment textures (map_3).") {
      $0.levels = ["map_3"]
      $0.theme = .allMasked
    },
    priors("rotated", "The original, shown rotated 90° clockwise: gravity points screen-left.") { $0.view = .rotated },
    priors("ladder-swapped", "Up and down trade their ladder roles: down climbs, up descends.") { $0.ladderSwapped = true },
    priors("low-gravity", "Vertical speed drops every second air step: jumps rise 56 px instead of 28.") { $0.lowGravity = true },
    priors("continual", "A level drawn from map0…map19 each episode, original look and dynamics.") {
      $0.levels = (0..<20).map { "map\($0)" }
    },
  ]

  /// A platformer variant: the original's options changed by `change`, with its levels parsed from the shipped texts.
  private static func priors(_ variant: String, _ summary: String, _ change: (inout PriorOptions) -> Void) -> Entry {
    var options = PriorOptions()
    change(&options)
    let levels = options.levels.map { name in
      guard let text = ShippedLevels.text(named: name), let level = try? PriorLevel(name: name, text: text) else {
        preconditionFailure("the shipped level '\(name)' is missing or does not parse")
      }
      return level
    }
    return Entry(id: registeredID("priors", variant), version: 1, summary: summary, maxEpisodeSteps: 2_001,
                 parameters: .priors(options, levels))
  }
}

/// The platformer levels the registered variants use, as text (the level file format of ``PriorLevel``).
public enum ShippedLevels {
  /// The text of the shipped level `name` (`map`, `map_3`, `map_similarity`, `map0` … `map19`), exactly as in
  /// `envs/priors/levels/<name>.txt`, or `nil`.
  public static func text(named name: String) -> String? {
    let body: String? = switch name {
    case "map": map
    case "map_3": map_3
    case "map_similarity": map_similarity
    default: continual[name]
    }
    return body.map { $0 + "\n" }
  }

  /// Every shipped level name.
  public static let names = ["map", "map_3", "map_similarity"] + (0..<20).map { "map\($0)" }

  private static let continual: [String: String] = [
    "map0": map0, "map1": map1, "map2": map2, "map3": map3, "map4": map4, "map5": map5, "map6": map6,
    "map7": map7, "map8": map8, "map9": map9, "map10": map10, "map11": map11, "map12": map12, "map13": map13,
    "map14": map14, "map15": map15, "map16": map16, "map17": map17, "map18": map18, "map19": map19,
  ]
}
