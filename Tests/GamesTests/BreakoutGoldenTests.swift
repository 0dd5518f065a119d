import EnvironmentCore
import EnvironmentTesting
import Testing
@testable import Games

/// Golden-digest properties beyond the pinned digests of ``CatalogTests``.
@Suite struct BreakoutGoldenTests {
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
