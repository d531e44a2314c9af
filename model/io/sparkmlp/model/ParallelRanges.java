package io.sparkmlp.model;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits an element-wise pass over a flat array between the calling thread and one helper thread,
 * so that the driver's per-step work (averaging, the optimizer update, the finiteness checks) uses
 * both of its cores instead of idling one.
 *
 * <p>Bitwise safe by construction: every element is computed by the same expression whichever thread
 * runs it, and a body may only write the elements of its own range, so the result equals one
 * sequential pass bit for bit. Reductions (sums, norms) must not be split by thread; they use fixed
 * blocks ({@link #BLOCK}) whose partial results are combined in block order, which gives the same
 * bits for any number of threads.
 *
 * <p>Arrays shorter than {@link #MIN_PARALLEL} elements, and machines with one core, run on the
 * calling thread: below that size the hand-off costs more than the half it saves.
 */
public final class ParallelRanges {
  private ParallelRanges() {}

  /** Work on the elements {@code [from, to)}. */
  @FunctionalInterface
  public interface Body {
    /** Processes the elements {@code [from, to)}; writes only those. */
    void run(int from, int to);
  }

  /** Smallest length split between two threads. */
  public static final int MIN_PARALLEL = 1 << 16;

  /** Block length of the fixed-order reductions (a multiple of 16). */
  public static final int BLOCK = 1 << 14;

  private static final boolean MULTI_CORE = Runtime.getRuntime().availableProcessors() > 1;

  /** Daemon helper threads, created on demand and reused (several runs may share a JVM). */
  private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "spark-mlp-update");
    t.setDaemon(true);
    return t;
  });

  /**
   * Runs {@code body} over {@code [0, n)}: the upper half on a helper thread and the lower half on
   * the calling thread, or all of it on the calling thread when {@code n < MIN_PARALLEL}. The split
   * point is a multiple of {@link #BLOCK}, so block-aligned bodies stay block-aligned. Returns when
   * both halves are done; an exception of either half is rethrown.
   */
  public static void run(int n, Body body) {
    if (n < MIN_PARALLEL || !MULTI_CORE) {
      body.run(0, n);
      return;
    }
    int mid = (n / 2 + BLOCK - 1) / BLOCK * BLOCK;
    Future<?> upper = HELPERS.submit(() -> body.run(mid, n));
    try {
      body.run(0, mid);
    } finally {
      join(upper);
    }
  }

  /**
   * Block sums of sum_i v_i^2 over {@code v[0, n)} for the blocks that start in {@code [from, to)}
   * ({@code from} a multiple of {@link #BLOCK}, as the ranges of {@link #run} are), into
   * {@code blockSums[from / BLOCK ..]}, in double: each block of {@link #BLOCK} elements is summed in
   * four interleaved lanes (i mod 4) combined as (l0 + l1) + (l2 + l3). Adding the block sums in
   * block order ({@link #sumOfBlocks}) gives the same bits for any number of threads; a pass over a
   * range fuses its own element-wise work with this reduction.
   */
  public static void blockSumsOfSquares(float[] v, int n, int from, int to, double[] blockSums) {
    for (int b = from / BLOCK, end = (Math.min(to, n) + BLOCK - 1) / BLOCK; b < end; b++) {
      blockSums[b] = blockSumOfSquares(v, b * BLOCK, Math.min(n, (b + 1) * BLOCK));
    }
  }

  /** blockSums[0] + ... + blockSums[blocks - 1], in that order. */
  public static double sumOfBlocks(double[] blockSums, int blocks) {
    double s = 0;
    for (int b = 0; b < blocks; b++) {
      s += blockSums[b];
    }
    return s;
  }

  /** Number of {@link #BLOCK}-sized blocks covering {@code n} elements. */
  public static int blocks(int n) {
    return (n + BLOCK - 1) / BLOCK;
  }

  /** sum v_i^2 over [from, to) in four lanes: independent chains, so adds pipeline. */
  private static double blockSumOfSquares(float[] v, int from, int to) {
    double l0 = 0;
    double l1 = 0;
    double l2 = 0;
    double l3 = 0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      double a = v[i];
      double b = v[i + 1];
      double c = v[i + 2];
      double d = v[i + 3];
      l0 += a * a;
      l1 += b * b;
      l2 += c * c;
      l3 += d * d;
    }
    for (; i < to; i++) {
      double a = v[i];
      l0 += a * a;
    }
    return (l0 + l1) + (l2 + l3);
  }

  private static void join(Future<?> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException r) {
            throw r;
          }
          if (c instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(c);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
