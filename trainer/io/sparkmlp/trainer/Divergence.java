package io.sparkmlp.trainer;

/**
 * Detects a diverged run: a NaN or infinite loss or mean gradient after a step, or non-finite
 * weights after an update and before a checkpoint is written (so neither a checkpoint nor a model
 * holds them); a loss that explodes while finite is {@link LossGrowth}'s. Each is a
 * {@link TrainingDivergedException} naming the step, the likely cause and the last good checkpoint.
 */
final class Divergence {
  private Divergence() {}

  /** The likely cause, shared by every divergence message. */
  static final String CAUSE = "is probably too high, or the features are not scaled "
      + "(enable standardization)";

  /**
   * Divides the summed gradient of {@code sum} by its summed row weight (its row count when
   * unweighted) in place and returns it.
   *
   * @param learningRate   the current learning rate, for the message
   * @param checkpointNote where the last good checkpoint is ({@link Checkpoints#divergenceNote})
   * @throws TrainingDivergedException if the loss or the mean gradient is not finite
   */
  static float[] meanGradient(PartialSums sum, long step, int epoch, float learningRate,
      String checkpointNote) {
    return mean(sum, "gradient is", step, epoch, learningRate, checkpointNote);
  }

  /**
   * Like {@link #meanGradient}, for sums of other values ({@code what} names them with their
   * verb in the message, e.g. "averaged local weights are" for a local-SGD round).
   */
  static float[] mean(PartialSums sum, String what, long step, int epoch, float learningRate,
      String checkpointNote) {
    float[] g = sum.grad;
    float inv = (float) (1.0 / sum.weightSum);
    boolean finite = Double.isFinite(sum.loss);
    for (int i = 0; i < g.length; i++) {
      g[i] *= inv;
      finite &= Float.isFinite(g[i]);
    }
    if (!finite) {
      throw new TrainingDivergedException(step, String.format("training diverged at step "
          + "%d (epoch %d): the %s NaN or infinite; the learning rate (%g) " + CAUSE + "%s",
          step, epoch, Double.isFinite(sum.loss) ? what : "loss is", learningRate,
          checkpointNote));
    }
    return g;
  }

  /**
   * Checks that the weights are finite.
   *
   * @throws TrainingDivergedException if one is NaN or infinite
   */
  static void checkWeights(float[] params, long step, float learningRate, String checkpointNote) {
    for (float p : params) {
      if (!Float.isFinite(p)) {
        throw new TrainingDivergedException(step, "training diverged at step " + step
            + ": the weights are NaN or infinite; the learning rate (" + learningRate + ") "
            + CAUSE + checkpointNote);
      }
    }
  }
}
