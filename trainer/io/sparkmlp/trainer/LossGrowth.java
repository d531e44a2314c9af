package io.sparkmlp.trainer;

/**
 * Detects a run whose loss explodes without becoming NaN or infinite (for example plain SGD at
 * a far too high learning rate reaching a loss of 1e9): a step's mean training loss above
 * {@value #FACTOR} times the first step's of this run (or times 1, if that was below 1) is a
 * {@link TrainingDivergedException}. A converging run never comes near: its loss falls from the
 * first step's, and batch noise is far below three orders of magnitude.
 */
final class LossGrowth {
  /** How many times the reference loss a step's loss may reach. */
  static final double FACTOR = 1e3;

  private double reference = Double.NaN;

  /**
   * Checks the mean loss of a step.
   *
   * @param meanLoss       the step's mean training loss (finite)
   * @param learningRate   the current learning rate, for the message
   * @param checkpointNote where the last good checkpoint is
   * @throws TrainingDivergedException if the loss grew by more than {@link #FACTOR}
   */
  void check(double meanLoss, long step, int epoch, float learningRate, String checkpointNote) {
    if (Double.isNaN(reference)) {
      reference = Math.max(meanLoss, 1.0);
      return;
    }
    if (meanLoss > FACTOR * reference) {
      throw new TrainingDivergedException(step, String.format(java.util.Locale.ROOT,
          "training diverged at step %d (epoch %d): the loss grew to %.3g, more than %.0f times "
              + "its start (%.3g); the learning rate (%g) " + Divergence.CAUSE + "%s",
          step, epoch, meanLoss, FACTOR, reference, learningRate, checkpointNote));
    }
  }
}
