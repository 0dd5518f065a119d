import EnvironmentCore

/// Every setting of the schema agent (Kansky et al. 2017, *Schema Networks*): grounding, learner, training and
/// planner. Defaults are the project's choices for pixel-level Breakout; presets in `agents/*.yaml` override
/// only what differs.
public struct SchemaConfiguration: Codable, Sendable, Hashable {
  // MARK: Grounding

  /// Radius (Chebyshev, in cells) of the neighbourhood window a schema reads around each pixel: 2 gives 5 × 5
  /// cells, enough for a one-pixel ball moving up to 2 px a step to see every cell the bounce rules consult
  /// (the spec's §1.1 window; DSN uses the same radius).
  public var windowRadius = 2
  /// Entity kinds the model can tell apart (opaque indices, in order of first sight; later kinds share an
  /// "other" bit). Breakout shows five (ball, paddle, wall, brick, punishment); eight leaves room for variants.
  public var kindSlots = 8
  /// The largest per-step displacement (pixels, either axis) that counts as motion: Breakout's fastest ball
  /// moves 2 px a step. A bigger jump of the same entity id is a respawn: the object vanished and a new one
  /// appeared.
  public var maxSpeed = 2
  /// Thermometer levels of an entity pixel's column inside its object, counted from each side ("at least k
  /// from the left edge", "at least k from the right edge", k = 1…levels). 17 are needed to tell apart the
  /// five zones of Breakout's 23-px paddle, whose outgoing angle depends on the column hit (§1.6); 18 fills
  /// the 64-bit cell word with the default kinds.
  public var partLevelsX = 18
  /// Thermometer levels of the pixel's row inside its object, from the top and from the bottom: 2 tells the
  /// three rows of the bottom punishment strip apart, which is where a falling ball is lost.
  public var partLevelsY = 2
  /// Objects longer than this (pixels) along an axis get no part bits along it: inside a screen-wide object such
  /// as the bottom strip, "k pixels from its right end" is a screen position, which a schema could learn in
  /// place of a cause ("the paddle moves right when far from the right wall") and which transfers to nothing.
  /// 32 keeps the parts of the paddle (23 px), bricks and wall segments.
  public var partMaxExtent = 32

  // MARK: Learner

  /// ε, the noise tolerance: a schema generalised from a seed row of precision π must keep precision ≥ π − ε
  /// (the spec's ε_rel = 0.02 of its noisy mode; 0 learns only exactly consistent schemas).
  public var noiseTolerance = 0.02
  /// k_min: the fewest positive examples (bags) a schema must explain to be kept; fewer is treated as noise
  /// (the spec's noisy-mode 3).
  public var minimumSupport = 3
  /// The lowest precision a schema may have and still be kept as a *possible* outcome: a bounce off a wall at
  /// speed 2 re-draws one of two other velocities with probability 0.25 / 3 ≈ 0.083, which must stay above it.
  public var minimumPrecision = 0.04
  /// Schemas whose precision is above this predict the *most likely* outcome; the others only widen the set
  /// of alternatives (a probability, 0.5: the outcome is likelier than not).
  public var likelyPrecision = 0.5
  /// A bag (an object's pixels at a step) seen at least this many times, never with the target, that shares
  /// rows with positive bags but also has a row none of them has, is a systematic negative that a likely schema
  /// may not fire on, however rare: the paddle pressed against a wall never moves, though its inner pixels look
  /// exactly as when it does. Two sightings keep one-off coincidences (a ball passing by during a 1-px move)
  /// from counting.
  public var hardNegativeSightings = 2
  /// Two kinds count as able to share a cell once seen doing so at this many steps in training; a rollout that
  /// puts an object where its kind was never (or only freakishly) seen is beyond what the model knows. The ball
  /// shares cells with the paddle and the bottom strip all the time, but with a wall only when the paddle pushes
  /// it there (a handful of times in 50,000 steps).
  public var overlapSightings = 20
  /// L, the most schemas per target (the spec's 200).
  public var maxSchemasPerTarget = 200
  /// Positive rows, most similar to the seed first, that the generaliser tries to absorb into one schema
  /// (bounds the work per seed; similar rows come first, so later ones rarely help).
  public var absorptionCandidates = 64

