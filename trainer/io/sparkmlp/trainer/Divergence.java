package io.sparkmlp.trainer;

import io.sparkmlp.model.ParallelRanges;
import java.util.concurrent.atomic.AtomicBoolean;

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
    AtomicBoolean nonFinite = new AtomicBoolean();
    // element-wise: both halves on their own thread give the bits of one pass
    ParallelRanges.run(g.length, (from, to) -> {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        g[i] *= inv;
        finite &= Float.isFinite(g[i]);
      }
      if (!finite) {
        nonFinite.set(true);
      }
    });
    if (nonFinite.get() || !Double.isFinite(sum.loss)) {
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
    AtomicBoolean nonFinite = new AtomicBoolean();
    ParallelRanges.run(params.length, (from, to) -> {
      boolean finite = true;
      for (int i = from; i < to; i++) {
        finite &= Float.isFinite(params[i]);
      }
      if (!finite) {
        nonFinite.set(true);
      }
    });
    if (nonFinite.get()) {
      throw new TrainingDivergedException(step, "training diverged at step " + step
          + ": the weights are NaN or infinite; the learning rate (" + learningRate + ") "
          + CAUSE + checkpointNote);
    }
  }
}
