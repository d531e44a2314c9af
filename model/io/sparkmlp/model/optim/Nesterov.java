package io.sparkmlp.model.optim;

import java.util.Map;

/**
 * Nesterov momentum in the look-ahead form used by PyTorch's {@code SGD(nesterov=True)} (Sutskever
 * et al. 2013, rewritten in terms of the current iterate): v &lt;- gamma v + g; x &lt;- x - a (g +
 * gamma v). The buffer v holds no learning rate, so a schedule rescales the whole step. Slot
 * {@code "v"}.
 */
final class Nesterov implements Optimizer {
  private final float gamma;
  private final float[] v;

  Nesterov(float gamma, int n) {
    this.gamma = gamma;
    this.v = new float[n];
  }

  @Override
  public void step(float[] params, float[] grad, float lr, long t, int from, int to) {
    for (int i = from; i < to; i++) {
      float g = grad[i];
      float vi = TinyState.flush(gamma * v[i] + g); // never subnormal (TinyState)
      v[i] = vi;
      params[i] -= lr * (g + gamma * vi);
    }
  }

  @Override
  public Map<String, float[]> slots() {
    return Map.of("v", v);
  }
}
