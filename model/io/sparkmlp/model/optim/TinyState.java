package io.sparkmlp.model.optim;

/**
 * Keeps decaying optimizer state out of the subnormal range.
 *
 * <p>Momentum, Nesterov, RMSProp and Adam multiply their state by a decay factor b &lt; 1 every
 * step: {@code s <- b s + (1 - b) f(g)}. Where the gradient stays zero (a first-layer weight of an
 * MNIST pixel that is almost always 0, a dead ReLU unit) the state decays geometrically, from a
 * normal float into the subnormal range below 2^-126 (Adam's m, b = 0.9, gets there about 800 steps
 * after its last non-zero gradient, and stays there about 150 steps). x86 processors compute
 * with subnormal operands or results through a microcode assist, tens of times slower than normal
 * arithmetic, and Java cannot set the flush-to-zero mode. Training the MNIST recipe, a fifth of
 * Adam's first moments were subnormal from about step 700 on, and its update of the 535,818
 * parameters took 3.2-3.4 ms instead of 0.63-0.74 ms, more than the step's matrix products.
 *
 * <p>{@link #flush} sets a state value below {@link #TINY} = 2^-100 in magnitude to zero (keeping
 * its sign) as it is stored, so no state value ever goes below 2^-100 times the smallest decay
 * factor, far above 2^-126. The effect on the update is below float resolution: with Adam's
 * epsilon of 1e-8, an m below 2^-100 moves a weight by at most lr * 8e-23, and a v below 2^-100
 * adds at most 2^-50 (9e-16) to the denominator sqrt(v) + epsilon.
 */
final class TinyState {

  /** State values of smaller magnitude are stored as zero: 2^-100 (about 7.9e-31). */
  static final float TINY = 0x1p-100f;

  private TinyState() {}

  /**
   * {@code x}, or a zero of x's sign when |x| &lt;= {@link #TINY}; NaN and infinities unchanged.
   *
   * <p>Branch-free so that C2 vectorizes the optimizers' loops (as
   * {@code ActivationKernels.positive}): (|x| - TINY) is 0 or negative for the values to flush and
   * at least 2^-123 (normal) otherwise; scaled by 2^127 twice and clamped to [0, 1] it is exactly
   * 0 or 1 (NaN stays NaN), and x times that keeps x's bits or gives a signed zero.
   */
  static float flush(float x) {
    return x * Math.min(Math.max((Math.abs(x) - TINY) * 0x1p127f * 0x1p127f, 0f), 1f);
  }
}
