/// Runs `body` on the vector session behind `handle`.
@inline(__always)
private func withVector(_ handle: UInt64, _ body: (VectorSession) -> Int32) -> Int32 {
  guard let session = registry.lookup(handle) else { return Status.handle.rawValue }
  guard let vector = session as? VectorSession else { return Status.kind.rawValue }
  return body(vector)
}

/// Runs `body` on the session of either kind behind `handle`.
private func withSession(_ handle: UInt64, _ body: (Session) -> Int32) -> Int32 {
  guard let session = registry.lookup(handle) else { return Status.handle.rawValue }
  return body(session)
}

@_cdecl("arcade_vec_reset")
public func arcade_vec_reset(_ handle: UInt64, _ seed: UInt64, _ useSeed: Int32, _ observations: UnsafeMutableRawPointer?,
                             _ lives: UnsafeMutablePointer<Int32>?) -> Int32 {
  withVector(handle) { $0.reset(seed: useSeed != 0 ? seed : nil, observations: observations, lives: lives) }
}

@_cdecl("arcade_vec_step")
public func arcade_vec_step(_ handle: UInt64, _ actions: UnsafePointer<Int64>?, _ observations: UnsafeMutableRawPointer?,
                            _ rewards: UnsafeMutablePointer<Double>?, _ terminated: UnsafeMutablePointer<UInt8>?,
                            _ truncated: UnsafeMutablePointer<UInt8>?, _ lives: UnsafeMutablePointer<Int32>?) -> Int32 {
  guard let actions, let rewards, let terminated, let truncated else { return Status.null.rawValue }
  let buffers = StepBuffers(observations: observations, rewards: rewards, terminated: terminated, truncated: truncated, lives: lives)
  return withVector(handle) { $0.step(actions, buffers) }
}

@_cdecl("arcade_vec_bind")
public func arcade_vec_bind(_ handle: UInt64, _ observations: UnsafeMutableRawPointer?, _ rewards: UnsafeMutablePointer<Double>?,
                            _ terminated: UnsafeMutablePointer<UInt8>?, _ truncated: UnsafeMutablePointer<UInt8>?,
                            _ lives: UnsafeMutablePointer<Int32>?) -> Int32 {
  guard let rewards, let terminated, let truncated else { return Status.null.rawValue }
  let buffers = StepBuffers(observations: observations, rewards: rewards, terminated: terminated, truncated: truncated, lives: lives)
  return withVector(handle) { $0.bind(buffers) }
}

@_cdecl("arcade_vec_step_bound")
public func arcade_vec_step_bound(_ handle: UInt64, _ actions: UnsafePointer<Int64>?) -> Int32 {
  guard let actions else { return Status.null.rawValue }
  return withVector(handle) { $0.stepBound(actions) }
}

/// The observation's dimensions (up to 3), rank, element type and bytes, for either kind of handle.
@_cdecl("arcade_observation_shape")
public func arcade_observation_shape(_ handle: UInt64, _ dims: UnsafeMutablePointer<Int64>?, _ rank: UnsafeMutablePointer<Int32>?,
                                     _ dtype: UnsafeMutablePointer<Int32>?, _ bytes: UnsafeMutablePointer<Int64>?) -> Int32 {
  guard let dims, let rank, let dtype, let bytes else { return Status.null.rawValue }
  return withSession(handle) { session in
    let plan = session.plan
    for (i, d) in plan.shape.enumerated() { dims[i] = Int64(d) }
    rank.pointee = Int32(plan.shape.count)
    dtype.pointee = plan.dtype
    bytes.pointee = Int64(plan.byteCount)
    return Status.ok.rawValue
  }
}

@_cdecl("arcade_render_shape")
public func arcade_render_shape(_ handle: UInt64, _ height: UnsafeMutablePointer<Int64>?, _ width: UnsafeMutablePointer<Int64>?) -> Int32 {
  guard let height, let width else { return Status.null.rawValue }
  return withSession(handle) {
    (height.pointee, width.pointee) = (Int64($0.frameSize.height), Int64($0.frameSize.width))
    return Status.ok.rawValue
  }
}

@_cdecl("arcade_action_names")
public func arcade_action_names(_ handle: UInt64, _ text: UnsafeMutablePointer<CChar>?, _ capacity: Int64,
                                _ needed: UnsafeMutablePointer<Int64>?) -> Int32 {
  withSession(handle) { writeLines($0.actionNames, text, capacity, needed) }
}

@_cdecl("arcade_max_episode_steps")
public func arcade_max_episode_steps(_ handle: UInt64, _ steps: UnsafeMutablePointer<Int64>?) -> Int32 {
  guard let steps else { return Status.null.rawValue }
  return withSession(handle) {
    steps.pointee = Int64($0.maxEpisodeSteps)
    return Status.ok.rawValue
  }
}
