package io.sparkmlp.trainer;

/**
 * Size of the packed, cached training data.
 *
 * @param rows        rows packed
 * @param partitions  partitions (one block each)
 * @param cachedBytes payload held in the cache (features, dense or CSR; labels; row hashes)
 * @param rawBytes    rows x features x 4: the raw float32 size of the feature matrix
 * @param droppedRows rows dropped for NaN or infinite values
 */
public record DataReport(long rows, int partitions, long cachedBytes, long rawBytes,
    long droppedRows) {

  /** One-line human-readable summary. */
  public String describe() {
    double ratio = rawBytes == 0 ? 0.0 : (double) cachedBytes / rawBytes;
    return String.format("%,d rows in %d partitions, cached %s (raw float32 features "
        + "%.1f MiB, ratio %s)%s", rows, partitions, cachedBytes < 1 << 20
            ? String.format("%.1f KiB", cachedBytes / 1024.0)
            : String.format("%.1f MiB", cachedBytes / 1048576.0),
        rawBytes / 1048576.0, ratio >= 0.01 || ratio == 0 ? String.format("%.2f", ratio)
            : String.format("%.1e", ratio),
        droppedRows > 0 ? String.format(", %,d rows dropped for NaN/infinite values", droppedRows)
            : "");
  }
}
