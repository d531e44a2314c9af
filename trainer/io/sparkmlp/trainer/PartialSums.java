package io.sparkmlp.trainer;

/**
 * What one partition returns for one step: the gradient summed over its rows, the loss summed over
 * its rows, and the row count. Sums in, average once: the driver adds these in partition order and
 * divides by the total count. A local-SGD round ({@link PartitionTasks.LocalRound}) returns the
 * same shape with its row-weighted local weights and optimizer slots in place of the gradient.
 */
public final class PartialSums implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * [P] gradient sum, flat layout of {@link io.sparkmlp.model.ParamLayout}; in a local-SGD round
   * the row-weighted sums {@code [weights | slots]} in the layout of {@link RoundStart}.
   */
  public final float[] grad;
  /** Summed loss. */
  public double loss;
  /** Rows that contributed. */
  public long count;

  /** Wraps a gradient buffer. */
  public PartialSums(float[] grad, double loss, long count) {
    this.grad = grad;
    this.loss = loss;
    this.count = count;
  }

  /** this += other, element-wise (in place). */
  public PartialSums add(PartialSums other) {
    float[] g = grad;
    float[] o = other.grad;
    if (g.length != o.length) {
      throw new IllegalArgumentException("gradient lengths differ: " + g.length + " vs " + o.length);
    }
    for (int i = 0; i < g.length; i++) {
      g[i] += o[i];
    }
    loss += other.loss;
    count += other.count;
    return this;
  }
}
