package io.sparkmlp.trainer;

import java.util.Objects;

/**
 * One partition's training rows packed once into contiguous float32 arrays: a row-major feature
 * matrix (dense) or its CSR form (sparse), and a label array. This is what the trainer caches;
 * steps read it without touching per-row objects.
 *
 * <p>Dense: features [rows][featureWidth] row-major. Sparse (CSR): row r holds the entries
 * {@code rowPtr[r] .. rowPtr[r+1]-1}, each value {@code values[k]} at column {@code colIdx[k]}
 * (ascending within a row, non-zero); memory is proportional to the non-zeros, not to
 * rows x featureWidth. labels: [rows][labelWidth] (a class index for
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
  private final int[] rowPtr;
  private final int[] colIdx;
  private final float[] values;
  private final float[] labels;
  private final float[] weights;
  private final long[] rowHashes;
  private final long droppedRows;

  /**
   * Wraps dense packed arrays (not copied).
   *
   * @param rowHashes   [rows] content hash of each row ({@link RowHash}), ascending
   * @param droppedRows rows of the source partition that were skipped (non-finite values)
   */
  public PackedBlock(int rows, int featureWidth, int labelWidth, float[] features, float[] labels,
      long[] rowHashes, long droppedRows) {
    this(rows, featureWidth, labelWidth, features, labels, null, rowHashes, droppedRows);
  }

  /**
   * Wraps dense packed arrays with row weights (not copied).
   *
   * @param weights     [rows] non-negative row weights, or null for all ones
   * @param rowHashes   [rows] content hash of each row ({@link RowHash}), ascending
   * @param droppedRows rows of the source partition that were skipped (non-finite values)
   */
  public PackedBlock(int rows, int featureWidth, int labelWidth, float[] features, float[] labels,
      float[] weights, long[] rowHashes, long droppedRows) {
    this(rows, featureWidth, labelWidth, Objects.requireNonNull(features, "features"), null,
        null, null, labels, weights, rowHashes, droppedRows);
  }

  private PackedBlock(int rows, int featureWidth, int labelWidth, float[] features,
      int[] rowPtr, int[] colIdx, float[] values, float[] labels, float[] weights,
      long[] rowHashes, long droppedRows) {
    this.rows = rows;
    this.featureWidth = featureWidth;
    this.labelWidth = labelWidth;
    this.features = features;
    this.rowPtr = rowPtr;
    this.colIdx = colIdx;
    this.values = values;
    this.labels = Objects.requireNonNull(labels, "labels");
    this.weights = weights;
    this.rowHashes = Objects.requireNonNull(rowHashes, "rowHashes");
    this.droppedRows = droppedRows;
    boolean featuresFit = features != null ? (long) rows * featureWidth == features.length
        : rowPtr.length == rows + 1 && rowPtr[0] == 0 && rowPtr[rows] == colIdx.length
            && colIdx.length == values.length;
    if (!featuresFit || (long) rows * labelWidth != labels.length || rowHashes.length != rows
        || (weights != null && weights.length != rows)) {
      throw new IllegalArgumentException("packed block arrays do not match " + rows + " rows");
    }
    RowHash.requireAscending(rowHashes);
  }

  /**
   * Wraps sparse (CSR) packed arrays (not copied).
   *
   * @param rowPtr      [rows + 1] start of each row's entries, rowPtr[0] = 0, rowPtr[rows] = nnz
   * @param colIdx      [nnz] column of each entry, in [0, featureWidth)
   * @param values      [nnz] value of each entry
   * @param labels      [rows][labelWidth]
   * @param rowHashes   [rows] content hash of each row ({@link RowHash#ofSparse}), ascending
   * @param droppedRows rows of the source partition that were skipped (non-finite values)
   */
  public static PackedBlock sparse(int rows, int featureWidth, int labelWidth, int[] rowPtr,
      int[] colIdx, float[] values, float[] labels, long[] rowHashes, long droppedRows) {
    return sparse(rows, featureWidth, labelWidth, rowPtr, colIdx, values, labels, null,
        rowHashes, droppedRows);
  }

  /**
   * Wraps sparse (CSR) packed arrays with row weights (not copied); as
   * {@link #sparse(int, int, int, int[], int[], float[], float[], long[], long)}.
   *
   * @param weights [rows] non-negative row weights, or null for all ones
   */
  public static PackedBlock sparse(int rows, int featureWidth, int labelWidth, int[] rowPtr,
      int[] colIdx, float[] values, float[] labels, float[] weights, long[] rowHashes,
      long droppedRows) {
    return new PackedBlock(rows, featureWidth, labelWidth, null,
        Objects.requireNonNull(rowPtr, "rowPtr"), Objects.requireNonNull(colIdx, "colIdx"),
        Objects.requireNonNull(values, "values"), labels, weights, rowHashes, droppedRows);
  }

  /** True if the features are held in CSR form ({@link #rowPtr}, {@link #colIdx}, {@link #values}). */
  public boolean isSparse() {
    return features == null;
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

  /**
   * [rows][featureWidth] row-major.
   *
   * @throws IllegalStateException if the block is sparse
   */
  public float[] features() {
    if (features == null) {
      throw new IllegalStateException("a sparse block has no dense feature matrix");
    }
    return features;
  }

  /** Sparse blocks: [rows + 1] start of each row's entries; null for dense blocks. */
  public int[] rowPtr() {
    return rowPtr;
  }

  /** Sparse blocks: [nnz] column of each entry; null for dense blocks. */
  public int[] colIdx() {
    return colIdx;
  }

  /** Sparse blocks: [nnz] value of each entry; null for dense blocks. */
  public float[] values() {
    return values;
  }

  /** Stored feature values: rows x featureWidth (dense) or the non-zeros (sparse). */
  public long storedFeatures() {
    return features != null ? features.length : values.length;
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

  /**
   * Bytes of payload held: features (dense floats, or the CSR row starts, columns and values),
   * labels, weights and row hashes.
   */
  public long payloadBytes() {
    long f = features != null ? 4L * features.length
        : 4L * ((long) rowPtr.length + colIdx.length + values.length);
    return f + 4L * ((long) labels.length + (weights == null ? 0 : weights.length))
        + 8L * rowHashes.length;
  }
}
