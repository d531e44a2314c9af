package io.sparkmlp.model;

/**
 * Inverted dropout as free functions over flat row-major arrays, with masks that are a pure
 * function of their key: no random state, so a mask can be recomputed anywhere.
 *
 * <p>During a training step, unit u of hidden layer l of the row with identity (content hash)
 * {@code rowKey} is kept iff its draw U(stepKey, rowKey, l, u) in [0, 1) is at least p_l, and a kept
 * unit is scaled by 1 / (1 - p_l), so E[h] = a and evaluation, which skips dropout, needs no
 * rescaling:
 * <pre>
 *   m[r][u] = U(...) &gt;= p ? 1 / (1 - p) : 0        h = a * m        dL/da = dL/dh * m
 * </pre>
 * The draw is a counter-based hash (SplitMix64's finalizer over a key built from the step key, the
 * row key, the layer and the unit): the same (seed, epoch, step, row, layer, unit) gives the same
 * bit on any executor, in any partition, in a retried task and after a resume, and does not depend
 * on the row's position in its partition or mini-batch. Identical rows (same content, same hash)
 * in the same step share a mask.
 */
public final class Dropout {
  private Dropout() {}

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  /** Separates the dropout draws from the other draws of the same seed (splits, steps). */
  private static final long SALT = 0x44524F504F555431L;

  /** SplitMix64 finalizer: a bijective 64-bit mixer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The key of one training step's masks: a hash of (seed, epoch, step within the epoch).
   *
   * @param seed  the run's seed
   * @param epoch 1-based epoch
   * @param step  0-based step within the epoch
   */
  public static long stepKey(long seed, int epoch, int step) {
    long k = mix(seed * GOLDEN + SALT);
    k = mix(k ^ (epoch * GOLDEN));
    return mix(k ^ ((long) step * 0xD1B54A32D192ED03L + 1));
  }

  /**
   * Threshold of the 24-bit draw below which a unit is dropped: round(p 2^24), so a unit is dropped
   * with probability p up to 2^-25.
   */
  static int threshold(double p) {
    return (int) Math.round(p * (1 << 24));
  }

  /**
   * Fills the masks of n rows of a layer of {@code width} units: m[r][u] = 0 for a dropped unit,
   * 1 / (1 - p) for a kept one.
   *
   * @param mask    [n][width] output
   * @param rowKeys [n] row identities, starting at keyOff
   * @param p       drop probability in [0, 1)
   * @param stepKey {@link #stepKey} of the step
   * @param layer   0-based hidden layer index
   */
  public static void masks(float[] mask, long[] rowKeys, int keyOff, int n, int width, double p,
      long stepKey, int layer) {
    int thr = threshold(p);
    float scale = (float) (1.0 / (1.0 - p));
    long layerKey = mix(stepKey ^ ((layer + 1L) * GOLDEN));
    for (int r = 0; r < n; r++) {
      // one key per (step, layer, row), then a SplitMix64 counter over the units
      long base = mix(layerKey ^ rowKeys[keyOff + r]);
      int o = r * width;
      for (int u = 0; u < width; u++) {
        int draw = (int) (mix(base + (u + 1L) * GOLDEN) >>> 40); // uniform in [0, 2^24)
        mask[o + u] = draw >= thr ? scale : 0f;
      }
    }
  }

  /** out[i] = inp[i] * mask[i] for i in [0, n): the forward of a dropped layer, h = a * m. */
  public static void apply(float[] inp, float[] mask, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = inp[i] * mask[i];
    }
  }

  /** d[i] *= mask[i] for i in [0, n): the backward, dL/da = dL/dh * m (in place). */
  public static void backward(float[] d, float[] mask, int n) {
    for (int i = 0; i < n; i++) {
      d[i] *= mask[i];
    }
  }
}
