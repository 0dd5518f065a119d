/// Mean losses over all elements, each returning its value and its gradient with respect to the prediction.
public enum Loss {
  /// Mean squared error `mean((p − t)²)`; gradient `2(p − t)/n`.
  public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> (value: Float, gradient: Tensor) {
    elementwise(prediction, target) { d in (Double(d) * Double(d), 2 * d) }
  }

  /// Huber loss (PyTorch's `HuberLoss`; with `delta = 1` also `smooth_l1_loss`): per element `½d²` when
  /// `|d| ≤ delta`, else `delta·(|d| − ½delta)`, averaged; gradient `d/n` clipped to `±delta/n`.
  public static func huber(_ prediction: Tensor, _ target: Tensor, delta: Float = 1) -> (value: Float, gradient: Tensor) {
    precondition(delta > 0, "Huber delta must be positive")
    return elementwise(prediction, target) { d in
      let size = abs(d)
      if size <= delta { return (0.5 * Double(d) * Double(d), d) }
      return (Double(delta) * (Double(size) - 0.5 * Double(delta)), d > 0 ? delta : -delta)
    }
  }

  /// Averages `term(p − t).value` (summed in `Double`) and scales `term(p − t).slope` by `1/n`.
  private static func elementwise(_ prediction: Tensor, _ target: Tensor,
                                  _ term: (Float) -> (value: Double, slope: Float)) -> (value: Float, gradient: Tensor) {
    precondition(prediction.shape == target.shape, "loss: shapes \(prediction.shape) and \(target.shape) differ")
    let n = prediction.count
    precondition(n > 0, "loss of an empty tensor")
    var total = 0.0
    let scale = 1 / Float(n)
    let gradient = Tensor(shape: prediction.shape) { g in
      prediction.withUnsafePointer { p in
        target.withUnsafePointer { t in
          for index in 0..<n {
            let (value, slope) = term(p[index] - t[index])
            total += value
            g[index] = slope * scale
          }
        }
      }
    }
    return (Float(total / Double(n)), gradient)
  }
}
