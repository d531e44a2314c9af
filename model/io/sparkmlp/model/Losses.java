package io.sparkmlp.model;

/**
 * Output activations fused with their losses, over a batch of logits.
 *
 * <p>All functions return the loss <em>summed</em> over the rows (as a double); averaging happens
 * once, by the caller that knows the global count (or the global weight sum). The delta written is
 * dL/dz for the summed loss.
 *
 * <p>Per-row weights: with {@code w} given, row r contributes w_r * L_r to the sum and its delta
 * is w_r * dL_r/dz (a weight of 2 is the row counted twice); {@code w == null} means every weight
 * is 1 and takes the unweighted loop, so unweighted training keeps its exact bits.
 */
public final class Losses {
  private Losses() {}

  /**
   * Computes the output activation, the summed loss and (if {@code delta != null}) dL/dz.
   *
   * @param z     [B][K] logits
   * @param out   [B][K] output activations (identity, sigmoid probabilities, or softmax)
   * @param y     labels starting at yOff: [B][K] for squared error and sigmoid cross-entropy,
   *              [B] class indices for softmax cross-entropy
   * @param delta [B][K] dL/dz (overwritten), or null for a forward-only evaluation
   * @return the loss summed over the batch
   */
  public static double apply(Task.Loss loss, float[] z, float[] out, float[] y, int yOff,
      float[] delta, int batch, int k) {
    return apply(loss, z, out, y, yOff, null, 0, delta, batch, k);
  }

  /**
   * As {@link #apply(Task.Loss, float[], float[], float[], int, float[], int, int)}, each row's
   * loss and delta scaled by its weight: L = sum_r w_r L_r, dL/dz_r = w_r dL_r/dz_r.
   *
   * @param w    [B] non-negative row weights starting at wOff, or null for all ones
   * @param wOff offset of the first row's weight in {@code w}
   */
  public static double apply(Task.Loss loss, float[] z, float[] out, float[] y, int yOff,
      float[] w, int wOff, float[] delta, int batch, int k) {
    double sum = switch (loss) {
      case SQUARED_ERROR -> w == null ? squaredError(z, out, y, yOff, delta, batch * k)
          : weightedRows(loss, z, out, y, yOff, w, wOff, delta, batch, k);
      case SIGMOID_CROSS_ENTROPY -> w == null
          ? sigmoidCrossEntropy(z, out, y, yOff, delta, batch * k)
          : weightedRows(loss, z, out, y, yOff, w, wOff, delta, batch, k);
      case SOFTMAX_CROSS_ENTROPY -> softmaxCrossEntropy(z, out, y, yOff, w, wOff, delta, batch,
          k);
    };
    return sum;
  }

  /**
   * Element-wise losses (squared error, sigmoid cross-entropy) with row weights: every value's
   * loss is scaled by its row's weight before it is added, in the same order as the unweighted
   * loops (so weights of 1 give their exact bits), and its delta is scaled likewise.
   */
  private static double weightedRows(Task.Loss loss, float[] z, float[] out, float[] y, int yOff,
      float[] w, int wOff, float[] delta, int batch, int k) {
    boolean squared = loss == Task.Loss.SQUARED_ERROR;
    double sum = 0;
    for (int r = 0; r < batch; r++) {
      float wr = w[wOff + r];
      for (int i = r * k; i < (r + 1) * k; i++) {
        float zi = z[i];
        float ti = y[yOff + i];
        if (squared) {
          // L = w (z - y)^2, dL/dz = w 2 (z - y)
          float d = zi - ti;
          out[i] = zi;
          sum += wr * ((double) d * d);
          if (delta != null) {
            delta[i] = wr * (2f * d);
          }
        } else {
          // L = w (max(z, 0) - z y + log(1 + e^-|z|)), dL/dz = w (sigmoid(z) - y)
          double v = zi;
          sum += wr * (Math.max(v, 0.0) - v * ti + Math.log1p(Math.exp(-Math.abs(v))));
          float p = ActivationKernels.sigmoid(zi);
          out[i] = p;
          if (delta != null) {
            delta[i] = wr * (p - ti);
          }
        }
      }
    }
    return sum;
  }

