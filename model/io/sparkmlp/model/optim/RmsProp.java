package io.sparkmlp.model.optim;

import java.util.Map;

/**
 * RMSProp (Tieleman &amp; Hinton 2012, lecture 6.5): G &lt;- rho G + (1 - rho) g^2; x &lt;- x - a g /
 * sqrt(G + eps), with eps inside the square root. G starts at 0 (as in PyTorch and Keras), so the
 * first steps are larger than a by up to 1/sqrt(1 - rho). Slot {@code "G"}.
 */
final class RmsProp implements Optimizer {
  private final float rho;
  private final float oneMinusRho;
  private final float eps;
  private final float[] meanSq;

  RmsProp(float rho, float eps, int n) {
    this.rho = rho;
    this.oneMinusRho = (float) (1.0 - rho);
    this.eps = eps;
    this.meanSq = new float[n];
  }

  @Override
  public void step(float[] params, float[] grad, float lr, long t, int from, int to) {
    for (int i = from; i < to; i++) {
      float g = grad[i];
      // never subnormal (TinyState)
      float s = TinyState.flush(rho * meanSq[i] + oneMinusRho * g * g);
      meanSq[i] = s;
      params[i] -= lr * g / (float) Math.sqrt(s + eps);
    }
  }

  @Override
  public Map<String, float[]> slots() {
    return Map.of("G", meanSq);
  }
}
