package io.sparkmlp.trainer;

/**
 * What one partition returns for one step: the gradient summed over its rows, the loss summed over
 * its rows, the row count and the summed row weights (the gradient and loss are sums of
 * weight x row term). Sums in, average once: the driver adds these in partition order and divides
 * by the total weight, which equals the row count when every weight is 1.
 */
public final class PartialSums implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** [P] gradient sum, flat layout of {@link io.sparkmlp.model.ParamLayout}. */
  public final float[] grad;
  /** Summed loss. */
  public double loss;
  /** Rows that contributed. */
  public long count;
  /** Summed weights of the rows that contributed ({@link #count} without weights). */
  public double weightSum;

  /** Wraps a gradient buffer of unweighted rows (every weight 1). */
  public PartialSums(float[] grad, double loss, long count) {
    this(grad, loss, count, count);
  }

  /** Wraps a gradient buffer of weighted rows. */
  public PartialSums(float[] grad, double loss, long count, double weightSum) {
    this.grad = grad;
    this.loss = loss;
    this.count = count;
    this.weightSum = weightSum;
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
    weightSum += other.weightSum;
    return this;
  }
}
