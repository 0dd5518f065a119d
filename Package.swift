// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "SchemaArcade",
  products: [
    .executable(name: "arcade", targets: ["arcade"]),
    .library(name: "EnvironmentCore", targets: ["EnvironmentCore"]),
    .library(name: "Games", targets: ["Games"]),
    /// The C interface (`Sources/CArcade/include/arcade.h`) as a shared library, for Python and other languages.
    .library(name: "CArcade", type: .dynamic, targets: ["CArcade"]),
  ],
  traits: [
    .trait(name: "SDL", description: "Build the SDL2 viewer (needs libsdl2-dev)."),
    .trait(name: "AVX2", description: "Compile all of the neural networks for AVX2 CPUs (Haswell, 2013, and later) in release builds (the matrix kernels and Adam already run AVX-512 or AVX2 copies wherever CPUID reports them; this adds the rest, such as the sparse convolution's loops); the binary then stops with SIGILL on older CPUs."),
    .default(enabledTraits: []),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // MARK: - Core
    /// CRC-32, Adler-32 and SHA-256 in plain Swift: one of each for the package (weights files, PNG, reports).
    .target(name: "Checksums"),
    /// The contract: Environment, Step, Outcome, observations, Frame, SplitMix64, TimeLimit and StepLimit,
    /// VectorEnvironment, the optional abilities (Renderable, ExplorationReporting). No dependencies.
    .target(name: "EnvironmentCore"),
    /// The games (Breakout family, the masked-prior platformer) and their catalogue of registered ids.
    .target(name: "Games", dependencies: ["EnvironmentCore"]),
    /// Frames to files: PNG and animated GIF encoders (with their Deflate and LZW), for recordings and figures.
    .target(name: "Recording", dependencies: ["EnvironmentCore", "Checksums"]),
    /// A flat C interface over the catalogue (handles, status codes, caller-owned buffers): the Python binding's base.
    .target(name: "CArcade", dependencies: ["EnvironmentCore", "Games", "CArcadeSupport"], exclude: ["include"]),
    /// C11-style atomics and a pause hint for CArcade's spinning worker pool (header-only).
    .target(name: "CArcadeSupport"),
    /// SDL2 as a system library; only the Viewer uses it, and only when the SDL trait is on.
    .systemLibrary(name: "CSDL2", pkgConfig: "sdl2", providers: [.apt(["libsdl2-dev"])]),

    // MARK: - Learning
    /// Tensors, layers, losses and optimisers on our own SIMD matrix multiply; knows nothing of RL.
    .target(name: "NeuralNetworks", dependencies: [
      "NeuralNetworksHaswell", "NeuralNetworksAVX512", "NeuralNetworksLoops", "CPUFeatures", "Checksums",
    ], swiftSettings: [
      .unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release, traits: ["AVX2"])),
    ]),
    /// The matrix kernel and loops for AVX2 + FMA CPUs, which `NeuralNetworks` calls only after checking the CPU.
    .target(name: "NeuralNetworksHaswell", dependencies: ["NeuralNetworksLoops"], swiftSettings: kernelSettings(cpu: "haswell")),
    /// The matrix kernel and loops for AVX-512 CPUs, likewise called only after checking the CPU and the operating system.
    .target(name: "NeuralNetworksAVX512", dependencies: ["NeuralNetworksLoops"], swiftSettings: kernelSettings(cpu: "skylake-avx512")),
    /// Loop bodies (Adam, the scattered convolution) as `@inlinable` code, which each module above compiles for
    /// its own CPU.
    .target(name: "NeuralNetworksLoops"),
    /// XGETBV (which register state the operating system saves), for those checks; a few lines of C.
    .target(name: "CPUFeatures"),
    /// Agents: they see observations and action names through the EnvironmentCore API, never a game.
    .target(name: "Agents", dependencies: ["EnvironmentCore", "NeuralNetworks"]),
    /// Episode runner, sweeps over seeds and variants, reports.
    .target(name: "Evaluation", dependencies: ["EnvironmentCore", "Agents"]),
    /// YAML files (envs/, agents/, configs/) → validated values; runs experiments.
    .target(name: "Experiments", dependencies: [
      "EnvironmentCore", "Games", "Recording", "Checksums", "Agents", "Evaluation", "NeuralNetworks",
      .product(name: "Yams", package: "Yams"),
    ]),

    // MARK: - Tools
    /// The window for human play and agent playback: draws Frames; real code only with the SDL trait.
    .target(name: "Viewer", dependencies: [
      "EnvironmentCore", .target(name: "CSDL2", condition: .when(traits: ["SDL"])),
    ]),
    .executableTarget(name: "arcade", dependencies: [
      "EnvironmentCore", "Games", "Recording", "Agents", "Evaluation", "Experiments", "Viewer", "NeuralNetworks",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
    /// Test support: the conformance suite every registered environment passes, a toy game, PNG and GIF decoders.
    .target(name: "EnvironmentTesting", dependencies: ["EnvironmentCore"]),

    // MARK: - Tests (each reaches only the module it tests and the modules below it)
    .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"]),
    .testTarget(name: "EnvironmentCoreTests", dependencies: ["EnvironmentCore", "EnvironmentTesting"]),
    .testTarget(name: "GamesTests", dependencies: ["Games", "EnvironmentCore", "EnvironmentTesting"]),
    .testTarget(name: "CArcadeTests", dependencies: ["CArcade"]),
    .testTarget(name: "RecordingTests", dependencies: ["Recording", "EnvironmentCore", "EnvironmentTesting"]),
    .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "NeuralNetworksLoops", "NeuralNetworksHaswell", "NeuralNetworksAVX512"]),
    .testTarget(name: "AgentsTests", dependencies: ["Agents", "EnvironmentCore", "EnvironmentTesting", "NeuralNetworks"]),
    .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Agents", "EnvironmentCore", "EnvironmentTesting"]),
    .testTarget(name: "ExperimentsTests", dependencies: [
      "Experiments", "Games", "Recording", "Checksums", "Agents", "Evaluation", "NeuralNetworks", "EnvironmentCore",
      "EnvironmentTesting",
    ]),
    .testTarget(name: "ViewerTests", dependencies: ["Viewer", "EnvironmentCore", "EnvironmentTesting"]),
    .testTarget(name: "arcadeTests", dependencies: ["arcade", "EnvironmentCore", "EnvironmentTesting"]),
  ]
)

for target in package.targets where target.type != .system {
  target.swiftSettings = (target.swiftSettings ?? []) + [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
  ]
}

/// `-target-cpu CPU` for a dispatched kernel module in release builds, on x86-64 hosts only (other CPUs have no
/// such target; there the kernel compiles for the default CPU and is never called).
func kernelSettings(cpu: String) -> [SwiftSetting] {
  #if arch(x86_64)
  [.unsafeFlags(["-target-cpu", cpu], .when(configuration: .release))]
  #else
  []
  #endif
}
