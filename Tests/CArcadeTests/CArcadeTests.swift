import CArcade
import Testing

/// The C interface answers statuses, never traps: bad handles, ids, forms and actions included.
@Suite struct CArcadeTests {
  private func create(_ id: String, form: Int32 = 0, parameter: Int32 = 0) -> (Int32, UInt64) {
    var handle: UInt64 = 0
    let status = id.withCString { arcade_create($0, form, parameter, &handle) }
    return (status, handle)
  }

  @Test func versionAndMessages() {
    #expect(arcade_version() == 2)
    #expect(String(cString: arcade_status_message(-4)).contains("handle"))
    #expect(String(cString: arcade_status_message(12345)) == "unknown status code")
  }

  @Test func idsListEveryRegisteredEnvironment() {
    var needed: Int64 = 0
    #expect(arcade_env_ids(nil, 0, &needed) == -1)
    var small = [CChar](repeating: 0, count: 4)
    #expect(arcade_env_ids(&small, 4, &needed) == -8)
    var text = [CChar](repeating: 0, count: Int(needed))
    #expect(arcade_env_ids(&text, needed, &needed) == 0)
    let ids = String(cString: text).split(separator: "\n")
    #expect(ids.contains("breakout/standard") && ids.contains("priors/original"))
  }

  @Test func badIDsFormsAndHandlesAreStatuses() {
    #expect(create("breakout/nope").0 == -2)
    #expect(create("not an id").0 == -2)
    #expect(create("breakout/standard", form: 9).0 == -3)
    #expect(create("breakout/standard", form: 1, parameter: -1).0 == -3)
    #expect(arcade_create(nil, 0, 0, nil) == -1)
    var observation = [UInt8](repeating: 0, count: 8)
    var out = [0.0, 0.0]
    #expect(arcade_reset(0, 0, 1, &observation) == -4)
    #expect(arcade_step(0xDEAD_BEEF, 0, &observation, &out) == -4)
    #expect(arcade_destroy(42) == -4)
  }

  @Test func freedHandleAndBadActionsAreStatuses() {
    let (status, handle) = create("breakout/standard")
    #expect(status == 0)
    var out = [0.0, 0.0]
    #expect(arcade_step(handle, 0, nil, &out) == -9)
    #expect(arcade_reset(handle, 7, 1, nil) == 0)
    #expect(arcade_step(handle, 99, nil, &out) == -5)
    #expect(arcade_step(handle, -1, nil, &out) == -5)
    #expect(arcade_step_bound(handle, 0) == -10)
    #expect(arcade_step(handle, 1, nil, &out) >> 2 == 3)
    #expect(out[1] == 3)
    #expect(arcade_destroy(handle) == 0)
    #expect(arcade_destroy(handle) == -4)
    #expect(arcade_step(handle, 0, nil, &out) == -4)
    var vector: UInt64 = 0
    #expect("breakout/small".withCString { arcade_vec_create($0, 0, 0, 0, 1, &vector) } == -6)
    #expect("breakout/small".withCString { arcade_vec_create($0, 0, 0, 1 << 17, 1, &vector) } == -6)
    #expect("breakout/small".withCString { arcade_vec_create($0, 0, 0, 4, 2, &vector) } == 0)
    #expect(arcade_step(vector, 0, nil, &out) == -7)
    var actions: [Int64] = [0, 1, 2, 9], rewards = [Double](repeating: 0, count: 4)
    var terminated = [UInt8](repeating: 0, count: 4), truncated = terminated
    #expect(arcade_vec_reset(vector, 1, 1, nil, nil) == 0)
    #expect(arcade_vec_step(vector, &actions, nil, &rewards, &terminated, &truncated, nil) == -5)
    actions[3] = 0
    #expect(arcade_vec_step(vector, &actions, nil, &rewards, &terminated, &truncated, nil) == 0)
    #expect(arcade_destroy(vector) == 0)
  }

  @Test(arguments: [(Int32(1), Int32(4)), (2, 0), (3, 0), (3, 42)])
  func shapesMatchTheBytesWritten(form: Int32, parameter: Int32) {
    let (status, handle) = create("breakout/standard", form: form, parameter: parameter)
    #expect(status == 0)
    defer { _ = arcade_destroy(handle) }
    var dims = [Int64](repeating: 0, count: 3), rank: Int32 = 0, dtype: Int32 = 0, bytes: Int64 = 0
    #expect(arcade_observation_shape(handle, &dims, &rank, &dtype, &bytes) == 0)
    #expect(rank >= 2 && bytes == dims[0..<Int(rank)].reduce(1, *) * (dtype == 1 ? 4 : 1))
    var observation = [UInt8](repeating: 0xAB, count: Int(bytes))
    #expect(arcade_reset(handle, 3, 1, &observation) == 0)
    #expect(!observation.allSatisfy { $0 == 0xAB })
    if form == 1 { #expect(observation.allSatisfy { $0 <= 1 }) }
  }

  @Test func vectorCopiesMatchSingleEnvironments() {
    let n = 3
    var vector: UInt64 = 0
    #expect("breakout/small".withCString { arcade_vec_create($0, 1, 2, Int32(n), 2, &vector) } == 0)
    var dims = [Int64](repeating: 0, count: 3), rank: Int32 = 0, dtype: Int32 = 0, bytes: Int64 = 0
    #expect(arcade_observation_shape(vector, &dims, &rank, &dtype, &bytes) == 0)
    let size = Int(bytes)
    var batch = [UInt8](repeating: 0, count: n * size), rewards = [Double](repeating: 0, count: n)
    var terminated = [UInt8](repeating: 0, count: n), truncated = terminated
    #expect(arcade_vec_reset(vector, 10, 1, &batch, nil) == 0)
    let singles = (0..<n).map { _ in create("breakout/small", form: 1, parameter: 2).1 }
    var observation = [UInt8](repeating: 0, count: size), out = [0.0, 0.0]
    for (i, s) in singles.enumerated() { _ = arcade_reset(s, 10 + UInt64(i), 1, &observation) }
    var pending = [Bool](repeating: false, count: n)
    for t in 0..<3000 {
      var actions = (0..<n).map { Int64(($0 + t / 7) % 3) }
      #expect(arcade_vec_step(vector, &actions, &batch, &rewards, &terminated, &truncated, nil) == 0)
      for (i, s) in singles.enumerated() {
        var flags: Int32 = 0
        if pending[i] { _ = arcade_reset(s, 0, 0, &observation); out[0] = 0 } else { flags = arcade_step(s, actions[i], &observation, &out) & 3 }
        pending[i] = flags != 0
        #expect(Array(batch[(i * size)..<((i + 1) * size)]) == observation && rewards[i] == out[0])
        #expect(terminated[i] == UInt8(flags & 1) && truncated[i] == UInt8(flags >> 1))
      }
    }
    for s in singles + [vector] { #expect(arcade_destroy(s) == 0) }
  }
}
