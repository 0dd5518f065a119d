import EnvironmentCore
import EnvironmentTesting
import Testing
@testable import Games

/// Every registered id gets these checks by being registered (Gymnasium's `test_all_env_api`).
@Suite struct CatalogTests {
  /// Trajectory digests pinned per id: 3,000 random-policy steps from seed 7 (grid observations, rewards and
  /// ends hashed, `trajectoryDigest`). A change to the dynamics, the layout or the RNG use changes them: if that
  /// was intended, bump the variant's `version` and update its digest here.
  static let digests: [String: UInt64] = [
    "breakout/standard": 0x9EF8_3AB4_8AEB_E431, "breakout/offset-paddle": 0x1CA4_CAAA_695F_C05A,
    "breakout/middle-wall": 0xD0C5_539B_8B1B_0392, "breakout/random-target": 0xCDB9_BB17_3D41_7711,
    "breakout/juggling": 0x771F_3F2C_4F24_FFEB, "breakout/half-negative": 0xE09F_2D07_8905_2B3D,
    "breakout/moving-obstacles": 0x88C1_B173_BC03_AFB2, "breakout/small": 0x82F5_502E_A8C5_A8FD,
    "priors/original": 0xED15_C0C1_F380_101B, "priors/masked-semantics": 0x366F_46AE_B1B2_86CB,
    "priors/masked-object-identity": 0xA369_819B_B9CF_BFA7, "priors/masked-affordances": 0x2984_8B45_08DC_C077,
    "priors/masked-similarity": 0x8CF7_5B09_F40F_D36F, "priors/reversed-semantics": 0x366F_46AE_B1B2_86CB,
    "priors/all-masked": 0x4A2D_92AA_C6A2_1D8F, "priors/rotated": 0x3870_BBC8_2BCE_BCCD,
    "priors/ladder-swapped": 0x6349_9E52_38F1_8C66, "priors/low-gravity": 0xD210_6445_2A80_8C41,
    "priors/continual": 0xA004_C695_00E3_15A6,
  ]

  @Test(arguments: Catalog.ids)
  func passesTheConformanceSuite(id: EnvironmentID) throws {
    let failures = conformanceFailures(of: try Catalog.entry(named: id.description).makeGame(), steps: 1_500)
    #expect(failures.isEmpty, "\(id): \(failures.joined(separator: "\n"))")
  }

  @Test(arguments: Catalog.ids)
  func trajectoryMatchesItsGoldenDigest(id: EnvironmentID) throws {
    let digest = trajectoryDigest(try Catalog.entry(named: id.description).makeGame(), seed: 7, steps: 3_000)
    #expect(digest == Self.digests[id.description], "\(id): 0x\(String(digest, radix: 16, uppercase: true))")
  }

  @Test(arguments: Catalog.ids)
  func everyObservationFormIsConsistent(id: EnvironmentID) throws {
    var game = try Catalog.entry(named: id.description).makeGame()
    func check<G: Game>(_ game: inout G) -> [String] {
      game.reset(seed: 3)
      var rng = SplitMix64(seed: 4)
      var failures = observationFailures(&game, step: 0)
      for step in 1...300 {
        if game.advance(rng.nextInt(below: game.actionNames.count)).isTerminal { game.reset(seed: rng.next()) }
        if step % 50 == 0 { failures += observationFailures(&game, step: step) }
      }
      return failures
    }
    let failures = check(&game)
    #expect(failures.isEmpty, "\(id): \(failures.joined(separator: "\n"))")
  }

  @Test func idsAreRegisteredOnceEachWithAKnownFamily() {
    #expect(Set(Catalog.ids).count == Catalog.ids.count)
    #expect(Set(Catalog.ids.map(\.family)) == Set(Catalog.families))
    #expect(Catalog.ids == Catalog.ids.sorted())
    #expect(Set(Self.digests.keys) == Set(Catalog.ids.map(\.description)), "every registered id has a pinned digest")
  }

  @Test func unknownIdsAreRefusedWithTheRegisteredOnes() {
    do {
      _ = try Catalog.entry(named: "breakout/nope")
      Issue.record("an unknown id was accepted")
    } catch {
      #expect(error.description.contains("'breakout/nope'") && error.description.contains("breakout/standard"))
    }
  }

  @Test func makesAnEnvironmentCappedAtTheVariantsLimit() throws {
    var env = try Catalog.makeEnvironment(id: "priors/original", form: NoObservation())
    _ = env.reset(seed: 0)
    var steps = 0, outcome = Outcome.ongoing
    while outcome == .ongoing { outcome = env.step(5).outcome; steps += 1 }
    #expect(steps == 2_001 && outcome == .truncated, "NOOP on the original never ends the episode before the cap")
  }
}
