package io.sparkmlp.trainer;

import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Packs the rows of one partition into a {@link PackedBlock} with a content hash per row, rows
 * ordered by that hash.
 *
 * <p>Rows are (features, label), or (features, label, weight) with a weight column: features an
 * ML {@link Vector} or an array of numbers; the label a number or, for multi-label and
 * multi-target regression, a vector/array; the weight a finite number &gt;= 0. Labels are encoded for the task: binary {0,1} or {-1,+1} become 0/1; multi-class
 * labels must be integers in [0, K); multi-label values must be 0 or 1. Rows with NaN or infinite
 * values fail the job with an error naming the partition and row, or are dropped and counted.
 *
 * <p>A dense packer writes every feature ([rows][featureWidth] floats; sparse vectors are
 * densified); a sparse packer keeps only the non-zero features of each row in CSR form
 * ({@link PackedBlock#sparse}), whatever the vector type, so its memory is proportional to the
 * non-zeros. See {@link SparseInput} for which one the trainer uses.
 */
public final class RowPacker implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What to do with a row holding NaN or infinite values. */
  public enum InvalidRows {
    /** Fail with an error naming the row. */
    FAIL,
    /** Skip the row and count it. */
    DROP
  }

  private final int featureWidth;
  private final int labelWidth;
  private final int concurrentTasks;
  private final int outputWidth;
  private final Task task;
  /** Targets must lie in [0, 1]: an autoencoder with sigmoid outputs and cross-entropy. */
  private final boolean unitTargets;
  private final InvalidRows invalidRows;
  private final String weightColumn;
  private final boolean sparse;

  /** A dense packer for rows (features, label) feeding {@code spec}, one task at a time per JVM. */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows) {
    this(spec, invalidRows, null, 1, false);
  }

  /**
   * A dense packer for rows feeding {@code spec}, (features, label, weight) when
   * {@code weightColumn} is not null, one task at a time per JVM.
   */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows, String weightColumn) {
    this(spec, invalidRows, weightColumn, 1, false);
  }

  /**
   * A packer for rows (features, label) feeding {@code spec}: CSR blocks if {@code sparse}, else
   * dense; one task at a time per JVM.
   */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows, boolean sparse) {
    this(spec, invalidRows, null, 1, sparse);
  }

  /**
   * A dense packer for rows feeding {@code spec}: (features, label) when {@code weightColumn} is
   * null, else (features, label, weight), the weight column named in messages; run by up to
   * {@code concurrentTasks} tasks at once per executor: a block may grow to the heap's share of
   * one task ({@link MemoryBudget#checkBlock}).
   */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows, String weightColumn,
      int concurrentTasks) {
    this(spec, invalidRows, weightColumn, concurrentTasks, false);
  }

  /**
   * A packer as {@link #RowPacker(NetworkSpec, InvalidRows, String, int)} that writes CSR blocks
   * (non-zero features only, {@link PackedBlock#sparse}) if {@code sparse}, else dense ones.
   */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows, String weightColumn,
      int concurrentTasks, boolean sparse) {
    this.concurrentTasks = concurrentTasks;
    this.weightColumn = weightColumn;
    this.sparse = sparse;
    this.featureWidth = spec.inputWidth();
    this.labelWidth = spec.labelWidth();
    this.outputWidth = spec.outputWidth();
    this.task = spec.task();
    this.unitTargets = task == Task.AUTOENCODER && spec.loss() == Task.Loss.SIGMOID_CROSS_ENTROPY;
    this.invalidRows = invalidRows;
  }

  /**
   * Packs rows whose split draw selects them: a row is kept when
   * {@code (uniform(hash, seed, SPLIT_SALT) < fraction) == wantHeldOut}; pass fraction 0 and
   * wantHeldOut false to keep every row.
   *
   * @param partition partition index, for error messages
   * @param rows      rows of (features, label)
   */
  public PackedBlock pack(int partition, Iterator<Row> rows, double fraction, long seed,
      boolean wantHeldOut) {
    if (sparse) {
      SparseBuffer keep = new SparseBuffer(featureWidth, labelWidth, weightColumn != null,
          concurrentTasks);
      long dropped = packSplitSparse(partition, rows, fraction, seed, wantHeldOut ? null : keep,
          wantHeldOut ? keep : null);
      return keep.hashOrdered(dropped);
    }
    Buffer keep = new Buffer(featureWidth, labelWidth, weightColumn != null, partition, concurrentTasks);
    long dropped = packSplit(partition, rows, fraction, seed, wantHeldOut ? null : keep,
        wantHeldOut ? keep : null);
    return keep.hashOrdered(dropped);
  }

  /**
   * Packs the rows of one partition into its training and held-out blocks in one pass over the
   * rows: a row is held out when {@code uniform(hash, seed, SPLIT_SALT) < fraction}. The two
   * blocks are exactly those of {@link #pack} with {@code wantHeldOut} false and true, and, as
   * there, each reports every row of the partition that was dropped for non-finite values.
   *
   * @param partition partition index, for error messages
   * @param rows      rows of (features, label)
   * @return {training block, held-out block}
   */
  public PackedBlock[] packSplit(int partition, Iterator<Row> rows, double fraction, long seed) {
    if (sparse) {
      SparseBuffer train = new SparseBuffer(featureWidth, labelWidth, weightColumn != null,
          concurrentTasks);
      SparseBuffer heldOut = new SparseBuffer(featureWidth, labelWidth, weightColumn != null,
          concurrentTasks);
      long dropped = packSplitSparse(partition, rows, fraction, seed, train, heldOut);
      return new PackedBlock[] {train.hashOrdered(dropped), heldOut.hashOrdered(dropped)};
    }
    Buffer train = new Buffer(featureWidth, labelWidth, weightColumn != null, partition, concurrentTasks);
    Buffer heldOut = new Buffer(featureWidth, labelWidth, weightColumn != null, partition, concurrentTasks);
    long dropped = packSplit(partition, rows, fraction, seed, train, heldOut);
    return new PackedBlock[] {train.hashOrdered(dropped), heldOut.hashOrdered(dropped)};
  }

  /**
   * Reads, checks and hashes every row, appending it to {@code train} or {@code heldOut} by its
   * split draw (a null buffer discards its rows; with fraction 0 no row is held out); returns the
   * rows dropped for non-finite values.
   */
  private long packSplit(int partition, Iterator<Row> rows, double fraction, long seed,
      Buffer train, Buffer heldOut) {
    float[] rowF = new float[featureWidth];
    float[] rowL = new float[labelWidth];
    long index = -1;
    long dropped = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      index++;
      readFeatures(row.get(0), rowF, partition, index);
      readLabel(row.get(1), rowL, partition, index);
      float rowW = weightColumn == null ? 1f : weight(row.get(2), partition, index);
      if (!finite(rowF) || !finite(rowL)) {
        if (invalidRows == InvalidRows.DROP) {
          dropped++;
          continue;
        }
        throw new InvalidRowException("partition " + partition + ", row " + index
            + ": NaN or infinite value in the features or label (set data.invalid-rows = drop to "
            + "skip such rows)");
      }
      long hash = RowHash.of(rowF, 0, featureWidth, rowL, 0, labelWidth);
      boolean held = fraction > 0
          && RowHash.uniform(hash, seed, TrainerConstants.SPLIT_SALT) < fraction;
      Buffer to = held ? heldOut : train;
      if (to != null) {
        to.add(rowF, rowL, rowW, hash);
      }
    }
    return dropped;
  }

  /** Growable row-major feature, label and hash arrays of the rows packed so far. */
  private static final class Buffer {
    private final int featureWidth;
    private final int labelWidth;
    private final int partition;
    private final int concurrentTasks;
    private float[] f;
    private float[] l;
    /** [capacity] row weights, or null when every row weighs 1. */
    private float[] w;
    private long[] h = new long[256];
    private int n;

    Buffer(int featureWidth, int labelWidth, boolean weighted, int partition,
        int concurrentTasks) {
      this.featureWidth = featureWidth;
      this.labelWidth = labelWidth;
      this.partition = partition;
      this.concurrentTasks = concurrentTasks;
      // room for 256 rows, or for as many as 64 MiB hold (at least one) when rows are wide
      long initialRows = Math.max(1, Math.min(256, (1 << 24) / Math.max(1, featureWidth)));
      long initial = Math.max(16, initialRows * featureWidth);
      MemoryBudget.checkBlock(partition, 0, featureWidth, initial + featureWidth, 0,
          concurrentTasks);
      f = new float[(int) initial];
      l = new float[Math.max(16, labelWidth * 256)];
      w = weighted ? new float[256] : null;
    }

    /** Appends one row, doubling the arrays when full (amortized O(1) per row). */
    void add(float[] rowF, float[] rowL, float rowW, long hash) {
      if ((long) (n + 1) * featureWidth > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("partition " + partition + " holds more than 2^31 "
            + "feature values; use more partitions (trainer.partitions)");
      }
      if ((n + 1) * featureWidth > f.length) {
        int grown = (int) Math.min(Integer.MAX_VALUE - 16, 2L * f.length + featureWidth);
        MemoryBudget.checkBlock(partition, n, featureWidth, grown, f.length, concurrentTasks);
        f = Arrays.copyOf(f, grown);
      }
      if ((n + 1) * labelWidth > l.length) {
        l = Arrays.copyOf(l, 2 * l.length + labelWidth);
      }
      if (n + 1 > h.length) {
        h = Arrays.copyOf(h, 2 * h.length);
        if (w != null) {
          w = Arrays.copyOf(w, h.length);
        }
      }
      if (w != null) {
        w[n] = rowW;
      }
      System.arraycopy(rowF, 0, f, n * featureWidth, featureWidth);
      System.arraycopy(rowL, 0, l, n * labelWidth, labelWidth);
      h[n] = hash;
      n++;
    }

    /**
     * The block of the rows added, reordered by ascending content hash: the block is then the
     * same whatever order its rows arrived in, and steps read their rows front to back.
     */
    PackedBlock hashOrdered(long dropped) {
      long[] keys = Arrays.copyOf(h, n);
      int[] idx = ascendingOrder(keys);
      float[] fs = new float[n * featureWidth];
      float[] ls = new float[n * labelWidth];
      float[] ws = w == null ? null : new float[n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(f, idx[i] * featureWidth, fs, i * featureWidth, featureWidth);
        System.arraycopy(l, idx[i] * labelWidth, ls, i * labelWidth, labelWidth);
        if (ws != null) {
          ws[i] = w[idx[i]];
        }
      }
      return new PackedBlock(n, featureWidth, labelWidth, fs, ls, ws, keys, dropped);
    }
  }

  /**
   * A row's weight: a finite number &gt;= 0.
   *
   * @throws InvalidRowException naming the partition, row and weight column otherwise
   */
  private float weight(Object v, int partition, long index) {
    String where = "partition " + partition + ", row " + index + ": weight column '"
        + weightColumn + "' ";
    if (!(v instanceof Number num)) {
      throw new InvalidRowException(where + (v == null ? "is missing" : "value " + v
          + " is not a number") + " (weights are finite numbers >= 0)");
    }
    double d = num.doubleValue();
    if (!Double.isFinite(d) || d < 0 || !Float.isFinite((float) d)) {
      throw new InvalidRowException(where + "has " + (Double.isNaN(d) ? "NaN"
          : d < 0 ? "the negative weight " + d : "the infinite weight " + d)
          + " (weights are finite numbers >= 0)");
    }
    return (float) d;
  }

  /** True if this packer writes CSR blocks. */
  public boolean sparse() {
    return sparse;
  }

  /**
   * {@link #packSplit(int, Iterator, double, long, Buffer, Buffer)} for CSR blocks: reads, checks
   * and hashes every row ({@link RowHash#ofSparse}), appending its non-zero features, label and
   * weight to {@code train} or {@code heldOut} by its split draw (a null buffer discards its
   * rows); returns the rows dropped for non-finite values.
   */
  private long packSplitSparse(int partition, Iterator<Row> rows, double fraction, long seed,
      SparseBuffer train, SparseBuffer heldOut) {
    int[] col = new int[256];
    float[] val = new float[256];
    float[] rowL = new float[labelWidth];
    long index = -1;
    long dropped = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      index++;
      Object v = row.get(0);
      int rowNnz = nonZeros(v, partition, index);
      if (rowNnz > col.length) {
        col = new int[Math.max(rowNnz, 2 * col.length)];
        val = new float[col.length];
      }
      readNonZeros(v, col, val, 0);
      readLabel(row.get(1), rowL, partition, index);
      float rowW = weightColumn == null ? 1f : weight(row.get(2), partition, index);
      if (!finite(val, 0, rowNnz) || !finite(rowL, 0, labelWidth)) {
        if (invalidRows == InvalidRows.DROP) {
          dropped++;
          continue;
        }
        throw new InvalidRowException("partition " + partition + ", row " + index
            + ": NaN or infinite value in the features or label (set data.invalid-rows = drop to "
            + "skip such rows)");
      }
      long hash = RowHash.ofSparse(featureWidth, col, val, 0, rowNnz, rowL, 0, labelWidth);
      boolean held = fraction > 0
          && RowHash.uniform(hash, seed, TrainerConstants.SPLIT_SALT) < fraction;
      SparseBuffer to = held ? heldOut : train;
      if (to != null) {
        to.add(col, val, rowNnz, rowL, rowW, hash, partition);
      }
    }
    return dropped;
  }

  /** Growable CSR arrays (row starts, columns, values), labels, weights and hashes of the rows. */
  private static final class SparseBuffer {
    private final int featureWidth;
    private final int labelWidth;
    private final int concurrentTasks;
    private int[] rowPtr = new int[257];
    private int[] col = new int[4096];
    private float[] val = new float[4096];
    private float[] l;
    /** [capacity] row weights, or null when every row weighs 1. */
    private float[] w;
    private long[] h = new long[256];
    private int n;
    private int nnz;

    SparseBuffer(int featureWidth, int labelWidth, boolean weighted, int concurrentTasks) {
      this.featureWidth = featureWidth;
      this.labelWidth = labelWidth;
      this.concurrentTasks = concurrentTasks;
      l = new float[Math.max(16, labelWidth * 256)];
      w = weighted ? new float[256] : null;
    }

    /**
     * Appends one row of {@code len} entries, doubling the arrays when full (within the task's
     * share of the heap, {@link MemoryBudget#checkSparseBlock}).
     */
    void add(int[] rowC, float[] rowV, int len, float[] rowL, float rowW, long hash,
        int partition) {
      if ((long) nnz + len > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("partition " + partition + " holds more than 2^31 "
            + "non-zero features; use more partitions (trainer.partitions)");
      }
      if (nnz + len > col.length) {
        int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * col.length,
            (long) nnz + len));
        MemoryBudget.checkSparseBlock(partition, n, cap, col.length, concurrentTasks);
        col = Arrays.copyOf(col, cap);
        val = Arrays.copyOf(val, cap);
      }
      if (n + 2 > rowPtr.length) {
        rowPtr = Arrays.copyOf(rowPtr, 2 * rowPtr.length);
      }
      if ((n + 1) * labelWidth > l.length) {
        l = Arrays.copyOf(l, 2 * l.length + labelWidth);
      }
      if (n + 1 > h.length) {
        h = Arrays.copyOf(h, 2 * h.length);
        if (w != null) {
          w = Arrays.copyOf(w, h.length);
        }
      }
      System.arraycopy(rowC, 0, col, nnz, len);
      System.arraycopy(rowV, 0, val, nnz, len);
      System.arraycopy(rowL, 0, l, n * labelWidth, labelWidth);
      if (w != null) {
        w[n] = rowW;
      }
      h[n] = hash;
      nnz += len;
      n++;
      rowPtr[n] = nnz;
    }

    /** The CSR block of the rows added, reordered by ascending content hash as dense blocks are. */
    PackedBlock hashOrdered(long dropped) {
      long[] keys = Arrays.copyOf(h, n);
      int[] idx = ascendingOrder(keys);
      int[] rp = new int[n + 1];
      int[] cs = new int[nnz];
      float[] vs = new float[nnz];
      float[] ls = new float[n * labelWidth];
      float[] ws = w == null ? null : new float[n];
      for (int i = 0; i < n; i++) {
        int from = rowPtr[idx[i]];
        int len = rowPtr[idx[i] + 1] - from;
        System.arraycopy(col, from, cs, rp[i], len);
        System.arraycopy(val, from, vs, rp[i], len);
        rp[i + 1] = rp[i] + len;
        System.arraycopy(l, idx[i] * labelWidth, ls, i * labelWidth, labelWidth);
        if (ws != null) {
          ws[i] = w[idx[i]];
        }
      }
      return PackedBlock.sparse(n, featureWidth, labelWidth, rp, cs, vs, ls, ws, keys, dropped);
    }
  }

  /**
   * Number of non-zero features of a row's features value (checking its type and size): at most
   * the number of stored entries of a sparse vector, and of non-zero values otherwise.
   */
  private int nonZeros(Object v, int partition, long index) {
    if (v instanceof SparseVector sv) {
      checkSize(sv.size(), partition, index);
      int c = 0;
      for (double x : sv.values()) {
        c += x != 0 ? 1 : 0;
      }
      return c;
    } else if (v instanceof Vector dv) {
      checkSize(dv.size(), partition, index);
      return dv.numNonzeros();
    } else if (v instanceof scala.collection.Seq<?> seq) {
      checkSize(seq.length(), partition, index);
      int c = 0;
      for (int i = 0; i < featureWidth; i++) {
        c += number(seq.apply(i), "feature", partition, index) != 0f ? 1 : 0;
      }
      return c;
    }
    throw new IllegalArgumentException("partition " + partition + ", row " + index
        + ": features must be a vector or an array of numbers, got "
        + (v == null ? "null" : v.getClass().getSimpleName()));
  }

  /**
   * Writes a row's non-zero features, in ascending column order, into col/val from {@code off}.
   * A value that is non-zero as a double but rounds to a float zero is kept (as a signed zero),
   * so that the count matches {@link #nonZeros}.
   */
  private void readNonZeros(Object v, int[] col, float[] val, int off) {
    int k = off;
    if (v instanceof SparseVector sv) {
      int[] idx = sv.indices();
      double[] x = sv.values();
      for (int i = 0; i < idx.length; i++) {
        if (x[i] != 0) {
          col[k] = idx[i];
          val[k++] = (float) x[i];
        }
      }
      if (!ascending(col, off, k)) {
        sortRow(col, val, off, k);
      }
    } else if (v instanceof Vector dv) {
      for (int i = 0; i < featureWidth; i++) {
        double x = dv.apply(i);
        if (x != 0) {
          col[k] = i;
          val[k++] = (float) x;
        }
      }
    } else {
      scala.collection.Seq<?> seq = (scala.collection.Seq<?>) v;
      for (int i = 0; i < featureWidth; i++) {
        float x = ((Number) seq.apply(i)).floatValue();
        if (x != 0f) {
          col[k] = i;
          val[k++] = x;
        }
      }
    }
  }

  private static boolean ascending(int[] col, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      if (col[i] <= col[i - 1]) {
        return false;
      }
    }
    return true;
  }

  /** Insertion sort of one row's entries by column (sparse vectors built unsorted). */
  private static void sortRow(int[] col, float[] val, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      int c = col[i];
      float x = val[i];
      int j = i - 1;
      while (j >= from && col[j] > c) {
        col[j + 1] = col[j];
        val[j + 1] = val[j];
        j--;
      }
      col[j + 1] = c;
      val[j + 1] = x;
    }
  }

  private static boolean finite(float[] a, int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (!Float.isFinite(a[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sorts {@code keys} ascending in place and returns the permutation applied: the row at
   * position i of a block in hash order is row {@code idx[i]} of the rows as they arrived.
   */
  private static int[] ascendingOrder(long[] keys) {
    int n = keys.length;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    RowHash.sortByKey(keys, idx, 0, n - 1);
    return idx;
  }

  private void readFeatures(Object v, float[] out, int partition, long index) {
    if (v instanceof SparseVector sv) {
      checkSize(sv.size(), partition, index);
      Arrays.fill(out, 0f);
      int[] idx = sv.indices();
      double[] val = sv.values();
      for (int i = 0; i < idx.length; i++) {
        out[idx[i]] = (float) val[i];
      }
    } else if (v instanceof Vector dv) {
      checkSize(dv.size(), partition, index);
      for (int i = 0; i < featureWidth; i++) {
        out[i] = (float) dv.apply(i);
      }
    } else if (v instanceof scala.collection.Seq<?> seq) {
      checkSize(seq.length(), partition, index);
      for (int i = 0; i < featureWidth; i++) {
        out[i] = number(seq.apply(i), "feature", partition, index);
      }
    } else {
      throw new IllegalArgumentException("partition " + partition + ", row " + index
          + ": features must be a vector or an array of numbers, got "
          + (v == null ? "null" : v.getClass().getSimpleName()));
    }
  }

  private void checkSize(int size, int partition, long index) {
    if (size != featureWidth) {
      throw new IllegalArgumentException("partition " + partition + ", row " + index + ": "
          + size + " features, but the network expects " + featureWidth);
    }
  }

  private void readLabel(Object v, float[] out, int partition, long index) {
    String where = "partition " + partition + ", row " + index;
    float[] raw;
    if (v instanceof Vector vec) {
      raw = new float[vec.size()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = (float) vec.apply(i);
      }
    } else if (v instanceof scala.collection.Seq<?> seq) {
      raw = new float[seq.length()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = number(seq.apply(i), "label", partition, index);
      }
    } else {
      raw = new float[] {number(v, "label", partition, index)};
    }
    switch (task) {
      case BINARY -> {
        single(raw, where);
        float y = raw[0];
        if (y == 1f) {
          out[0] = 1f;
        } else if (y == 0f || y == -1f) {
          out[0] = 0f;
        } else {
          throw new IllegalArgumentException(where + ": binary label " + y
              + " is not one of {0, 1} or {-1, +1}");
        }
      }
      case MULTICLASS -> {
        single(raw, where);
        float y = raw[0];
        if (y != Math.rint(y)) {
          throw new IllegalArgumentException(where + ": class label " + y + " is not an integer");
        }
        if (y < 0 || y >= outputWidth) {
          throw new IllegalArgumentException(where + ": class label " + (long) y
              + " is outside the configured classes 0.." + (outputWidth - 1));
        }
        out[0] = y;
      }
      case MULTILABEL, REGRESSION, AUTOENCODER -> {
        if (raw.length != labelWidth) {
          throw new IllegalArgumentException(where + ": label has " + raw.length
              + " values, but the network has " + labelWidth + " outputs");
        }
        for (int i = 0; i < labelWidth; i++) {
          if (task == Task.MULTILABEL && raw[i] != 0f && raw[i] != 1f) {
            throw new IllegalArgumentException(where + ": multi-label value " + raw[i]
                + " at position " + i + " is not 0 or 1");
          }
          if (unitTargets && !(raw[i] >= 0f && raw[i] <= 1f)) {
            throw new IllegalArgumentException(where + ": feature " + i + " = " + raw[i]
                + " is outside [0, 1], which binary cross-entropy reconstruction needs (use "
                + "network.loss = mse, or scale the features to [0, 1])");
          }
          out[i] = raw[i];
        }
      }
      default -> throw new IllegalStateException(task.name());
    }
  }

  private static void single(float[] raw, String where) {
    if (raw.length != 1) {
      throw new IllegalArgumentException(where + ": expected one label value, got " + raw.length);
    }
  }

  private static float number(Object o, String what, int partition, long index) {
    if (o instanceof Number num) {
      return num.floatValue();
    }
    throw new IllegalArgumentException("partition " + partition + ", row " + index + ": " + what
        + " value " + o + " is not a number");
  }

  private static boolean finite(float[] a) {
    for (float v : a) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
