package io.sparkmlp.model.optim;

import java.util.Map;

/**
 * Classical (heavy-ball) momentum with the rate inside the velocity (Polyak 1964, Sutskever et al.
 * 2013): v &lt;- gamma v + a g; x &lt;- x - v. With a constant rate this equals PyTorch's SGD with
 * momentum (which keeps the rate outside the buffer); with a schedule, past steps keep the rate
 * they were taken with. Slot {@code "v"}.
 */
final class Momentum implements Optimizer {
  private final float gamma;
  private final float[] v;

  Momentum(float gamma, int n) {
    this.gamma = gamma;
    this.v = new float[n];
  }

  @Override
  public void step(float[] params, float[] grad, float lr, long t, int from, int to) {
    for (int i = from; i < to; i++) {
      float vi = TinyState.flush(gamma * v[i] + lr * grad[i]); // never subnormal (TinyState)
      v[i] = vi;
      params[i] -= vi;
    }
  }

  @Override
  public Map<String, float[]> slots() {
    return Map.of("v", v);
  }
}
