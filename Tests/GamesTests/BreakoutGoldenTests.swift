import EnvironmentCore
import EnvironmentTesting
import Testing
@testable import Games

/// Trajectory digests pinned per variant: 3,000 random-policy steps from seed 7 (grid observations,
/// rewards and ends hashed). A change to the dynamics, the layout or the RNG use changes them: if that
/// was intended, bump the variant files' `version` and update the digests here.
@Suite struct BreakoutGoldenTests {
  static let digests: [String: UInt64] = [
    "standard": 0x9EF8_3AB4_8AEB_E431, "offset-paddle": 0x1CA4_CAAA_695F_C05A,
    "middle-wall": 0xD0C5_539B_8B1B_0392, "random-target": 0xCDB9_BB17_3D41_7711,
    "juggling": 0x771F_3F2C_4F24_FFEB, "half-negative": 0xE09F_2D07_8905_2B3D,
    "moving-obstacles": 0x88C1_B173_BC03_AFB2, "small": 0x82F5_502E_A8C5_A8FD,
  ]

  @Test(arguments: digests.keys.sorted())
  func trajectoryMatchesGoldenDigest(variant: String) throws {
    let digest = trajectoryDigest(try game(variant), seed: 7, steps: 3_000)
    #expect(digest == Self.digests[variant], "\(variant): 0x\(String(digest, radix: 16, uppercase: true))")
  }

  @Test func digestDependsOnSeedAndVariant() throws {
    let standard = try game("standard")
    #expect(trajectoryDigest(standard, seed: 7, steps: 500) != trajectoryDigest(standard, seed: 8, steps: 500))
    #expect(trajectoryDigest(standard, seed: 7, steps: 500) != trajectoryDigest(try game("middle-wall"), seed: 7, steps: 500))
  }

  @Test func vectorisedBreakoutIsIdenticalOnOneOrTwoThreads() throws {
    func run(threads: Int) throws -> ([UInt8], [Double], [Int]) {
      let v = VectorEnvironment(game: try game("juggling"), count: 5, form: Grid(pool: 2), seed: 11,
                                maxEpisodeSteps: 400, threads: threads)
      let total = v.runRandomPolicy(stepsPerEnvironment: 900)
      v.step([0, 1, 2, 1, 0])
      return (Array(v.observationBuffer), v.lastEpisodeReturns + v.rewards + [total], v.finishedEpisodes)
    }
    let one = try run(threads: 1), two = try run(threads: 2)
    #expect(one.0 == two.0 && one.1 == two.1 && one.2 == two.2)
    #expect(one.2.allSatisfy { $0 >= 2 }, "episodes ended and restarted: \(one.2)")
  }
}
