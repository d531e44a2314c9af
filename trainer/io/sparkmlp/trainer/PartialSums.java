package io.sparkmlp.trainer;

/**
 * What one partition returns for one step: the gradient summed over its rows, the loss summed over
 * its rows, the row count and the summed row weights (the gradient and loss are sums of
 * weight x row term). Sums in, average once: the driver adds these in partition order and divides
 * by the total weight, which equals the row count when every weight is 1. A local-SGD round
 * ({@link PartitionTasks.LocalRound}) returns the same shape with its row-weighted local weights
 * and optimizer slots in place of the gradient.
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

  /** Arrays at least this long are summed by two threads ({@link #sumInOrder}). */
  static final int PARALLEL_MIN_LENGTH = 1 << 16;

  /** The driver's helper for {@link #sumInOrder}: one daemon thread, started on first use. */
  private static final class Helper {
    static final java.util.concurrent.ExecutorService POOL =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "spark-mlp-sum");
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * parts[0] + parts[1] + ... in that order, into parts[0] (returned): the same bits as adding
   * them one by one with {@link #add}, since every element is summed in partition order. Long
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
    PartialSums acc = parts[0];
    int n = acc.grad.length;
    for (int p = 1; p < parts.length; p++) {
      if (parts[p].grad.length != n) {
        throw new IllegalArgumentException("gradient lengths differ: " + n + " vs "
            + parts[p].grad.length);
      }
      acc.loss += parts[p].loss;
      acc.count += parts[p].count;
      acc.weightSum += parts[p].weightSum;
    }
    if (parts.length == 1) {
      return acc;
    }
    if (n < PARALLEL_MIN_LENGTH) {
      addRange(parts, 0, n);
      return acc;
    }
    int mid = n >>> 1;
    java.util.concurrent.Future<?> upper = Helper.POOL.submit(() -> addRange(parts, mid, n));
    addRange(parts, 0, mid);
    try {
      upper.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while summing partial results", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("summing partial results failed", e.getCause());
    }
    return acc;
  }

  /** parts[0].grad[i] += parts[p].grad[i] for p = 1, 2, ... in order, i in [from, to). */
  private static void addRange(PartialSums[] parts, int from, int to) {
    float[] g = parts[0].grad;
    for (int p = 1; p < parts.length; p++) {
      float[] o = parts[p].grad;
      for (int i = from; i < to; i++) {
        g[i] += o[i];
      }
    }
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
