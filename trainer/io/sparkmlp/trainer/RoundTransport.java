package io.sparkmlp.trainer;

import java.util.Locale;

/**
 * How a synchronous step's weights, or a local-SGD round's start ({@link SyncSettings}), reach
 * the partitions and their sums come back. The values are the same bits either way: only the
 * cost per step differs.
 */
public enum RoundTransport {
  /**
   * {@link #DIRECT} on a cluster when every partition's task can run at once (at least as many
   * task slots as partitions), the reduction has depth 1, the transfer is float32 and Spark's
   * network encryption is off; {@link #SPARK} otherwise, and in local mode, where steps are
   * handed over in memory.
   */
  AUTO,
  /**
   * One Spark job per epoch whose tasks exchange every step or round with the driver over a
   * socket ({@link DirectRounds}), under the conditions of {@link #AUTO} but in local mode too;
   * Spark jobs otherwise.
   */
  DIRECT,
  /** One Spark job per step or round: the weights broadcast, the sums as Spark task results. */
  SPARK;

  /** Parses a name case-insensitively ({@code auto}, {@code direct}, {@code spark}). */
  public static RoundTransport parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("round transport '" + s
          + "' is not one of auto, direct, spark");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
