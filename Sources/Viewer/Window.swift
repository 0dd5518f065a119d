import EnvironmentCore

/// Why the viewer cannot open a window.
public struct ViewerError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// How to get the viewer when this build lacks it: one line for the command line.
public let viewerUnavailableMessage =
  "this arcade was built without the viewer: install SDL2 (apt-get install libsdl2-dev) and rebuild with `swift build --traits SDL`"

#if SDL
import CSDL2

/// Whether this build has the SDL window.
public let viewerIsAvailable = true

/// An SDL2 window showing composed frames (nearest-neighbour pixels), with keyboard input.
///
/// The window takes the size of the first picture shown. `SDL_VIDEODRIVER=dummy` gives a window-less
/// software renderer, which is how CI reads back pixels (``screenshot(width:height:)``).
public final class Window: Display {
  private var window: OpaquePointer?
  private var renderer: OpaquePointer?
  private var texture: OpaquePointer?
  private var size = (width: 0, height: 0)
  private let title: String

  public init(title: String) throws {
    self.title = title
    guard SDL_Init(SDL_INIT_VIDEO) == 0 else { throw ViewerError("cannot start SDL video: \(String(cString: SDL_GetError()))") }
  }

  deinit {
    if let texture { SDL_DestroyTexture(texture) }
    if let renderer { SDL_DestroyRenderer(renderer) }
    if let window { SDL_DestroyWindow(window) }
    SDL_Quit()
  }

  private func open(width: Int, height: Int) throws {
    window = SDL_CreateWindow(title, Int32(SDL_WINDOWPOS_UNDEFINED_MASK), Int32(SDL_WINDOWPOS_UNDEFINED_MASK),
                              Int32(width), Int32(height), SDL_WINDOW_SHOWN.rawValue)
    guard let window else { throw ViewerError("cannot open a window: \(String(cString: SDL_GetError()))") }
    renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_ACCELERATED.rawValue)
      ?? SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE.rawValue)
    guard let renderer else { throw ViewerError("cannot create a renderer: \(String(cString: SDL_GetError()))") }
    texture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGB24.rawValue, Int32(SDL_TEXTUREACCESS_STREAMING.rawValue),
                                Int32(width), Int32(height))
    size = (width, height)
  }

  public func show(_ picture: Frame) throws {
    if window == nil { try open(width: picture.width, height: picture.height) }
    precondition(picture.width == size.width && picture.height == size.height, "pictures must keep the window's size")
    picture.pixels.withUnsafeBytes { bytes in
      _ = SDL_UpdateTexture(texture, nil, bytes.baseAddress, Int32(picture.width * 3))
    }
    SDL_RenderClear(renderer)
    SDL_RenderCopy(renderer, texture, nil, nil)
    SDL_RenderPresent(renderer)
  }

  public func poll() -> (pressed: [Key], held: Set<Key>)? {
    var event = SDL_Event()
    var pressed: [Key] = []
    while SDL_PollEvent(&event) != 0 {
      if event.type == SDL_QUIT.rawValue { return nil }
      if event.type == SDL_KEYDOWN.rawValue && event.key.repeat == 0, let key = Self.key(event.key.keysym.scancode) {
        pressed.append(key)
      }
    }
    var count: Int32 = 0
    let state = SDL_GetKeyboardState(&count)!
    var held: Set<Key> = []
    for (scancode, key) in Self.keys where Int(scancode.rawValue) < Int(count) && state[Int(scancode.rawValue)] != 0 {
      held.insert(key)
    }
    return (pressed, held)
  }

  public func wait(seconds: Double) {
    if seconds > 0 { SDL_Delay(UInt32(seconds * 1000)) }
  }

  /// The top-left `width × height` pixels of what the window shows, read back from the renderer.
  public func screenshot(width: Int, height: Int) throws -> Frame {
    guard let renderer else { throw ViewerError("nothing shown yet") }
    var rect = SDL_Rect(x: 0, y: 0, w: Int32(width), h: Int32(height))
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    let status = pixels.withUnsafeMutableBytes {
      SDL_RenderReadPixels(renderer, &rect, SDL_PIXELFORMAT_RGB24.rawValue, $0.baseAddress, Int32(width * 3))
    }
    guard status == 0 else { throw ViewerError("cannot read the window's pixels: \(String(cString: SDL_GetError()))") }
    return Frame(width: width, height: height, pixels: pixels)
  }

  /// The SDL video driver in use (for messages).
  public var driver: String { SDL_GetCurrentVideoDriver().map { String(cString: $0) } ?? "none" }

  private static let keys: [(SDL_Scancode, Key)] = [
    (SDL_SCANCODE_LEFT, .left), (SDL_SCANCODE_RIGHT, .right), (SDL_SCANCODE_UP, .up), (SDL_SCANCODE_DOWN, .down),
    (SDL_SCANCODE_A, .a), (SDL_SCANCODE_D, .d), (SDL_SCANCODE_W, .w), (SDL_SCANCODE_S, .s),
    (SDL_SCANCODE_SPACE, .space), (SDL_SCANCODE_P, .p), (SDL_SCANCODE_R, .r), (SDL_SCANCODE_N, .n),
    (SDL_SCANCODE_ESCAPE, .escape), (SDL_SCANCODE_EQUALS, .plus), (SDL_SCANCODE_KP_PLUS, .plus),
    (SDL_SCANCODE_MINUS, .minus), (SDL_SCANCODE_KP_MINUS, .minus),
  ]

  private static func key(_ scancode: SDL_Scancode) -> Key? {
    keys.first { $0.0 == scancode }?.1
  }
}

#else

/// Whether this build has the SDL window.
public let viewerIsAvailable = false

/// The window of the SDL build; this build has none, so opening one fails with ``viewerUnavailableMessage``.
public final class Window: Display {
  public init(title: String) throws { throw ViewerError(viewerUnavailableMessage) }
  public func show(_ picture: Frame) {}
  public func poll() -> (pressed: [Key], held: Set<Key>)? { nil }
  public func wait(seconds: Double) {}
  public func screenshot(width: Int, height: Int) throws -> Frame { throw ViewerError(viewerUnavailableMessage) }
  public var driver: String { "none" }
}

#endif
