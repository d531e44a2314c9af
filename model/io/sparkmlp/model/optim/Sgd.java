package io.sparkmlp.model.optim;

import java.util.Map;

/** Plain gradient descent, x &lt;- x - a g. Stateless. */
final class Sgd implements Optimizer {

  @Override
  public void step(float[] params, float[] grad, float lr, long t) {
    int n = params.length;
    for (int i = 0; i < n; i++) {
      params[i] -= lr * grad[i];
    }
  }

  @Override
  public Map<String, float[]> slots() {
    return Map.of();
  }
}
