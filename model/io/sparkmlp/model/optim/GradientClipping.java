package io.sparkmlp.model.optim;

/**
 * Global L2-norm gradient clipping (Pascanu et al. 2013). The norm ||g||_2 is accumulated by
 * {@link Updater} in double in {@link ParallelRanges}' fixed block order, so it has the same bits on
 * any number of threads.
 */
final class GradientClipping {
  private GradientClipping() {}

  /**
   * The factor clipping multiplies g by: maxNorm / norm if {@code maxNorm > 0} and
   * {@code norm > maxNorm}; otherwise 1 (no clipping), also when the norm is not finite, which
   * clipping cannot repair.
   *
   * @param norm ||g||_2
   */
  static float scale(double norm, float maxNorm) {
    if (!(maxNorm > 0f && norm > maxNorm) || Double.isInfinite(norm)) {
      return 1f;
    }
    return (float) (maxNorm / norm);
  }

  /** g &lt;- g * scale on the elements {@code [from, to)}; nothing when {@code scale == 1}. */
  static void clip(float[] grad, float scale, int from, int to) {
    if (scale == 1f) {
      return;
    }
    for (int i = from; i < to; i++) {
      grad[i] *= scale;
    }
  }
}
