package io.sparkmlp.trainer;

import java.util.Locale;

/**
 * The precision of what a synchronous step ships between the driver and the tasks: the weights
 * sent to every task and the gradient sum every partition returns.
 *
 * <p>With {@link #BFLOAT16} the driver rounds its float32 weights to bfloat16
 * ({@link io.sparkmlp.model.Bfloat16}) and ships them as a {@code short[]}; tasks widen them back
 * and compute the gradient at those rounded weights; each partition rounds its gradient sum to
 * bfloat16 and returns a {@code short[]}; the driver widens and adds the partitions in partition
 * order. Half the bytes each way. The driver's master weights and optimizer state stay float32
 * (mixed precision as in bfloat16 training: only the copies on the wire are rounded), and losses,
 * row counts and weight sums stay double and long. Every rounding is a pure function of its input,
 * so same seed still gives the same bits, resume is exact and a retried task returns the same
 * bits. Local-SGD rounds ({@link SyncSettings} with H &gt; 1) ship weights and optimizer slots that
 * must not be rounded, so they take float32 only.
 */
public enum TransferPrecision {
  /** IEEE float32, as computed: the default. */
  FLOAT32,
  /** bfloat16 (the top 16 bits of a float32, rounded to nearest even): half the bytes. */
  BFLOAT16;

  /** Parses a name case-insensitively ({@code float32}, {@code bfloat16}). */
  public static TransferPrecision parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("transfer precision '" + s
          + "' is not one of float32, bfloat16");
    }
  }

  /** Bytes per shipped value. */
  public int bytes() {
    return this == FLOAT32 ? 4 : 2;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
