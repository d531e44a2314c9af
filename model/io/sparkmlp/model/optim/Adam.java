package io.sparkmlp.model.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1), used for both ADAM and ADAMW (AdamW is this update plus
 * the decoupled weight decay that {@link Updater} applies for any optimizer). With t starting at 1:
 * <pre>
 *   m &lt;- b1 m + (1 - b1) g
 *   v &lt;- b2 v + (1 - b2) g^2
 *   mhat = m / (1 - b1^t),  vhat = v / (1 - b2^t)
 *   x &lt;- x - a mhat / (sqrt(vhat) + eps)
 * </pre>
 * The bias corrections are computed once per step in double ({@link StrictMath#pow}, so they are
 * reproducible on any JVM); the element-wise work is in float. Slots {@code "m"} and {@code "v"}.
 */
final class Adam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final float b1;
  private final float b2;
  private final float oneMinusB1;
  private final float oneMinusB2;
  private final float eps;
  private final float[] m;
  private final float[] v;
  private final Map<String, float[]> slots;

  Adam(float beta1, float beta2, float eps, int n) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.b1 = beta1;
    this.b2 = beta2;
    this.oneMinusB1 = (float) (1.0 - beta1);
    this.oneMinusB2 = (float) (1.0 - beta2);
    this.eps = eps;
    this.m = new float[n];
    this.v = new float[n];
    Map<String, float[]> s = new LinkedHashMap<>();
    s.put("m", m);
    s.put("v", v);
    this.slots = java.util.Collections.unmodifiableMap(s);
  }

  @Override
  public void step(float[] params, float[] grad, float lr, long t, int from, int to) {
    // 1 - b^t in double; b = 0 gives 1 (no correction needed).
    float bc1 = (float) (1.0 - StrictMath.pow(beta1, t));
    float bc2 = (float) (1.0 - StrictMath.pow(beta2, t));
    // Two passes, each with one TinyState flush: C2 leaves a loop with both flushes scalar (about
    // 12 times slower), and vectorizes each of these.
    for (int i = from; i < to; i++) {
      m[i] = TinyState.flush(b1 * m[i] + oneMinusB1 * grad[i]);
    }
    for (int i = from; i < to; i++) {
      float g = grad[i];
      float vi = TinyState.flush(b2 * v[i] + oneMinusB2 * g * g);
      v[i] = vi;
      float mhat = m[i] / bc1;
      float vhat = vi / bc2;
      params[i] -= lr * mhat / ((float) Math.sqrt(vhat) + eps);
    }
  }

  @Override
  public Map<String, float[]> slots() {
    return slots;
  }
}
