package io.sparkmlp.trainer;

import java.util.Objects;

/**
 * One partition's training rows packed once into contiguous float32 arrays: a row-major feature
 * matrix and a label array. This is what the trainer caches; steps read it without touching
 * per-row objects.
 *
 * <p>features: [rows][featureWidth] row-major; labels: [rows][labelWidth] (a class index for
 * multi-class, 0/1 for binary, values for regression and multi-label). Rows are in ascending order
 * of their content hash ({@link RowHash}), so a block does not depend on the order in which its
 * rows arrived.
 */
public final class PackedBlock implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int featureWidth;
  private final int labelWidth;
  private final float[] features;
  private final float[] labels;
  private final float[] weights;
  private final long[] rowHashes;
  private final long droppedRows;

  /**
   * Wraps packed arrays (not copied).
   *
   * @param rowHashes   [rows] content hash of each row ({@link RowHash}), ascending
   * @param droppedRows rows of the source partition that were skipped (non-finite values)
   */
  public PackedBlock(int rows, int featureWidth, int labelWidth, float[] features, float[] labels,
      long[] rowHashes, long droppedRows) {
    this(rows, featureWidth, labelWidth, features, labels, null, rowHashes, droppedRows);
  }

  /**
   * Wraps packed arrays with row weights (not copied).
   *
   * @param weights     [rows] non-negative row weights, or null for all ones
   * @param rowHashes   [rows] content hash of each row ({@link RowHash}), ascending
   * @param droppedRows rows of the source partition that were skipped (non-finite values)
   */
  public PackedBlock(int rows, int featureWidth, int labelWidth, float[] features, float[] labels,
      float[] weights, long[] rowHashes, long droppedRows) {
    this.rows = rows;
    this.featureWidth = featureWidth;
    this.labelWidth = labelWidth;
    this.features = Objects.requireNonNull(features, "features");
    this.labels = Objects.requireNonNull(labels, "labels");
    this.weights = weights;
    this.rowHashes = Objects.requireNonNull(rowHashes, "rowHashes");
    this.droppedRows = droppedRows;
    if ((long) rows * featureWidth != features.length || (long) rows * labelWidth != labels.length
        || rowHashes.length != rows || (weights != null && weights.length != rows)) {
      throw new IllegalArgumentException("packed block arrays do not match " + rows + " rows");
    }
    RowHash.requireAscending(rowHashes);
  }

  /** Number of rows. */
  public int rows() {
    return rows;
  }

  /** Features per row. */
  public int featureWidth() {
    return featureWidth;
  }

  /** Label floats per row. */
  public int labelWidth() {
    return labelWidth;
  }

  /** [rows][featureWidth] row-major. */
  public float[] features() {
    return features;
  }

  /** [rows][labelWidth] row-major. */
  public float[] labels() {
    return labels;
  }

  /** [rows] row weights, or null when every row weighs 1. */
  public float[] weights() {
    return weights;
  }

  /** [rows] content hash of each row, which fixes its split and its step in each epoch. */
  public long[] rowHashes() {
    return rowHashes;
  }

  /** Rows skipped while packing because they held NaN or infinite values. */
  public long droppedRows() {
    return droppedRows;
  }

  /** Bytes of float32 payload held (features, labels, weights and row hashes). */
  public long payloadBytes() {
    return 4L * ((long) features.length + labels.length + (weights == null ? 0 : weights.length))
        + 8L * rowHashes.length;
  }
}
