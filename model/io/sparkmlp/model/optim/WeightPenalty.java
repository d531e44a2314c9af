package io.sparkmlp.model.optim;

import io.sparkmlp.model.ParamLayout;
import java.util.Arrays;

/**
 * L2 regularization and decoupled weight decay over a mask that is 1 on weights and 0 on biases
 * ({@link ParamLayout#weightMask()}), or 1 everywhere when biases are decayed too. The mask is
 * built once.
 */
final class WeightPenalty {
  private final float[] mask;
  private final float l2;
  private final float weightDecay;

  WeightPenalty(ParamLayout layout, float l2, float weightDecay, boolean decayBiases) {
    this.l2 = l2;
    this.weightDecay = weightDecay;
    if (l2 == 0f && weightDecay == 0f) {
      this.mask = null;
    } else if (decayBiases) {
      this.mask = new float[layout.size()];
      Arrays.fill(mask, 1f);
    } else {
      this.mask = layout.weightMask();
    }
  }

  /**
   * Gradient of (l2/2) ||mask * x||^2 added in place to the elements {@code [from, to)}:
   * g &lt;- g + l2 * mask * x.
   */
  void addL2(float[] grad, float[] params, int from, int to) {
    if (l2 == 0f) {
      return;
    }
    for (int i = from; i < to; i++) {
      grad[i] += l2 * mask[i] * params[i];
    }
  }

  /**
   * Decoupled decay in place: x &lt;- x - lr * weightDecay * mask * x (Loshchilov &amp; Hutter 2019).
   * {@link Updater} calls it on the parameters <em>before</em> the optimizer's update, so that the
   * step as a whole is x &lt;- x - d(g) - lr * weightDecay * mask * x with the old x, exactly as in
   * the paper and PyTorch's AdamW. Applies to the elements {@code [from, to)}.
   */
  void decay(float[] params, float lr, int from, int to) {
    if (weightDecay == 0f) {
      return;
    }
    float c = (float) ((double) lr * weightDecay);
    for (int i = from; i < to; i++) {
      params[i] -= c * mask[i] * params[i];
    }
  }
}
