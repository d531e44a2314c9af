package io.sparkmlp.trainer;

import java.util.Locale;

/**
 * How a local-SGD round's start reaches the partitions and their results come back
 * ({@link SyncSettings} with H &gt; 1). The values are the same bits either way: only the cost per
 * round differs.
 */
public enum RoundTransport {
  /**
   * {@link #DIRECT} on a cluster when every partition's task can run at once (at least as many
   * task slots as partitions, and a depth-1 reduction); {@link #SPARK} otherwise, and in local
   * mode, where rounds are handed over in memory.
   */
  AUTO,
  /**
   * One Spark job per epoch whose tasks exchange every round with the driver over a socket
   * ({@link DirectRounds}), wherever every partition can run at once, local mode included; Spark
   * jobs otherwise.
   */
  DIRECT,
  /** One Spark job per round: the start broadcast, the results through Spark's task results. */
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
