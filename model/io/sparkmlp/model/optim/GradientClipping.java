package io.sparkmlp.model.optim;

/** Global L2-norm gradient clipping (Pascanu et al. 2013), with the norm accumulated in double. */
final class GradientClipping {
  private GradientClipping() {}

  /** ||g||_2 = sqrt(sum g_i^2), summed in double in index order (deterministic). */
  static double norm(float[] grad) {
    double s = 0;
    int n = grad.length;
    for (int i = 0; i < n; i++) {
      double g = grad[i];
      s += g * g;
    }
    return Math.sqrt(s);
  }

  /**
   * g &lt;- g * maxNorm / norm if {@code maxNorm > 0} and {@code norm > maxNorm}; otherwise (and
   * also when the norm is not finite, which clipping cannot repair) g is left alone.
   *
   * @param norm ||g||_2 as returned by {@link #norm}
   * @return true if g was rescaled
   */
  static boolean clip(float[] grad, double norm, float maxNorm) {
    if (!(maxNorm > 0f && norm > maxNorm) || Double.isInfinite(norm)) {
      return false;
    }
    float scale = (float) (maxNorm / norm);
    int n = grad.length;
    for (int i = 0; i < n; i++) {
      grad[i] *= scale;
    }
    return true;
  }
}
