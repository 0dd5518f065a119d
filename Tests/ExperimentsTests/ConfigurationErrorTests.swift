import Checksums
import EnvironmentCore
import Experiments
import Foundation
import Games
import Testing

let shippedVariants = [
  "breakout/half-negative", "breakout/juggling", "breakout/middle-wall", "breakout/moving-obstacles",
  "breakout/offset-paddle", "breakout/random-target", "breakout/small", "breakout/standard",
  "priors/all-masked", "priors/continual", "priors/ladder-swapped", "priors/low-gravity", "priors/masked-affordances",
  "priors/masked-object-identity", "priors/masked-semantics", "priors/masked-similarity", "priors/original",
  "priors/reversed-semantics", "priors/rotated",
]

/// The error message for the shipped standard.yaml with one line replaced (or removed), loaded from a
/// throwaway project as envs/breakout/standard.yaml.
func standardError(key: String, to replacement: String?,
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
  let text = try editing(shippedText("envs/breakout/standard.yaml"), key: key, to: replacement,
                         sourceLocation: sourceLocation)
  return try withTemporaryProject { project in
    try project.write("envs/breakout/standard.yaml", text)
    let registry = try project.registry()
    return configurationError(sourceLocation: sourceLocation) { try registry.load("breakout/standard") }
  }
}

let standardFile = "envs/breakout/standard.yaml"

// MARK: - Shipped files

@Test func everyShippedVariantLoadsAndTheIdsAreTheShippedOnes() throws {
  let registry = try EnvironmentRegistry(files: ProjectFiles(root: repositoryRoot))
  #expect(registry.ids.map(\.description) == shippedVariants)
  for id in registry.ids {
    let variant = try registry.load(id.description)
    #expect(variant.id == id)
    #expect(variant.version >= 1)
    #expect(!variant.summary.isEmpty, "\(id) has no summary")
    guard case .breakout(let level) = variant.parameters else { continue }
    #expect(level.problems().isEmpty, "\(id): \(level.problems())")
  }
}

@Test func variantFingerprintIsTheSHA256OfTheFileBytes() throws {
  let registry = try EnvironmentRegistry(files: ProjectFiles(root: repositoryRoot))
  for id in ["breakout/standard", "breakout/small"] {
    let bytes = try Data(contentsOf: repositoryRoot.appendingPathComponent("envs/\(id).yaml"))
    let variant = try registry.load(id)
    #expect(variant.sha256 == SHA256.hexDigest([UInt8](bytes)))
    #expect(variant.sha256.count == 64)
  }
}

@Test func aCommentOnlyEditChangesTheFingerprintButNotTheLevel() throws {
  let original = try shippedText("envs/breakout/standard.yaml")
  let (a, b) = try withTemporaryProject { project in
    try project.write(standardFile, original)
    let a = try project.registry().load("breakout/standard")
    try project.write(standardFile, original + "\n# a trailing comment\n")
    let b = try project.registry().load("breakout/standard")
    return (a, b)
  }
  #expect(a.sha256 != b.sha256)
  #expect(a.parameters == b.parameters)
  #expect(a.parameters == .breakout(BreakoutLevel()), "standard.yaml should be the reference defaults")
}

// MARK: - Variant file errors

@Test func unknownKeySuggestsTheNearestKey() throws {
  let message = try standardError(key: "paddleWidth", to: "paddleWidht: 23")
  #expect(message.contains(standardFile))
  #expect(message.contains("paddleWidht"))
  #expect(message.contains("did you mean 'paddleWidth'"))
}

@Test func unknownKeyFarFromEveryKeyListsTheValidKeys() throws {
  let message = try standardError(key: "paddleWidth", to: "paddleWidth: 23\nzzzzzzzzzzzz: 1")
  #expect(message.contains("zzzzzzzzzzzz"))
  #expect(!message.contains("did you mean"))
  #expect(message.contains("paddleWidth") && message.contains("brickRows"))
}

