package io.sparkmlp.trainer;

/**
 * Which rows of one block go into each step of one epoch.
 *
 * <p>Row r goes to step {@code floor(u * S)} where u is its seeded uniform draw for this epoch
 * ({@link RowHash#uniform}) and S the number of steps per epoch. Every row is used exactly once per
 * epoch, a step's expected size is the global batch size, each partition's share is proportional
 * to its rows, and the assignment does not depend on partitioning. Rows are counting-sorted by step
 * so that step s reads {@code order[start[s] .. start[s+1])}, and within a step they are ordered by
 * content hash: the gradient sum then depends only on which rows the partition holds, not on their
 * order in the block, so a block recomputed after an executor loss (where a shuffle may deliver
 * rows in another order) gives the same bits.
 */
public final class EpochPlan {
  final int epoch;
  /** [rows] row indices grouped by step. */
  final int[] order;
  /** [steps + 1] start of each step's rows in {@code order}. */
  final int[] start;

  private EpochPlan(int epoch, int[] order, int[] start) {
    this.epoch = epoch;
    this.order = order;
    this.start = start;
  }

  /** Plans epoch {@code epoch} of {@code steps} steps for a block. */
  public static EpochPlan of(long[] rowHashes, long seed, int epoch, int steps) {
    int n = rowHashes.length;
    int[] stepOf = new int[n];
    int[] start = new int[steps + 1];
    long salt = TrainerConstants.EPOCH_SALT + epoch;
    for (int r = 0; r < n; r++) {
      int s = (int) (RowHash.uniform(rowHashes[r], seed, salt) * steps);
      stepOf[r] = s;
      start[s + 1]++;
    }
    for (int s = 0; s < steps; s++) {
      start[s + 1] += start[s];
    }
    int[] fill = java.util.Arrays.copyOf(start, steps);
    int[] order = new int[n];
    for (int r = 0; r < n; r++) {
      order[fill[stepOf[r]]++] = r;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = rowHashes[order[i]];
    }
    for (int s = 0; s < steps; s++) {
      sortByKey(keys, order, start[s], start[s + 1] - 1);
    }
    return new EpochPlan(epoch, order, start);
  }

  /**
   * Sorts {@code idx[lo..hi]} by {@code keys[lo..hi]} (keys moved along), in place. Equal keys are
   * identical rows (the hash covers all of a row's values), so their relative order cannot change
   * any sum.
   */
  private static void sortByKey(long[] keys, int[] idx, int lo, int hi) {
    while (lo < hi) {
      if (hi - lo < 16) {
        for (int i = lo + 1; i <= hi; i++) {
          long k = keys[i];
          int v = idx[i];
          int j = i - 1;
          while (j >= lo && keys[j] > k) {
            keys[j + 1] = keys[j];
            idx[j + 1] = idx[j];
            j--;
          }
          keys[j + 1] = k;
          idx[j + 1] = v;
        }
        return;
      }
      long pivot = keys[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (keys[i] < pivot) {
          i++;
        }
        while (keys[j] > pivot) {
          j--;
        }
        if (i <= j) {
          long tk = keys[i];
          keys[i] = keys[j];
          keys[j] = tk;
          int tv = idx[i];
          idx[i] = idx[j];
          idx[j] = tv;
          i++;
          j--;
        }
      }
      // recurse into the smaller side, loop on the larger (bounded stack depth)
      if (j - lo < hi - i) {
        sortByKey(keys, idx, lo, j);
        lo = i;
      } else {
        sortByKey(keys, idx, i, hi);
        hi = j;
      }
    }
  }

  /** First position in {@link #order} of step s. */
  public int from(int step) {
    return start[step];
  }

  /** End position (exclusive) in {@link #order} of step s. */
  public int to(int step) {
    return start[step + 1];
  }

  /** Row indices grouped by step. */
  public int[] order() {
    return order;
  }
}
