/// The schemas compiled for fast firing, with what fired on rows and objects already seen, memoised by a
/// 128-bit hash (free-flight neighbourhoods repeat constantly, so most evaluations are one lookup).
///
/// ``Fired`` holds, per target, the highest precision (0…255) of the schemas that fired, 0 when none did: an
/// object's fired set is the maximum over its pixels' rows (the OR of grounded schemas).
struct RuleBook {
  typealias Fired = SIMD32<UInt8>

  let layout: CellLayout
  private let targets: [Int]
  private let levels: [UInt8]
  private let starts: [Int]
  private let words: [Int]
  private let masks: [UInt64]
  /// Kind bits of objects whose schemas can depend on the action (always evaluated).
  let actionKinds: UInt64
  /// Kind bits of objects seen to change in training (the only ones evaluated).
  let changingKinds: UInt64
  /// Per kind slot, the kinds seen sharing a cell with it in training.
  let overlaps: [UInt64]
  /// Kind bits of objects seen to stop moving in training (the paddle); others never lose their velocity.
  let stoppingKinds: UInt64
  /// Per kind slot, the bits its rows keep: kinds it saw near it in training, and every non-kind bit.
  let visible: [UInt64]
  /// 255 in the lanes of the "on" and "vanish" targets: what can change an object at rest.
  let changeLanes: Fired
  /// Levels above `likely` are likelier than not; above `certain`, sure (see ``forecast(_:velocity:)``).
  let likely: UInt8
  let certain: UInt8
  /// The neighbourhoods seen in training (`nil`: an older model, no novelty).
  let contexts: ContextSet?
  private var rowMemo: [MemoKey: Fired] = [:]
  private var objectMemo: [MemoKey: Evaluation] = [:]
  private var row: [UInt64]

  /// What fired on an object and what the model therefore expects of it.
  struct Evaluation {
    var fired: Fired
    var forecast: ObjectForecast
  }

  struct MemoKey: Hashable {
    var a: UInt64
    var b: UInt64
  }

  init(model: SchemaModel) {
    let layout = model.layout
    self.layout = layout
    var targets: [Int] = [], levels: [UInt8] = [], starts = [0], words: [Int] = [], masks: [UInt64] = []
    var actionKinds: UInt64 = 0
    let centre = layout.cell(dx: 0, dy: 0)
    let kindMask: UInt64 = (1 << UInt64(layout.kindSlots + 1)) - 1
    for schema in model.schemas {
      targets.append(layout.index(of: schema.target))
      levels.append(Self.level(schema.precision))
      for f in schema.literals {
        if words.count > starts.last! && words.last! == f >> 6 { masks[masks.count - 1] |= 1 << UInt64(f & 63) } else {
          words.append(f >> 6)
          masks.append(1 << UInt64(f & 63))
        }
      }
      starts.append(words.count)
      // Objects at rest that an action can set moving: "on" and "vanish" schemas that read the action and no
      // velocity of the pixel itself ("off" schemas only touch moving objects, which are evaluated anyway).
      let own = schema.literals.filter { $0 >> 6 == centre || $0 >> 6 == layout.selfWord }
      let readsAction = schema.literals.contains { $0 >> 6 == layout.actionWord }
      let readsVelocity = own.contains { layout.velocityMask & (1 << UInt64($0 & 63)) != 0 }
      if readsAction && !readsVelocity, case .velocityOn = schema.target {
        let kinds = own.filter { (1 << UInt64($0 & 63)) & kindMask != 0 }
        actionKinds |= kinds.isEmpty ? kindMask : kinds.reduce(0) { $0 | 1 << UInt64($1 & 63) }
      } else if readsAction && !readsVelocity && schema.target == .vanish {
        let kinds = own.filter { (1 << UInt64($0 & 63)) & kindMask != 0 }
        actionKinds |= kinds.isEmpty ? kindMask : kinds.reduce(0) { $0 | 1 << UInt64($1 & 63) }
      }
    }
    (self.targets, self.levels, self.starts, self.words, self.masks) = (targets, levels, starts, words, masks)
    self.actionKinds = actionKinds
    changingKinds = model.changingKinds
    overlaps = model.overlaps
    stoppingKinds = model.stoppingKinds
    visible = model.neighbours.map { $0 | ~layout.kindBits }
    likely = UInt8(min(254, max(0, Int(model.configuration.likelyPrecision * 255))))
    certain = UInt8(min(254, Int(((1 - model.configuration.minimumPrecision) * 255).rounded(.down))))
    var lanes = Fired()
    for t in 0..<(2 * layout.velocityValues) { lanes[t] = 255 }
    lanes[layout.vanishIndex] = 255
    changeLanes = lanes
    contexts = model.contexts
    row = [UInt64](repeating: 0, count: layout.rowWords)
  }

  /// A precision as a level 1…255 (never 0, which means "nothing fired").
  static func level(_ precision: Double) -> UInt8 { UInt8(max(1, min(255, (precision * 255).rounded(.up)))) }

