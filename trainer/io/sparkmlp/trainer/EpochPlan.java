package io.sparkmlp.trainer;

/**
 * Which rows of one block go into each step of one epoch.
 *
 * <p>Row r goes to step {@code floor(u * S)} where u is its seeded uniform draw for this epoch
 * ({@link RowHash#uniform}) and S the number of steps per epoch. Every row is used exactly once per
 * epoch, a step's expected size is the global batch size, each partition's share is proportional
 * to its rows, and the assignment does not depend on partitioning. Rows are counting-sorted by step
 * so that step s reads {@code order[start[s] .. start[s+1])}. The counting sort is stable and a
 * {@link PackedBlock}'s rows are in ascending content-hash order, so within a step the rows are in
 * hash order and in ascending memory order: the gradient sum depends only on which rows the
 * partition holds, not on the order in which they arrived (a block recomputed after an executor
 * loss, where a shuffle may deliver rows in another order, gives the same bits), and the gather
 * of a step's rows walks the block forwards (about 10-20% faster per row than a random walk,
 * which misses the cache on every row).
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

  /**
   * Plans epoch {@code epoch} of {@code steps} steps for a block.
   *
   * @param rowHashes [rows] the block's row hashes, ascending (as in every {@link PackedBlock})
   * @throws IllegalArgumentException if the hashes are not in ascending order
   */
  public static EpochPlan of(long[] rowHashes, long seed, int epoch, int steps) {
    RowHash.requireAscending(rowHashes);
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
    return new EpochPlan(epoch, order, start);
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
