package io.sparkmlp.model.optim;

import java.util.Map;

/** Plain gradient descent, x &lt;- x - a g. Stateless. */
final class Sgd implements Optimizer {

  @Override
  public void step(float[] params, float[] grad, float lr, long t, int from, int to) {
    for (int i = from; i < to; i++) {
      params[i] -= lr * grad[i];
    }
  }

  @Override
  public Map<String, float[]> slots() {
    return Map.of();
  }
}
