import Agents
import Foundation
import EnvironmentCore
import NeuralNetworks
import Testing

/// Strided frame stacks, n-step targets, input planes and convolutional Q-networks.
@Suite struct DQNStackingTests {
  @Test func stridedStacksSkipFramesAndStopAtTheEpisodeStart() {
    var buffer = ReplayBuffer(capacity: 32, frameBytes: 1, stack: 3, stackStride: 2)
    [UInt8(10)].withUnsafeBytes { buffer.beginEpisode($0) }
    for v in UInt8(11)...16 { [v].withUnsafeBytes { buffer.append($0, action: 0, reward: 0, terminated: false) } }
    var state = [UInt8](repeating: 0, count: 3)
    state.withUnsafeMutableBytes { buffer.writeState(endingAt: 6, into: $0) }
    #expect(state == [12, 14, 16])
    state.withUnsafeMutableBytes { buffer.writeState(endingAt: 1, into: $0) }
    #expect(state == [10, 10, 11], "the start repeats instead of reaching into the previous episode")
    #expect(buffer.span == 5)
  }

  @Test func nStepTargetsSumRewardsAndStopAtEpisodeEnds() {
    var c = smallConfiguration()
    c.doubleDQN = false
    c.nStep = 3
    let dqn = DQN(configuration: c, decoder: OneHot(length: 6), actionCount: 2, seed: 1)
    func frame(_ v: UInt8) -> [UInt8] { [UInt8](repeating: v, count: 8) }
    frame(0).withUnsafeBytes { _ = dqn.beginEpisode(frame: $0) }
    for (v, r, outcome) in [(1, 0.5, Outcome.ongoing), (2, 0.25, .ongoing), (3, 1, .ongoing), (4, 2, .terminated)] {
      frame(UInt8(v)).withUnsafeBytes { _ = dqn.observe(action: 1, reward: r, outcome: outcome, frame: $0) }
    }
    // A second episode cut by the time limit after one step: the next frame starts a third episode.
    frame(5).withUnsafeBytes { _ = dqn.beginEpisode(frame: $0) }
    frame(1).withUnsafeBytes { _ = dqn.observe(action: 0, reward: 1, outcome: .truncated, frame: $0) }
    frame(2).withUnsafeBytes { _ = dqn.beginEpisode(frame: $0) }
    func maxQ(_ position: Int) -> Float { let q = dqn.targetNetwork.forward(Tensor1.oneHot(position, of: 6)); return max(q[0], q[1]) }
    let targets = dqn.tdTargets(for: [1, 3, 4, 6])
    #expect(abs(targets[0] - (0.5 + 0.9 * 0.25 + 0.81 * 1 + 0.729 * maxQ(3))) < 1e-5, "three rewards, then γ³·max Q(s₃)")
    #expect(abs(targets[1] - (1 + 0.9 * 2)) < 1e-6, "a terminated step ends the sum without bootstrapping")
    #expect(targets[2] == 2)
    #expect(abs(targets[3] - (1 + 0.9 * maxQ(1))) < 1e-5, "a truncated episode bootstraps from its last state")
  }

  @Test func decoderFeedsTheNamedPlanes() throws {
    let layout = GridLayout(channels: [.ball, .paddle, .wall], pixelWidth: 10, pixelHeight: 3)
    #expect(try GridBitsDecoder(layout: layout, kinds: []).planes == [0, 1, 2], "every plane but void")
    let decoder = try GridBitsDecoder(layout: layout, kinds: ["wall", "ball"])
    #expect(decoder.planes == [2, 0] && decoder.frameShape == [2, 3, 10])
    #expect(throws: AgentMismatch.self) { try GridBitsDecoder(layout: layout, kinds: ["brick"]) }
    var words = [UInt64](repeating: 0, count: layout.wordCount)
    words[0] = 1 << 12                             // ball at (2, 1)
    words[2 * layout.wordsPerPlane] = 1 << 29      // wall at (9, 2)
    var inputs = [Float](repeating: 9, count: decoder.inputCount)
    words.withUnsafeBytes { bytes in inputs.withUnsafeMutableBufferPointer { decoder.decode(bytes, into: $0.baseAddress!) } }
    #expect(inputs.indices.filter { inputs[$0] != 0 } == [29, 30 + 12] && inputs[29] == 1 && inputs[42] == 1)
  }