  // MARK: Training

  /// Environment steps of training (the brief: at most 50,000 on Standard).
  public var trainingSteps = 50_000
  /// Environment steps of random play before the first learning call (the model is empty until then).
  public var warmupSteps = 2_000
  /// Environment steps between learning calls after the warm-up (DSN relearns every 128; each call here revises
  /// the kept schemas and learns new ones only for unexplained examples).
  public var learningInterval = 6_000
  /// Probability of a uniformly random action instead of the planner's during training (ε-greedy, as the
  /// paper's exploration), so paddle bounces happen at every part of the paddle.
  public var explorationEpsilon = 0.15
  /// Probability that a training plan is a random candidate instead of the best, so outcomes the model cannot
  /// yet predict (unknown bounces) get tried.
  public var planExplorationEpsilon = 0.2
  /// Threads for learning (targets are independent; results do not depend on this number).
  public var learningThreads = 2

  // MARK: Planner

  /// H: steps each candidate plan is rolled out with the learned model (a ball's round trip paddle → top →
  /// paddle at speed 1 takes about 200; the first paddle contact and the brick after it fit in 160).
  public var horizon = 160
  /// γ: discount of predicted rewards per step (the spec's 0.98).
  public var discount = 0.98
  /// Penalty (in rewards) for a predicted negative reward such as a lost ball (the spec's 10).
  public var negativeRewardPenalty = 10.0
  /// Value (in rewards, discounted like them) of a rollout that reaches a state the model cannot predict — a
  /// bounce it has no schema for, a ball inside a wall: worse than a known safe outcome, far better than a
  /// known loss.
  public var uncertaintyPenalty = 1.0
  /// Pixels from the paddle's ends inside which a catch counts as risky (up to ``uncertaintyPenalty``, scaled by
  /// how close to the end): a bounce re-drawn at a wall or a model off by a pixel turns a corner catch into a
  /// lost ball, so among otherwise equal plans the one catching nearer the middle wins.
  public var catchMargin = 3
  /// The most candidate plans per planning call ("move with one action for k steps, then stay" for spaced k):
  /// far from a contact the spacing is coarse, and the agent replans as the contact nears.
  public var maxCandidates = 48
  /// Replan when the time left before the next predicted contact has halved since the last plan (coarse-to-fine
  /// aiming); otherwise only on surprise or at the plan's end.
  public var replanOnApproach = true
  /// A replan as the contact nears keeps the current plan unless another candidate is better by this much (in
  /// rewards): near-equal choices, such as which of three balls to catch, would otherwise flip back and forth
  /// until none is caught.
  public var replanHysteresis = 0.05
  /// How many bounces ahead (before each ball reaches the paddle) the planner hedges against: where the model
  /// allows a bounce other outcomes, it keeps the paddle where their landings stay reachable too, when the
  /// likeliest landing stays reachable, until the bounce is seen (`SchemaPlanner+Hedge.swift`). 0: plan for the
  /// likeliest outcome only. Training always plays unhedged, so the rules learned do not depend on it. Juggling,
  /// shipped model, 5 × 20 episodes: −3.8 at 0, −2.5 at 4 (docs/schema-agent.md).
  public var hedgeBranches = 4
  /// Whether a rollout keeps a controlled object where it was when the model moves it into a kind it was never
  /// seen sharing a cell with (the paddle into a wall), instead of ending the rollout there as beyond the model.
  /// Off, running into the wall is valued −uncertaintyPenalty, more than a predicted loss, so the planner flees
  /// into walls from balls it cannot reach (training seeds 1 and 2 predict the paddle entering the left wall).
  /// Training always plays with it off, so the rules learned do not depend on it.
  public var blockImplausibleMoves = true
  /// Whether, when the best candidate loses a ball, the candidate within ``lossAimTolerance`` of it whose
  /// controlled object is nearest the ball lost (centre to centre) is played instead of a coin's pick: a model
  /// that wrongly predicts a ball lost whatever is done (training seeds 1 and 2 have no bounce for a ball falling
  /// straight onto the paddle) still gets the paddle under it. Training always plays with it off, so the rules
  /// learned do not depend on it (docs/schema-agent.md, "Multi-ball planning").
  public var aimAtPredictedLosses = true
  /// How much worse (in rewards) a candidate may be valued than the best and still win by ending nearer the
  /// ball lost (``aimAtPredictedLosses``): the same loss a few steps earlier or later differs by a few
  /// hundredths, a catch saved by a whole penalty.
  public var lossAimTolerance = 0.1
  /// Whether, with several balls, a rollout counts every ball it loses in a step (less those the controlled object
  /// could still have caught one after another), instead of one loss per step: losing two of three balls at once
  /// then weighs more than losing one. Training always plays with it off (docs/schema-agent.md, "Juggling
  /// rollouts", has the figures of this aid and the two below).
  public var countEveryLoss = true
  /// Whether, with several balls, a ball whose velocity the model expects to change along an axis, with no schema
  /// naming the new value (a bounce it never learned, such as a steep ball meeting the top wall: Standard's bricks
  /// keep it away), reverses along that axis in rollouts, instead of ending the rollout there as beyond the model.
  /// A prior, not learned, like hedging's widening; ending rollouts there hid every later loss of the other balls.
  /// With one ball rollouts still end there (with it, Middle Wall fell from 47.8 to 39.7). Training always plays
  /// with it off.
  public var reverseUnnamedBounces = true
  /// Whether a ball that comes within ``maxSpeed`` pixels of a controlled object in a rollout counts as touching
  /// it (for ``catchMargin``'s risk), not only within 1: a model that predicts a bounce off the paddle's corner
  /// from two pixels away (the game lets such a ball pass) no longer sees a safe catch there. Training always
  /// plays with it off.
  public var nearMissTouches = true

