package io.sparkmlp.model.optim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The first-order update rules {@link Updater} supports. In the formulas, {@code a} is the
 * (scheduled) learning rate and {@code g} the gradient after L2 regularization and clipping; every
 * operation is element-wise over the flat parameter layout.
 */
public enum OptimizerKind {
  /** Plain gradient descent: x &lt;- x - a g. */
  SGD,
  /** Classical (heavy-ball) momentum: v &lt;- gamma v + a g; x &lt;- x - v. */
  MOMENTUM,
  /** Nesterov momentum, look-ahead form (Sutskever 2013, PyTorch): v &lt;- gamma v + g; x &lt;- x - a (g + gamma v). */
  NESTEROV,
  /** Adagrad (Duchi et al. 2011): G &lt;- G + g^2; x &lt;- x - a g / sqrt(G + eps). */
  ADAGRAD,
  /** RMSProp (Tieleman &amp; Hinton 2012): G &lt;- rho G + (1 - rho) g^2; x &lt;- x - a g / sqrt(G + eps). */
  RMSPROP,
  /** Adam (Kingma &amp; Ba 2015), with bias correction. */
  ADAM,
  /** Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019); default weight decay 0.01. */
  ADAMW;

  /**
   * Parses a name such as {@code adam}, {@code AdamW} or {@code nesterov} (case-insensitive,
   * surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the known optimizers if {@code s} is not one of them
   */
  public static OptimizerKind parse(String s) {
    if (s != null) {
      String key = s.trim().toUpperCase(Locale.ROOT);
      for (OptimizerKind k : values()) {
        if (k.name().equals(key)) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException("unknown optimizer '" + s + "'; known: " + known());
  }

  /** Lower-case name, as accepted by {@link #parse(String)}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  private static String known() {
    return Arrays.stream(values()).map(OptimizerKind::toString).collect(Collectors.joining(", "));
  }
}
