package io.sparkmlp.model;

/**
 * Element-wise activation kernels over raw arrays (llm.c style: free functions, no allocation).
 *
 * <p>Forward writes {@code a = f(z)}; backward multiplies an incoming gradient in place by
 * {@code f'(z)}, reading whichever of {@code z} or {@code a} gives the cheapest derivative.
 */
public final class ActivationKernels {
  private ActivationKernels() {}

  /**
   * a[i] = f(z[i]) for i in [0, n).
   *
   * @param z pre-activations, [n]
   * @param a outputs, [n] (may alias z for in-place use only when act needs no z in backward)
   */
  public static void forward(Activation act, float[] z, float[] a, int n) {
    switch (act.kind()) {
      case IDENTITY -> System.arraycopy(z, 0, a, 0, n);
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          a[i] = sigmoid(z[i]);
        }
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          a[i] = (float) Math.tanh(z[i]);
        }
      }
      case RELU -> {
        for (int i = 0; i < n; i++) {
          a[i] = Math.max(z[i], 0f);
        }
      }
      case LEAKY_RELU -> {
        float s = act.slope();
        for (int i = 0; i < n; i++) {
          float v = z[i];
          a[i] = Math.max(v, s * v); // v for v > 0, s v otherwise, as 0 <= s < 1; branch-free
        }
      }
      case SOFTPLUS -> {
        for (int i = 0; i < n; i++) {
          a[i] = softplus(z[i]);
        }
      }
      case MISH -> {
        for (int i = 0; i < n; i++) {
          float v = z[i];
          a[i] = v * (float) Math.tanh(softplus(v));
        }
      }
      case SIGN -> {
        for (int i = 0; i < n; i++) {
          a[i] = z[i] >= 0f ? 1f : -1f;
        }
      }
      case STEP -> {
        for (int i = 0; i < n; i++) {
          a[i] = z[i] >= 0f ? 1f : 0f;
        }
      }
      default -> throw new IllegalStateException("unhandled activation " + act);
    }
  }

  /**
   * g[i] *= f'(z[i]) for i in [0, n): turns dL/da into dL/dz.
   *
   * @param z pre-activations, [n]
   * @param a post-activations f(z), [n]
   * @param g gradient w.r.t. a on entry, w.r.t. z on exit, [n]
   */
  public static void backward(Activation act, float[] z, float[] a, float[] g, int n) {
    switch (act.kind()) {
      case IDENTITY -> { }
      case SIGMOID -> {
        // f' = f (1 - f)
        for (int i = 0; i < n; i++) {
          float s = a[i];
          g[i] *= s * (1f - s);
        }
      }
      case TANH -> {
        // f' = 1 - f^2
        for (int i = 0; i < n; i++) {
          float t = a[i];
          g[i] *= 1f - t * t;
        }
      }
      // branch-free and vectorized: see positive()
      case RELU -> {
        for (int i = 0; i < n; i++) {
          g[i] *= positive(z[i]);
        }
      }
      case LEAKY_RELU -> {
        float s = act.slope();
        for (int i = 0; i < n; i++) {
          g[i] *= Math.max(positive(z[i]), s); // 1 for z > 0, s otherwise (s < 1)
        }
      }
      case SOFTPLUS -> {
        // f' = sigmoid(z)
        for (int i = 0; i < n; i++) {
          g[i] *= sigmoid(z[i]);
        }
      }
      case MISH -> {
        // f = z t, t = tanh(sp(z)); f' = t + z (1 - t^2) sigmoid(z)
        for (int i = 0; i < n; i++) {
          float v = z[i];
          float t = (float) Math.tanh(softplus(v));
          g[i] *= t + v * (1f - t * t) * sigmoid(v);
        }
      }
      case SIGN, STEP -> throw new UnsupportedOperationException(
          act + " has a zero derivative almost everywhere and cannot be trained by gradient descent");
      default -> throw new IllegalStateException("unhandled activation " + act);
    }
  }

  /**
   * 1f if z &gt; 0, else 0f (also for +0, -0 and -infinity; NaN stays NaN), without a branch and
   * in a form the JIT vectorizes.
   *
   * <p>ReLU-family signs are data-dependent and close to 50/50 over a batch, so a branch such as
   * {@code if (z <= 0) g = 0} mispredicts about half the time: measured at about a third of a whole
   * forward+backward step of a 54-128-64-7 ReLU network (C2 compiles float selects {@code c ? x : y}
   * to branches too, and does not vectorize them). Scaling z by 2^127 twice lifts every positive
   * float, down to the smallest subnormal 2^-149, to at least 2^105 (or +infinity); clamping that to
   * [0, 1] gives exactly 1 for z &gt; 0 and exactly 0 for z &lt;= 0. Multiplies, max and min are
   * all SIMD instructions: 0.35 ns per element against 2.8 ns for the earlier integer sign trick
   * ({@code (-x & ~x) >>> 31} on the raw bits, which C2 leaves scalar), measured on this project's
   * 2-core Xeon for a 512 x 64 gradient; the products are bit for bit the same for every non-NaN z.
   */
  static float positive(float z) {
    return Math.min(Math.max(z * 0x1p127f * 0x1p127f, 0f), 1f);
  }

  /** Logistic function, computed without overflow for large |z|. */
  public static float sigmoid(float z) {
    if (z >= 0f) {
      return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
    double e = Math.exp(z);
    return (float) (e / (1.0 + e));
  }

  /** log(1 + e^z) = max(z, 0) + log1p(e^-|z|), stable for any z. */
  public static float softplus(float z) {
    return (float) (Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z))));
  }
}
