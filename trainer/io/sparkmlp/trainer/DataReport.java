package io.sparkmlp.trainer;

/**
 * Size of the packed, cached training data.
 *
 * @param rows        rows packed
 * @param partitions  partitions (one block each)
 * @param cachedBytes float32 payload held in the cache (features, labels, row hashes)
 * @param rawBytes    rows x features x 4: the raw float32 size of the feature matrix
 * @param droppedRows rows dropped for NaN or infinite values
 */
public record DataReport(long rows, int partitions, long cachedBytes, long rawBytes,
    long droppedRows) {

  /** One-line human-readable summary. */
  public String describe() {
    return String.format("%,d rows in %d partitions, cached %.1f MiB (raw float32 features "
        + "%.1f MiB, ratio %.2f)%s", rows, partitions, cachedBytes / 1048576.0,
        rawBytes / 1048576.0, rawBytes == 0 ? 0.0 : (double) cachedBytes / rawBytes,
        droppedRows > 0 ? String.format(", %,d rows dropped for NaN/infinite values", droppedRows)
            : "");
  }
}