  @Test func convolutionalNetworkFollowsTheConfiguration() {
    var c = DQNConfiguration()
    c.frameStack = 2
    c.convolutions = [Convolution(filters: 8, kernel: 4, stride: 2), Convolution(filters: 16, kernel: 3, stride: 1)]
    c.hiddenUnits = [32]
    let network = DQN.makeNetwork(configuration: c, frameShape: [4, 30, 24], outputs: 3, seed: 1)
    let q = network.forward(Tensor(shape: [5, 8, 30, 24]))
    #expect(q.shape == [5, 3])
    // 8×(2·4·16) + 8, 16×(8·9) + 16, (16·12·9)→32, 32→3
    #expect(network.parameterCount == 8 * 128 + 8 + 16 * 72 + 16 + 1728 * 32 + 32 + 32 * 3 + 3)
    c.convolutions = [Convolution(filters: 8, kernel: 40, stride: 1)]
    #expect(DQN.convolutionProblem(configuration: c, frameShape: [4, 30, 24]) != nil)
  }

  /// A 4×4/4 convolution on breakout/small's 27×34 cells skips the last 3 columns and 2 rows (the ball
  /// vanishes near the right wall); one cell of padding brings them back.
  @Test func paddingIsTheFourthEntryAndUnseenCellsAreNamed() {
    var c = DQNConfiguration()
    c.hiddenUnits = [8]
    c.convolutions = [Convolution(filters: 4, kernel: 4, stride: 4)]
    #expect(DQN.unseenCells(configuration: c, frameShape: [4, 34, 27])?.contains("the last 3 columns and the last 2 rows") == true)
    #expect(DQN.unseenCells(configuration: c, frameShape: [4, 32, 24]) == nil)
    c.convolutions = [Convolution(filters: 4, kernel: 4, stride: 4, padding: 1)]
    #expect(c.problems().isEmpty)
    #expect(DQN.unseenCells(configuration: c, frameShape: [4, 34, 27]) == nil)
    let network = DQN.makeNetwork(configuration: c, frameShape: [4, 34, 27], outputs: 3, seed: 1)
    // 9 × 7 windows of 4 filters feed the hidden layer.
    #expect(network.parameterCount == 4 * (8 * 16) + 4 + (4 * 9 * 7) * 8 + 8 + 8 * 3 + 3)
    // Only the padded network responds to a ball in the last column.
    var ball = Tensor(shape: [1, 8, 34, 27])
    ball[26] = 1
    let empty = Tensor(shape: [1, 8, 34, 27])
    #expect(network.forward(ball).scalars != network.forward(empty).scalars)
    var unpadded = c
    unpadded.convolutions = [Convolution(filters: 4, kernel: 4, stride: 4)]
    let blind = DQN.makeNetwork(configuration: unpadded, frameShape: [4, 34, 27], outputs: 3, seed: 1)
    #expect(blind.forward(ball).scalars == blind.forward(empty).scalars)
    for bad in [Convolution(filters: 4, kernel: 4, stride: 4, padding: -1), Convolution(filters: 4, kernel: 0, stride: 4, padding: 1)] {
      c.convolutions = [bad]
      #expect(c.problems().map(\.key) == ["convolutions"], "\(bad)")
    }
  }

  /// Presets write a convolution as `[filters, kernel, stride]` or `[filters, kernel, stride, padding]`; run
  /// folders store it the same way, padding left out when 0.
  @Test func convolutionsReadAndWriteTheirListForm() throws {
    let decoded = try JSONDecoder().decode([Convolution].self, from: Data("[[32, 4, 2, 1], [16, 3, 1]]".utf8))
    #expect(decoded == [Convolution(filters: 32, kernel: 4, stride: 2, padding: 1), Convolution(filters: 16, kernel: 3, stride: 1)])
    #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == "[[32,4,2,1],[16,3,1]]")
    for bad in ["[[4, 4]]", "[[4, 4, 4, 1, 1]]"] {
      #expect(throws: DecodingError.self) { try JSONDecoder().decode([Convolution].self, from: Data(bad.utf8)) }
    }
  }
}