  public init() {}

  /// These settings with the planner aids that only evaluation uses turned off (``hedgeBranches``,
  /// ``blockImplausibleMoves``, ``aimAtPredictedLosses``, ``countEveryLoss``, ``reverseUnnamedBounces``,
  /// ``nearMissTouches``): how training acts, so the rules learned do not depend on them. A new evaluation-only aid is turned off here.
  public var withoutEvaluationAids: SchemaConfiguration {
    var c = self
    c.hedgeBranches = 0
    c.blockImplausibleMoves = false
    c.aimAtPredictedLosses = false
    c.countEveryLoss = false
    c.reverseUnnamedBounces = false
    c.nearMissTouches = false
    return c
  }

  /// Decodes every key strictly, except ``hedgeBranches``, ``blockImplausibleMoves``, ``aimAtPredictedLosses``,
  /// ``lossAimTolerance``, ``countEveryLoss``, ``reverseUnnamedBounces`` and ``nearMissTouches``: models and runs
  /// saved before they existed leave them out.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func take<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws { value = try c.decode(T.self, forKey: key) }
    try take(.windowRadius, &windowRadius); try take(.kindSlots, &kindSlots); try take(.maxSpeed, &maxSpeed)
    try take(.partLevelsX, &partLevelsX); try take(.partLevelsY, &partLevelsY); try take(.partMaxExtent, &partMaxExtent)
    try take(.noiseTolerance, &noiseTolerance); try take(.minimumSupport, &minimumSupport)
    try take(.minimumPrecision, &minimumPrecision); try take(.likelyPrecision, &likelyPrecision)
    try take(.hardNegativeSightings, &hardNegativeSightings); try take(.overlapSightings, &overlapSightings)
    try take(.maxSchemasPerTarget, &maxSchemasPerTarget); try take(.absorptionCandidates, &absorptionCandidates)
    try take(.trainingSteps, &trainingSteps); try take(.warmupSteps, &warmupSteps); try take(.learningInterval, &learningInterval)
    try take(.explorationEpsilon, &explorationEpsilon); try take(.planExplorationEpsilon, &planExplorationEpsilon)
    try take(.learningThreads, &learningThreads); try take(.horizon, &horizon); try take(.discount, &discount)
    try take(.negativeRewardPenalty, &negativeRewardPenalty); try take(.uncertaintyPenalty, &uncertaintyPenalty)
    try take(.catchMargin, &catchMargin); try take(.maxCandidates, &maxCandidates); try take(.replanOnApproach, &replanOnApproach)
    try take(.replanHysteresis, &replanHysteresis)
    hedgeBranches = try c.decodeIfPresent(Int.self, forKey: .hedgeBranches) ?? hedgeBranches
    blockImplausibleMoves = try c.decodeIfPresent(Bool.self, forKey: .blockImplausibleMoves) ?? blockImplausibleMoves
    aimAtPredictedLosses = try c.decodeIfPresent(Bool.self, forKey: .aimAtPredictedLosses) ?? aimAtPredictedLosses
    lossAimTolerance = try c.decodeIfPresent(Double.self, forKey: .lossAimTolerance) ?? lossAimTolerance
    countEveryLoss = try c.decodeIfPresent(Bool.self, forKey: .countEveryLoss) ?? countEveryLoss
    reverseUnnamedBounces = try c.decodeIfPresent(Bool.self, forKey: .reverseUnnamedBounces) ?? reverseUnnamedBounces
    nearMissTouches = try c.decodeIfPresent(Bool.self, forKey: .nearMissTouches) ?? nearMissTouches
  }

  /// Settings that cannot work, as (key, value, reason).
  public func problems() -> [(key: String, value: String, reason: String)] {
    var found: [(key: String, value: String, reason: String)] = []
    func check(_ ok: Bool, _ key: String, _ value: Any, _ reason: String) { if !ok { found.append((key, "\(value)", reason)) } }
    // Counts first: the layout's bit count and the learner's allocations do arithmetic on them.
    let counts: [(String, Int, ClosedRange<Int>)] = [
      ("kindSlots", kindSlots, 1...64), ("partLevelsX", partLevelsX, 0...64), ("partLevelsY", partLevelsY, 0...64),
      ("partMaxExtent", partMaxExtent, 1...4096), ("minimumSupport", minimumSupport, 1...1_000_000_000),
      ("hardNegativeSightings", hardNegativeSightings, 1...1_000_000_000), ("overlapSightings", overlapSightings, 1...1_000_000_000),
      ("maxSchemasPerTarget", maxSchemasPerTarget, 1...100_000), ("absorptionCandidates", absorptionCandidates, 0...100_000),
      ("trainingSteps", trainingSteps, 1...1_000_000_000_000), ("warmupSteps", warmupSteps, 1...1_000_000_000_000),
      ("learningInterval", learningInterval, 1...1_000_000_000_000), ("learningThreads", learningThreads, 1...256),
      ("horizon", horizon, 1...100_000), ("catchMargin", catchMargin, 0...4096), ("maxCandidates", maxCandidates, 2...10_000),
      ("hedgeBranches", hedgeBranches, 0...64),
    ]
    for (key, value, range) in counts {
      check(range.contains(value), key, value, "must be between \(range.lowerBound) and \(range.upperBound)")
    }
    let penalties = [("uncertaintyPenalty", uncertaintyPenalty), ("negativeRewardPenalty", negativeRewardPenalty),
                     ("replanHysteresis", replanHysteresis), ("lossAimTolerance", lossAimTolerance)]
    for (key, value) in penalties { check(value.isFinite, key, value, "must be finite") }
    check((1...4).contains(windowRadius), "windowRadius", windowRadius, "must be between 1 and 4")
    check(kindSlots >= 1, "kindSlots", kindSlots, "must be at least 1")
    check((1...3).contains(maxSpeed), "maxSpeed", maxSpeed, "must be between 1 and 3")
    check(partLevelsX >= 0 && partLevelsY >= 0, "partLevelsX", partLevelsX, "and partLevelsY must not be negative")
    check(partMaxExtent >= 1, "partMaxExtent", partMaxExtent, "must be at least 1")
    // The layout's bit count is computed only from bounded values.
    if (1...64).contains(kindSlots) && (0...64).contains(partLevelsX) && (0...64).contains(partLevelsY)
      && (1...4096).contains(partMaxExtent) && (0...4).contains(windowRadius) && (1...3).contains(maxSpeed) {
      check(layout.bitCount <= 64, "kindSlots", kindSlots,
            "kinds, velocities and part levels need \(layout.bitCount) bits; a cell holds 64 (lower kindSlots or partLevelsX)")
    }
    check((0..<1).contains(noiseTolerance), "noiseTolerance", noiseTolerance, "must be in [0, 1)")
    check(minimumSupport >= 1, "minimumSupport", minimumSupport, "must be at least 1")
    check(minimumPrecision > 0 && minimumPrecision <= 1, "minimumPrecision", minimumPrecision, "must be in (0, 1]")
    check(likelyPrecision > 0 && likelyPrecision < 1, "likelyPrecision", likelyPrecision, "must be in (0, 1)")
    check(hardNegativeSightings >= 1, "hardNegativeSightings", hardNegativeSightings, "must be at least 1")
    check(overlapSightings >= 1, "overlapSightings", overlapSightings, "must be at least 1")
    check(maxSchemasPerTarget >= 1, "maxSchemasPerTarget", maxSchemasPerTarget, "must be at least 1")
    check(absorptionCandidates >= 0, "absorptionCandidates", absorptionCandidates, "must not be negative")
    check(trainingSteps >= 1, "trainingSteps", trainingSteps, "must be at least 1")
    check(warmupSteps >= 1, "warmupSteps", warmupSteps, "must be at least 1")
    check(learningInterval >= 1, "learningInterval", learningInterval, "must be at least 1")
    check((0...1).contains(explorationEpsilon), "explorationEpsilon", explorationEpsilon, "must be in [0, 1]")
    check((0...1).contains(planExplorationEpsilon), "planExplorationEpsilon", planExplorationEpsilon, "must be in [0, 1]")
    check(learningThreads >= 1, "learningThreads", learningThreads, "must be at least 1")
    check(horizon >= 1, "horizon", horizon, "must be at least 1")
    check(discount > 0 && discount <= 1, "discount", discount, "must be in (0, 1]")
    check(catchMargin >= 0, "catchMargin", catchMargin, "must not be negative")
    check(uncertaintyPenalty >= 0, "uncertaintyPenalty", uncertaintyPenalty, "must not be negative")
    check(negativeRewardPenalty >= 0, "negativeRewardPenalty", negativeRewardPenalty, "must not be negative")
    check(maxCandidates >= 2, "maxCandidates", maxCandidates, "must be at least 2")
    check(replanHysteresis >= 0, "replanHysteresis", replanHysteresis, "must not be negative")
    check(lossAimTolerance >= 0, "lossAimTolerance", lossAimTolerance, "must not be negative")
    return found
  }

  /// The cell and row layout these settings give.
  public var layout: CellLayout {
    CellLayout(kindSlots: kindSlots, maxSpeed: maxSpeed, partLevelsX: partLevelsX, partLevelsY: partLevelsY,
               partMaxExtent: partMaxExtent, windowRadius: windowRadius)
  }
}
