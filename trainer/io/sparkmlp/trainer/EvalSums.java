package io.sparkmlp.trainer;

/**
 * Summed evaluation statistics of a forward pass over some rows: loss, count, and either correct
 * predictions (classification; per label for multi-label) or squared error (regression).
 *
 * <p>With row weights every statistic is a weighted sum: the loss is divided by the summed loss
 * weights (sample times class weight, as in training), accuracy and RMSE weigh each row by its
 * sample weight. Without weights the weight sums equal the counts, so the means are unchanged.
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
  /** Summed loss weights of the rows ({@link #count} without weights). */
  public double lossWeight;
  /** Summed sample weights of the correct decisions ({@link #correct} without weights). */
  public double correctWeight;
  /** Summed sample weights of the decisions ({@link #decisions} without weights). */
  public double decisionWeight;
  /** Summed sample weights of the regression target values ({@link #targets} without weights). */
  public double targetWeight;

  /** Counts one decision of sample weight {@code w}, correct or not. */
  void decide(boolean right, double w) {
    decisions++;
    decisionWeight += w;
    if (right) {
      correct++;
      correctWeight += w;
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
    lossWeight += o.lossWeight;
    correctWeight += o.correctWeight;
    decisionWeight += o.decisionWeight;
    targetWeight += o.targetWeight;
    return this;
  }

  /** Mean loss per row (per unit of loss weight). */
  public double meanLoss() {
    return lossWeight == 0 ? Double.NaN : loss / lossWeight;
  }

  /** Accuracy (classification), weighted by the sample weights. */
  public double accuracy() {
    return decisionWeight == 0 ? Double.NaN : correctWeight / decisionWeight;
  }

  /** Root mean squared error over all targets (regression), weighted by the sample weights. */
  public double rmse() {
    return targetWeight == 0 ? Double.NaN : Math.sqrt(squaredError / targetWeight);
  }
}
