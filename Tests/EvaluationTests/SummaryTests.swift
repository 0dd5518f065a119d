import Evaluation
import Foundation
import Testing

@Test func meanAndSampleStandardDeviation() {
  let s = Summary([2, 4, 4, 4, 5, 5, 7, 9])
  #expect(s.count == 8)
  #expect(s.mean == 5)
  // Sample (n − 1) deviation: sqrt(32 / 7), not the population sqrt(32 / 8) = 2.
  #expect(abs(s.standardDeviation - (32.0 / 7).squareRoot()) < 1e-12)
}

@Test func summaryOfTwoValues() {
  let s = Summary([1.0, 3.0])
  #expect(s.mean == 2)
  #expect(abs(s.standardDeviation - 2.0.squareRoot()) < 1e-12)
}

@Test func oneValueHasZeroDeviationAndNoneHasZeroMean() {
  let one = Summary([-3.5])
  #expect(one.count == 1)
  #expect(one.mean == -3.5)
  #expect(one.standardDeviation == 0)
  let none = Summary([Double]())
  #expect(none.count == 0)
  #expect(none.mean == 0)
  #expect(none.standardDeviation == 0)
}

@Test func constantValuesHaveZeroDeviation() {
  let s = Summary(Array(repeating: 0.1, count: 10))
  #expect(abs(s.mean - 0.1) < 1e-15)
  #expect(s.standardDeviation < 1e-15)
}

@Test func summaryAcceptsAnyCollection() {
  let s = Summary((1...4).lazy.map(Double.init))
  #expect(s.count == 4)
  #expect(s.mean == 2.5)
}

@Test func formattedIsMeanPlusMinusStandardDeviation() {
  #expect(Summary([1.0, 3.0]).formatted() == "2.00 ± 1.41")
  #expect(Summary([1.0, 3.0]).formatted(digits: 1) == "2.0 ± 1.4")
  #expect(Summary([1.0, 3.0]).formatted(digits: 0) == "2 ± 1")
  #expect(Summary([-1.0, -2.0, -3.0]).formatted() == "-2.00 ± 1.00")
}

@Test(arguments: [
  (2.345, 2, "2.35"),
  (-1.5, 1, "-1.5"),
  (10.0, 0, "10"),
  (0.0, 2, "0.00"),
  (3.05, 2, "3.05"),
  (0.001, 3, "0.001"),
  (1.999, 2, "2.00"),
  (-1.999, 2, "-2.00"),
  (9.96, 1, "10.0"),
  (123456.789, 1, "123456.8"),
  (-0.25, 3, "-0.250"),
  (7.0, 4, "7.0000"),
  (-12.0, 0, "-12"),
  (0.4, 0, "0"),
  (0.6, 0, "1"),
])
func fixedGivesExactlyTheRequestedDecimals(value: Double, digits: Int, expected: String) {
  #expect(Summary.fixed(value, digits) == expected)
}

@Test(arguments: [(-0.004, 2), (-0.0, 1), (-0.4, 0), (-0.00001, 3)])
func negativeValuesThatRoundToZeroHaveNoMinusSign(value: Double, digits: Int) {
  let text = Summary.fixed(value, digits)
  #expect(!text.hasPrefix("-"), "\(value) → \(text)")
  #expect(Double(text) == 0)
}

@Test func fixedAgreesWithPrintfAwayFromTies() {
  // Multiples of 1/7 never end in an exact decimal half, where printf's round-half-even could differ.
  for i in -3_000...3_000 {
    let value = Double(i) / 7
    for digits in 0...4 {
      var printf = String(format: "%.\(digits)f", value)
      if Double(printf) == 0 && printf.hasPrefix("-") { printf.removeFirst() }
      let text = Summary.fixed(value, digits)
      #expect(text == printf, "fixed(\(value), \(digits))")
      if text != printf { return }
    }
  }
}