  /** Index of the largest of {@code k} values at {@code off} (the first on ties): a predicted class. */
  public static int argmax(float[] v, int off, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (v[off + j] > v[off + best]) {
        best = j;
      }
    }
    return best;
  }

  /** Output activation only (no labels): identity, sigmoid or softmax of the [B][K] logits. */
  public static void activate(Task.OutputActivation act, float[] z, float[] out, int batch, int k) {
    int n = batch * k;
    switch (act) {
      case IDENTITY -> System.arraycopy(z, 0, out, 0, n);
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          out[i] = ActivationKernels.sigmoid(z[i]);
        }
      }
      case SOFTMAX -> {
        for (int r = 0; r < batch; r++) {
          softmaxRow(z, out, r * k, k);
        }
      }
      default -> throw new IllegalStateException("unhandled output " + act);
    }
  }

  /** L = sum (z - y)^2, dL/dz = 2 (z - y), over n = B*K values. */
  static double squaredError(float[] z, float[] out, float[] y, int yOff, float[] delta, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float d = z[i] - y[yOff + i];
      out[i] = z[i];
      sum += (double) d * d;
      if (delta != null) {
        delta[i] = 2f * d;
      }
    }
    return sum;
  }

  /**
   * Binary cross-entropy from the logit, stable for any z:
   * L = max(z, 0) - z y + log(1 + e^-|z|), dL/dz = sigmoid(z) - y.
   */
  static double sigmoidCrossEntropy(float[] z, float[] out, float[] y, int yOff, float[] delta,
      int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double v = z[i];
      double t = y[yOff + i];
      sum += Math.max(v, 0.0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
      float p = ActivationKernels.sigmoid(z[i]);
      out[i] = p;
      if (delta != null) {
        delta[i] = p - (float) t;
      }
    }
    return sum;
  }

  /**
   * Softmax cross-entropy with integer class labels, via log-sum-exp:
   * L = log(sum_j e^{z_j - m}) + m - z_c with m = max_j z_j; dL/dz = p - onehot(c).
   */
  static double softmaxCrossEntropy(float[] z, float[] out, float[] y, int yOff, float[] delta,
      int batch, int k) {
    return softmaxCrossEntropy(z, out, y, yOff, null, 0, delta, batch, k);
  }

  /**
   * Softmax cross-entropy with row weights (null: all ones): L = sum_r w_r L_r,
   * dL/dz_r = w_r (p_r - onehot(c_r)).
   */
  static double softmaxCrossEntropy(float[] z, float[] out, float[] y, int yOff, float[] w,
      int wOff, float[] delta, int batch, int k) {
    double sum = 0;
    for (int r = 0; r < batch; r++) {
      int row = r * k;
      float label = y[yOff + r];
      int c = (int) label;
      if (c != label || c < 0 || c >= k) {
        throw new IllegalArgumentException(
            "class label " + label + " is not an integer in [0, " + k + ")");
      }
      double logSumExp = softmaxRow(z, out, row, k);
      if (w == null) {
        sum += logSumExp - z[row + c];
        if (delta != null) {
          for (int j = 0; j < k; j++) {
            delta[row + j] = out[row + j];
          }
          delta[row + c] -= 1f;
        }
      } else {
        float wr = w[wOff + r];
        sum += wr * (logSumExp - z[row + c]);
        if (delta != null) {
          for (int j = 0; j < k; j++) {
            delta[row + j] = out[row + j];
          }
          delta[row + c] -= 1f;
          for (int j = 0; j < k; j++) {
            delta[row + j] *= wr;
          }
        }
      }
    }
    return sum;
  }

  /** out[row..row+k) = softmax(z[row..row+k)); returns log(sum_j e^{z_j}). */
  private static double softmaxRow(float[] z, float[] out, int row, int k) {
    float m = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      m = Math.max(m, z[row + j]);
    }
    double s = 0;
    for (int j = 0; j < k; j++) {
      double e = Math.exp(z[row + j] - m);
      out[row + j] = (float) e;
      s += e;
    }
    float inv = (float) (1.0 / s);
    for (int j = 0; j < k; j++) {
      out[row + j] *= inv;
    }
    return Math.log(s) + m;
  }
}
