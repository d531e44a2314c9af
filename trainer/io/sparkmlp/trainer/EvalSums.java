package io.sparkmlp.trainer;

/**
 * Summed evaluation statistics of a forward pass over some rows: loss, count, and either correct
 * predictions (classification; per label for multi-label) or squared error (regression).
 */
public final class EvalSums implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Summed loss. */
  public double loss;
  /** Rows. */
  public long count;
  /** Correct predictions (classification: rows; multi-label: label decisions). */
  public long correct;
  /** Decisions counted for accuracy (rows, or rows x labels for multi-label). */
  public long decisions;
  /** Summed squared error over all regression targets. */
  public double squaredError;
  /** Number of regression target values. */
  public long targets;

  /** Counts one decision, correct or not. */
  void decide(boolean right) {
    decisions++;
    if (right) {
      correct++;
    }
  }

  /** this += other. */
  public EvalSums add(EvalSums o) {
    loss += o.loss;
    count += o.count;
    correct += o.correct;
    decisions += o.decisions;
    squaredError += o.squaredError;
    targets += o.targets;
    return this;
  }

  /** Mean loss per row. */
  public double meanLoss() {
    return count == 0 ? Double.NaN : loss / count;
  }

  /** Accuracy (classification). */
  public double accuracy() {
    return decisions == 0 ? Double.NaN : (double) correct / decisions;
  }

  /** Root mean squared error over all targets (regression). */
  public double rmse() {
    return targets == 0 ? Double.NaN : Math.sqrt(squaredError / targets);
  }
}
