/// Steps a ``SchemaScene`` forward with the learned model alone: the most likely next state, the reward it
/// expects, and (on request) every object's forecast with its alternatives.
///
/// Only "active" objects are evaluated: of a kind seen to change in training, and moving, or moved by the
/// action, or near a cell that changed in the previous step. Any other object has the same rows as before,
/// where nothing happened, so it stays as it is (the self-transition).
struct SchemaSimulator {
  var book: RuleBook
  var likely: UInt8 { book.likely }
  var certain: UInt8 { book.certain }
  /// The evaluation of each object at rest, under which action, in which epoch: an object at rest that nothing
  /// touched since has the same neighbourhood, so it need not be evaluated again.
  private var rest: [(epoch: Int, action: Int, evaluation: RuleBook.Evaluation)] = []
  private var epoch = 1
  private var stamps: [Int] = []
  private var stamp = 0
  /// Whether a moving object whose forecast expects a change it cannot name (``ObjectForecast/unnamedAxes``)
  /// reverses along those axes instead of keeping its velocity, and the step is not counted uncertain: the
  /// planner's bounce prior (``SchemaConfiguration/reverseUnnamedBounces``).
  var reversesUnnamedChanges = false

  init(model: SchemaModel) { book = RuleBook(model: model) }

  /// The expected reward of a step and what changed in it.
  struct Step {
    /// Highest precision (0…255) of the reward schemas that fired, per sign.
    var positive: UInt8 = 0
    var negative: UInt8 = 0
    /// Boxes whose cells changed (for the next step's activity test).
    var changes: [CellBox] = []
    /// Objects that moved, turned, stopped or vanished.
    var moved: [Int] = []
    /// Some object's forecast was uncertain (``ObjectForecast/isUncertain``).
    var isUncertain = false
  }

  /// Which objects a rollout must look at: those moving or moved by the actions, and the others of changing
  /// kinds by the 16-px buckets their neighbourhoods overlap (so a step visits only objects near a change).
  struct Watch {
    var mobile: [Int] = []
    fileprivate var buckets: [[Int]] = []
    fileprivate var columns = 0
    fileprivate var rows = 0

    /// The watch of `scene` for a model `book`, with `sensitive` the ids of objects the actions move.
    init(_ scene: SchemaScene, book: RuleBook, sensitive: [Int32]) {
      let r = book.layout.windowRadius
      columns = (scene.width + 15) / 16 + 1
      rows = (scene.height + 15) / 16 + 1
      buckets = [[Int]](repeating: [], count: columns * rows)
      for (i, o) in scene.objects.enumerated() where o.isPresent && book.isChanging(o.kind) {
        if o.velocity != nil || sensitive.contains(o.id) { mobile.append(i); continue }
        for by in bucketRow(o.minY - r)...bucketRow(o.maxY + r) {
          for bx in bucket(o.minX - r)...bucket(o.maxX + r) { buckets[by * columns + bx].append(i) }
        }
      }
    }

    fileprivate func bucket(_ v: Int) -> Int { max(0, min(v >> 4, columns - 1)) }
    fileprivate func bucketRow(_ v: Int) -> Int { max(0, min(v >> 4, rows - 1)) }
  }

  /// Forgets the evaluations of objects at rest: call when the scene changed other than by ``step`` (a new
  /// observation, a rollback).
  mutating func forgetRest() { epoch += 1 }

  /// The forecast of object `i` under `action`.
  mutating func forecast(_ i: Int, in scene: SchemaScene, action: Int) -> ObjectForecast {
    book.evaluate(object: i, in: scene, action: action).forecast
  }

  /// Advances `scene` one step under `action` to its most likely next state. `changes` are the boxes that
  /// changed in the step before (`nil`: unknown, evaluate every changing object). With `watch`, only the
  /// objects it names are visited; without, every object, and an object at rest is evaluated if its kind reads
  /// the action. With `forecasts`, every object's forecast is written there (index = object index).
  mutating func step(_ scene: inout SchemaScene, action: Int, changes: [CellBox]?, watch: UnsafeMutablePointer<Watch>? = nil,
                     forecasts: UnsafeMutablePointer<ObjectForecast>? = nil) -> Step {
    var result = Step()
    var fates: [(Int, ObjectOutcome)] = []
    if stamps.count < scene.objects.count { stamps += [Int](repeating: 0, count: scene.objects.count - stamps.count) }
    if rest.count < scene.objects.count {
      rest += Array(repeating: (0, 0, RuleBook.Evaluation(fired: .init(), forecast: book.unchanged(nil))), count: scene.objects.count - rest.count)
    }
    stamp += 1
    func visit(_ i: Int, reactive: Bool) {
      guard stamps[i] != stamp else { return }
      stamps[i] = stamp
      let o = scene.objects[i]
      guard o.isPresent else { return }
      let touched = scene.isTouched(i, by: changes)
      guard book.isChanging(o.kind) && (o.velocity != nil || reactive || touched) else {
        if o.velocity != nil { fates.append((i, .stays(o.velocity))) }
        forecasts?[i] = book.unchanged(o.velocity)
        return
      }
      let evaluation: RuleBook.Evaluation
      if o.velocity == nil && !touched && rest[i].epoch == epoch && rest[i].action == action {
        evaluation = rest[i].evaluation
      } else {
        evaluation = book.evaluate(object: i, in: scene, action: action)
        rest[i] = o.velocity == nil ? (epoch, action, evaluation) : (0, 0, evaluation)
      }
      result.positive = max(result.positive, evaluation.fired[book.layout.positiveRewardIndex])
      result.negative = max(result.negative, evaluation.fired[book.layout.negativeRewardIndex])
      forecasts?[i] = evaluation.forecast
      var outcome = evaluation.forecast.outcome
      if evaluation.forecast.isUncertain {
        if reversesUnnamedChanges, case .stays(let v?) = outcome {
          let axes = evaluation.forecast.unnamedAxes
          outcome = .stays(Velocity(dx: axes & 1 != 0 ? -v.dx : v.dx, dy: axes & 2 != 0 ? -v.dy : v.dy))
        } else {
          result.isUncertain = true
        }
      }
      if outcome != .stays(nil) || o.velocity != nil { fates.append((i, outcome)) }
    }
    if let watch, let changes {
      for i in watch.pointee.mobile { visit(i, reactive: true) }
      let r = book.layout.windowRadius
      for box in changes {
        for by in watch.pointee.bucketRow(box.y0 - r)...watch.pointee.bucketRow(box.y1 + r) {
          for bx in watch.pointee.bucket(box.x0 - r)...watch.pointee.bucket(box.x1 + r) {
            for i in watch.pointee.buckets[by * watch.pointee.columns + bx] { visit(i, reactive: false) }
          }
        }
      }
    } else {
      for i in scene.objects.indices { visit(i, reactive: book.isActionSensitive(scene.objects[i].kind)) }
    }
    for (i, fate) in fates {
      result.moved.append(i)
      let before = scene.objects[i].box
      switch fate {
      case .vanished:
        scene.remove(i)
        result.changes.append(before)
      case .stays(let v):
        if v != nil && watch != nil && !watch!.pointee.mobile.contains(i) { watch!.pointee.mobile.append(i) }
        scene.advance(i, velocity: v)
        result.changes += [before, scene.objects[i].box]
      }
    }
    return result
  }
}
