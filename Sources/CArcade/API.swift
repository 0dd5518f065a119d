import EnvironmentCore
import Games

// The C entry points of `include/arcade.h`. Each checks every argument before touching state and answers a
// status: no Swift error or trap may cross into the caller.

/// The registered ids, newline-separated.
@_cdecl("arcade_env_ids")
public func arcade_env_ids(_ text: UnsafeMutablePointer<CChar>?, _ capacity: Int64, _ needed: UnsafeMutablePointer<Int64>?) -> Int32 {
  writeLines(Catalog.ids.map(\.description), text, capacity, needed)
}

/// Creates a single environment of registered id `id` observed through `form` (see the header for `parameter`).
@_cdecl("arcade_create")
public func arcade_create(_ id: UnsafePointer<CChar>?, _ form: Int32, _ parameter: Int32,
                          _ handle: UnsafeMutablePointer<UInt64>?) -> Int32 {
  guard let handle else { return Status.null.rawValue }
  switch Factory.request(id, form, parameter) {
  case .failure(let error): return error.status.rawValue
  case .success(let request): handle.pointee = registry.insert(Factory.make(request))
  }
  return Status.ok.rawValue
}

/// Creates `count` copies stepped by `threads` workers.
@_cdecl("arcade_vec_create")
public func arcade_vec_create(_ id: UnsafePointer<CChar>?, _ form: Int32, _ parameter: Int32, _ count: Int32, _ threads: Int32,
                              _ handle: UnsafeMutablePointer<UInt64>?) -> Int32 {
  guard let handle else { return Status.null.rawValue }
  guard count >= 1 && count <= 1 << 16, threads >= 1 && threads <= 1024 else { return Status.count.rawValue }
  switch Factory.request(id, form, parameter, vector: (Int(count), Int(threads))) {
  case .failure(let error): return error.status.rawValue
  case .success(let request): handle.pointee = registry.insert(Factory.make(request))
  }
  return Status.ok.rawValue
}

/// Frees a handle of either kind.
@_cdecl("arcade_destroy")
public func arcade_destroy(_ handle: UInt64) -> Int32 {
  registry.remove(handle) ? Status.ok.rawValue : Status.handle.rawValue
}

/// Runs `body` on the single session behind `handle`.
@inline(__always)
private func withSingle(_ handle: UInt64, _ body: (SingleSession) -> Int32) -> Int32 {
  guard let session = registry.lookup(handle) else { return Status.handle.rawValue }
  guard let single = session as? SingleSession else { return Status.kind.rawValue }
  return body(single)
}

@_cdecl("arcade_reset")
public func arcade_reset(_ handle: UInt64, _ seed: UInt64, _ useSeed: Int32, _ observation: UnsafeMutableRawPointer?) -> Int32 {
  withSingle(handle) { $0.reset(seed: useSeed != 0 ? seed : nil, observation: observation) }
}

@_cdecl("arcade_step")
public func arcade_step(_ handle: UInt64, _ action: Int64, _ observation: UnsafeMutableRawPointer?,
                        _ out: UnsafeMutablePointer<Double>?) -> Int32 {
  withSingle(handle) { $0.step(action, observation: observation, out: out) }
}

@_cdecl("arcade_bind")
public func arcade_bind(_ handle: UInt64, _ observation: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<Double>?) -> Int32 {
  withSingle(handle) { $0.bind(observation: observation, out: out) }
}

@_cdecl("arcade_step_bound")
public func arcade_step_bound(_ handle: UInt64, _ action: Int64) -> Int32 {
  withSingle(handle) { $0.stepBound(action) }
}

@_cdecl("arcade_render")
public func arcade_render(_ handle: UInt64, _ rgb: UnsafeMutablePointer<UInt8>?) -> Int32 {
  guard let rgb else { return Status.null.rawValue }
  return withSingle(handle) { $0.render(into: rgb) }
}

@_cdecl("arcade_lives")
public func arcade_lives(_ handle: UInt64, _ lives: UnsafeMutablePointer<Int32>?) -> Int32 {
  guard let lives else { return Status.null.rawValue }
  return withSingle(handle) {
    lives.pointee = Int32(truncatingIfNeeded: $0.lives)
    return Status.ok.rawValue
  }
}
