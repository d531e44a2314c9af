package io.sparkmlp.model.optim;

import java.util.Map;

/**
 * Adagrad (Duchi, Hazan &amp; Singer 2011): G &lt;- G + g^2; x &lt;- x - a g / sqrt(G + eps), with
 * eps inside the square root. G starts at 0. Slot {@code "G"}.
 */
final class Adagrad implements Optimizer {
  private final float eps;
  private final float[] sumSq;

  Adagrad(float eps, int n) {
    this.eps = eps;
    this.sumSq = new float[n];
  }

  @Override
  public void step(float[] params, float[] grad, float lr, long t, int from, int to) {
    for (int i = from; i < to; i++) {
      float g = grad[i];
      float s = sumSq[i] + g * g;
      sumSq[i] = s;
      params[i] -= lr * g / (float) Math.sqrt(s + eps);
    }
  }

  @Override
  public Map<String, float[]> slots() {
    return Map.of("G", sumSq);
  }
}