@Test func wrongTypeNamesTheKeyAndValue() throws {
  let message = try standardError(key: "lives", to: "lives: three")
  #expect(message.contains(standardFile))
  #expect(message.contains("lives"))
  #expect(message.contains("three"))
}

@Test(arguments: [
  ("wallThickness", "wallThickness: 1", "1"),
  ("paddleSpeedDistribution", "paddleSpeedDistribution: [0.5, 0.5]", "0.5"),
  ("lives", "lives: 0", "0"),
  ("bounceStochasticity", "bounceStochasticity: 1.5", "1.5"),
])
func impossibleValueNamesTheKeyAndValue(key: String, line: String, value: String) throws {
  let message = try standardError(key: key, to: line)
  #expect(message.contains(standardFile))
  #expect(message.contains("'\(key)'"))
  #expect(message.contains("value \(value)") || message.contains("value [\(value)"), "\(message)")
}

@Test(arguments: ["brickReward", "maxEpisodeSteps", "summary"])
func missingKeyIsNamed(key: String) throws {
  let message = try standardError(key: key, to: nil)
  #expect(message.contains(standardFile))
  #expect(message.contains("'\(key)'"))
  #expect(message.contains("missing"))
}

@Test func familyMustMatchTheFolder() throws {
  let message = try standardError(key: "family", to: "family: pong")
  #expect(message.contains(standardFile))
  #expect(message.contains("family"))
  #expect(message.contains("pong"))
  #expect(message.contains("breakout"))
}

@Test func invalidEnumValueNamesTheKeyAndValue() throws {
  let message = try standardError(key: "bricks", to: "bricks: diamonds")
  #expect(message.contains(standardFile))
  #expect(message.contains("bricks"))
  #expect(message.contains("diamonds"))
}

@Test func invalidYAMLSaysSoWithTheFileName() throws {
  let message = try standardError(key: "width", to: "width: [94")
  #expect(message.contains(standardFile))
  #expect(message.contains("not valid YAML"))
}

@Test func aDocumentThatIsNotAMappingIsRejected() throws {
  let message = try withTemporaryProject { project in
    try project.write(standardFile, "- just\n- a list\n")
    let registry = try project.registry()
    return configurationError { try registry.load("breakout/standard") }
  }
  #expect(message.contains(standardFile))
  #expect(message.contains("mapping"))
}

@Test func unknownIdListsValidIdsAndSuggestsTheNearest() throws {
  let registry = try EnvironmentRegistry(files: ProjectFiles(root: repositoryRoot))
  let message = configurationError { try registry.load("breakout/standrad") }
  #expect(message.contains("breakout/standrad"))
  #expect(message.contains("did you mean 'breakout/standard'"))
  for id in shippedVariants { #expect(message.contains(id), "missing \(id) in: \(message)") }
}

@Test func malformedIdIsAnUnknownId() throws {
  let registry = try EnvironmentRegistry(files: ProjectFiles(root: repositoryRoot))
  let message = configurationError { try registry.load("Breakout Standard") }
  #expect(message.contains("unknown environment id"))
  #expect(message.contains("breakout/standard"))
}

@Test func aFileWhoseNameIsNotAnIdIsReported() throws {
  let message = try withTemporaryProject { project in
    try project.copyVariants(["standard"])
    try project.write("envs/breakout/Big_One.yaml", try shippedText(standardFile))
    return configurationError { try project.registry() }
  }
  #expect(message.contains("envs/breakout/Big_One.yaml"))
}

@Test func aFamilyWithoutAGameIsReported() throws {
  let message = try withTemporaryProject { project in
    try project.write("envs/pong/classic.yaml", try shippedText(standardFile))
    let registry = try project.registry()
    #expect(registry.ids.map(\.description) == ["pong/classic"])
    return configurationError { try registry.load("pong/classic") }
  }
  #expect(message.contains("envs/pong/classic.yaml"))
  #expect(message.contains("pong"))
  #expect(message.contains("breakout"))
}
