package io.sparkmlp.trainer;

import io.sparkmlp.model.Bfloat16;
import io.sparkmlp.model.ParallelRanges;

/**
 * What one partition returns for one step: the gradient summed over its rows, the loss summed over
 * its rows, the row count and the summed row weights (the gradient and loss are sums of
 * weight x row term). Sums in, average once: the driver adds these in partition order and divides
 * by the total weight, which equals the row count when every weight is 1. A local-SGD round
 * ({@link PartitionTasks.LocalRound}) returns the same shape with its row-weighted local weights
 * and optimizer slots in place of the gradient.
 *
 * <p>With {@link TransferPrecision#BFLOAT16} a step's task returns its gradient sum rounded to
 * bfloat16 ({@link #packed}, half the bytes) and {@link #grad} is null; the driver's
 * {@link #sumInOrder} widens each part exactly and adds them in partition order into a float
 * gradient, so the result is as deterministic as the float32 sum.
 */
public final class PartialSums implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * [P] gradient sum, flat layout of {@link io.sparkmlp.model.ParamLayout}; in a local-SGD round
   * the row-weighted sums {@code [weights | slots]} in the layout of {@link RoundStart}.
   */
  public final float[] grad;
  /** [P] the gradient sum rounded to bfloat16 when shipped so ({@link #grad} is then null). */
  public final short[] packed;
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
    this(java.util.Objects.requireNonNull(grad, "grad"), null, loss, count, weightSum);
  }

  private PartialSums(float[] grad, short[] packed, double loss, long count, double weightSum) {
    this.grad = grad;
    this.packed = packed;
    this.loss = loss;
    this.count = count;
    this.weightSum = weightSum;
  }

  /**
   * Wraps a gradient sum rounded to bfloat16 ({@link Bfloat16#round(float[], int, short[])}) of
   * weighted rows.
   */
  public static PartialSums packed(short[] packed, double loss, long count, double weightSum) {
    return new PartialSums(null, java.util.Objects.requireNonNull(packed, "packed"), loss, count,
        weightSum);
  }

  /** P, the length of the gradient, whichever way it is held. */
  public int length() {
    return grad != null ? grad.length : packed.length;
  }

  /** Whether the gradient is held as bfloat16 ({@link #packed}). */
  public boolean isPacked() {
    return grad == null;
  }

  /**
   * This with its gradient as floats: itself when it already is, else a new sum whose gradient
   * is the exact widening of {@link #packed}.
   */
  public PartialSums widened() {
    if (grad != null) {
      return this;
    }
    float[] g = new float[packed.length];
    Bfloat16.widen(packed, packed.length, g);
    return new PartialSums(g, loss, count, weightSum);
  }

  /** Arrays at least this long are summed by two threads ({@link #sumInOrder}). */
  static final int PARALLEL_MIN_LENGTH = ParallelRanges.MIN_PARALLEL;

  /**
   * parts[0] + parts[1] + ... in that order, into parts[0] (returned; when parts[0] is
   * {@linkplain #isPacked packed}, into its {@linkplain #widened widening}): the same bits as
   * adding them one by one with {@link #add}, since every element is summed in partition order (a
   * packed part is widened exactly, element by element, as it is added). Long
   * arrays are split in two halves summed by the calling thread and a helper thread, so that the
   * driver's sum of the partitions' results uses both cores of a small machine instead of one
   * (the executors are idle while the driver sums).
   *
   * @throws IllegalArgumentException if there are no parts or their lengths differ
   */
  static PartialSums sumInOrder(PartialSums[] parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("nothing to sum");
    }
    PartialSums acc = parts[0].widened();
    int n = acc.grad.length;
    for (int p = 1; p < parts.length; p++) {
      if (parts[p].length() != n) {
        throw new IllegalArgumentException("gradient lengths differ: " + n + " vs "
            + parts[p].length());
      }
      acc.loss += parts[p].loss;
      acc.count += parts[p].count;
      acc.weightSum += parts[p].weightSum;
    }
    if (parts.length == 1) {
      return acc;
    }
    float[] g = acc.grad;
    ParallelRanges.run(n, (from, to) -> addRange(g, parts, from, to));
    return acc;
  }

  /** g[i] += parts[p] gradient[i] for p = 1, 2, ... in order, i in [from, to). */
  private static void addRange(float[] g, PartialSums[] parts, int from, int to) {
    for (int p = 1; p < parts.length; p++) {
      addInto(g, parts[p], from, to);
    }
  }

  /** g[i] += the gradient of {@code o} at i (widened when packed), i in [from, to). */
  private static void addInto(float[] g, PartialSums o, int from, int to) {
    if (o.grad != null) {
      float[] og = o.grad;
      for (int i = from; i < to; i++) {
        g[i] += og[i];
      }
    } else {
      Bfloat16.addWidened(o.packed, from, to, g);
    }
  }

  /**
   * this += other, element-wise: in place, or, when this is {@linkplain #isPacked packed}, into its
   * {@linkplain #widened widening} (returned); a packed {@code other} is widened as it is added.
   */
  public PartialSums add(PartialSums other) {
    PartialSums acc = widened();
    float[] g = acc.grad;
    if (g.length != other.length()) {
      throw new IllegalArgumentException("gradient lengths differ: " + g.length + " vs "
          + other.length());
    }
    addInto(g, other, 0, g.length);
    acc.loss += other.loss;
    acc.count += other.count;
    acc.weightSum += other.weightSum;
    return acc;
  }
}
