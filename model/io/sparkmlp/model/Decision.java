package io.sparkmlp.model;

/**
 * The one rule that turns network outputs into decisions, used alike by validation during
 * training, evaluation and prediction, so that their accuracies agree.
 *
 * <ul>
 *   <li>binary and multi-label: positive when the probability is strictly above
 *       {@link #THRESHOLD}; a probability of exactly 0.5 is negative (as is a logit of exactly 0,
 *       like the synthetic data generator's teacher);</li>
 *   <li>multi-class: the class of the largest probability, the first on ties.</li>
 * </ul>
 */
public final class Decision {
  private Decision() {}

  /** Probability a positive decision must exceed. */
  public static final double THRESHOLD = 0.5;

  /** Whether probability {@code p} is a positive decision: {@code p > 0.5}. */
  public static boolean positive(double p) {
    return positive(p, THRESHOLD);
  }

  /** Whether probability {@code p} is a positive decision at {@code threshold}. */
  public static boolean positive(double p, double threshold) {
    return p > threshold;
  }

  /** The predicted class of the {@code k} probabilities at {@code off} (the first on ties). */
  public static int predictedClass(float[] probabilities, int off, int k) {
    return Losses.argmax(probabilities, off, k);
  }
}