  /// What fires on `row`, without the memo.
  func evaluate(_ row: UnsafePointer<UInt64>) -> Fired {
    var fired = Fired()
    for r in targets.indices where levels[r] > fired[targets[r]] {
      var ok = true
      for k in starts[r]..<starts[r + 1] where row[words[k]] & masks[k] != masks[k] { ok = false; break }
      if ok { fired[targets[r]] = levels[r] }
    }
    return fired
  }

  /// What fires on `row`, memoised.
  mutating func fired(_ row: UnsafePointer<UInt64>) -> Fired {
    let key = MemoKey(a: RowTable.hash(row, layout.rowWords), b: RowTable.hash(row, layout.rowWords, seed: 0x2545_F491_4F6C_DD1D))
    if let hit = rowMemo[key] { return hit }
    let fired = evaluate(row)
    if rowMemo.count > 1 << 20 { rowMemo.removeAll(keepingCapacity: true) }
    rowMemo[key] = fired
    return fired
  }

  /// What fires on object `i` of `scene` under `action` (the maximum over its pixels' rows) and its forecast.
  /// Memoised by its neighbourhood (every cell its rows read), its shape, velocity and the action.
  mutating func evaluate(object i: Int, in scene: SchemaScene, action: Int) -> Evaluation {
    let o = scene.objects[i], r = layout.windowRadius
    var a: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(action) &* 0x100_0000_01B3
    var b: UInt64 = 0xC2B2_AE3D_27D4_EB4F ^ UInt64(o.width) << 32 ^ UInt64(o.height) ^ layout.velocityWord(o.velocity) << 7
    let visible = self.visible[o.kind.trailingZeroBitCount]
    scene.cells.withUnsafeBufferPointer { cells in
      for y in (o.minY - r)...(o.maxY + r) {
        let inside = y >= 0 && y < scene.height
        for x in (o.minX - r)...(o.maxX + r) {
          let w = inside && x >= 0 && x < scene.width ? cells[y * scene.width + x] : layout.outsideWord
          a = (a ^ w) &* 0xBF58_476D_1CE4_E5B9
          a ^= a >> 29
          b = (b ^ w) &* 0x94D0_49BB_1331_11EB
          b ^= b >> 31
        }
      }
    }
    // Pixels missing from the box (non-rectangular shapes) are part of the key too.
    if o.pixelCount != o.width * o.height {
      for k in 0..<(o.width * o.height) where scene.shapes[o.shapeStart + k] == 0 { b = (b ^ UInt64(k + 1)) &* 0x9E37_79B9_7F4A_7C15 }
    }
    let key = MemoKey(a: a, b: b)
    if let hit = objectMemo[key] { return hit }
    var fired = Fired()
    var isNovel = false
    var row = self.row
    row.withUnsafeMutableBufferPointer { buffer in
      scene.forEachPixel(of: i) { x, y, own in
        scene.row(atX: x, y: y, own: own, action: action, into: buffer.baseAddress!)
        // Kinds this object never saw near it in training are not there for it: their cells read as void.
        for k in 0..<layout.windowCells where buffer[k] & ~visible != 0 {
          let (dx, dy) = layout.offset(ofCell: k)
          guard !scene.covers(i, x: x + dx, y: y + dy) else { continue }
          buffer[k] = buffer[k] & visible & layout.kindBits == 0 ? layout.voidWord : buffer[k] & visible
        }
        fired = pointwiseMax(fired, self.fired(buffer.baseAddress!))
        if let contexts, !isNovel, let context = layout.context(of: buffer.baseAddress!) { isNovel = !contexts.contains(context) }
      }
    }
    self.row = row
    var evaluation = Evaluation(fired: fired, forecast: forecast(fired, velocity: o.velocity, kind: o.kind))
    evaluation.forecast.isNovel = isNovel
    if objectMemo.count > 1 << 18 { objectMemo.removeAll(keepingCapacity: true) }
    objectMemo[key] = evaluation
    return evaluation
  }

  /// Whether objects of kind bits `kind` are ever evaluated, and whether the action matters to them.
  func isChanging(_ kind: UInt64) -> Bool { kind & changingKinds != 0 }

  /// Whether object `i` of `scene` shares a cell with a kind its kind was never seen with (a prediction beyond
  /// what the model knows, such as a ball inside a wall it has no bounce for).
  func isImplausible(_ i: Int, in scene: SchemaScene) -> Bool {
    let slot = scene.objects[i].kind.trailingZeroBitCount
    let allowed = overlaps[slot] | ~visible[slot] | ~layout.kindBits
    var strange = false
    scene.forEachPixel(of: i) { x, y, own in if scene.cell(x, y) & ~own & ~allowed != 0 { strange = true } }
    return strange
  }
  func isActionSensitive(_ kind: UInt64) -> Bool { kind & actionKinds != 0 }
}
