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
 * <p>Rows are (features, label): features an ML {@link Vector} or an array of numbers; the label a number or, for multi-label and multi-target regression, a
 * vector/array. Labels are encoded for the task: binary {0,1} or {-1,+1} become 0/1; multi-class
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
  private final int outputWidth;
  private final Task task;
  private final InvalidRows invalidRows;
  private final boolean sparse;

  /** A dense packer for rows feeding {@code spec}. */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows) {
    this(spec, invalidRows, false);
  }

  /** A packer for rows feeding {@code spec}: CSR blocks if {@code sparse}, else dense. */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows, boolean sparse) {
    this.sparse = sparse;
    this.featureWidth = spec.inputWidth();
    this.labelWidth = spec.labelWidth();
    this.outputWidth = spec.outputWidth();
    this.task = spec.task();
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
      return packSparse(partition, rows, fraction, seed, wantHeldOut);
    }
    float[] f = new float[Math.max(16, featureWidth * 256)];
    float[] l = new float[Math.max(16, labelWidth * 256)];
    long[] h = new long[256];
    float[] rowF = new float[featureWidth];
    float[] rowL = new float[labelWidth];
    int n = 0;
    long index = -1;
    long dropped = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      index++;
      readFeatures(row.get(0), rowF, partition, index);
      readLabel(row.get(1), rowL, partition, index);
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
      if (fraction > 0 || wantHeldOut) {
        boolean heldOut = RowHash.uniform(hash, seed, TrainerConstants.SPLIT_SALT) < fraction;
        if (heldOut != wantHeldOut) {
          continue;
        }
      }
      if ((long) (n + 1) * featureWidth > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("partition " + partition + " holds more than 2^31 "
            + "feature values; use more partitions (trainer.partitions)");
      }
      if ((n + 1) * featureWidth > f.length) {
        f = Arrays.copyOf(f, (int) Math.min(Integer.MAX_VALUE - 16, 2L * f.length + featureWidth));
      }
      if ((n + 1) * labelWidth > l.length) {
        l = Arrays.copyOf(l, 2 * l.length + labelWidth);
      }
      if (n + 1 > h.length) {
        h = Arrays.copyOf(h, 2 * h.length);
      }
      System.arraycopy(rowF, 0, f, n * featureWidth, featureWidth);
      System.arraycopy(rowL, 0, l, n * labelWidth, labelWidth);
      h[n] = hash;
      n++;
    }
    return hashOrdered(n, f, l, h, dropped);
  }

  /**
   * The block of the first n packed rows, reordered by ascending content hash: the block is then
   * the same whatever order its rows arrived in, and steps read their rows front to back.
   */
  private PackedBlock hashOrdered(int n, float[] f, float[] l, long[] h, long dropped) {
    long[] keys = Arrays.copyOf(h, n);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    RowHash.sortByKey(keys, idx, 0, n - 1);
    float[] fs = new float[n * featureWidth];
    float[] ls = new float[n * labelWidth];
    for (int i = 0; i < n; i++) {
      System.arraycopy(f, idx[i] * featureWidth, fs, i * featureWidth, featureWidth);
      System.arraycopy(l, idx[i] * labelWidth, ls, i * labelWidth, labelWidth);
    }
    return new PackedBlock(n, featureWidth, labelWidth, fs, ls, keys, dropped);
  }

  /** True if this packer writes CSR blocks. */
  public boolean sparse() {
    return sparse;
  }

  /** {@link #pack} into a CSR block: only the non-zero features of each row are stored. */
  private PackedBlock packSparse(int partition, Iterator<Row> rows, double fraction, long seed,
      boolean wantHeldOut) {
    int[] rowPtr = new int[257];
    int[] col = new int[4096];
    float[] val = new float[4096];
    float[] l = new float[Math.max(16, labelWidth * 256)];
    long[] h = new long[256];
    float[] rowL = new float[labelWidth];
    int n = 0;
    int nnz = 0;
    long index = -1;
    long dropped = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      index++;
      Object v = row.get(0);
      int rowNnz = nonZeros(v, partition, index);
      if ((long) nnz + rowNnz > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("partition " + partition + " holds more than 2^31 "
            + "non-zero features; use more partitions (trainer.partitions)");
      }
      if (nnz + rowNnz > col.length) {
        int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * col.length,
            (long) nnz + rowNnz));
        col = Arrays.copyOf(col, cap);
        val = Arrays.copyOf(val, cap);
      }
      readNonZeros(v, col, val, nnz);
      readLabel(row.get(1), rowL, partition, index);
      if (!finite(val, nnz, rowNnz) || !finite(rowL, 0, labelWidth)) {
        if (invalidRows == InvalidRows.DROP) {
          dropped++;
          continue;
        }
        throw new InvalidRowException("partition " + partition + ", row " + index
            + ": NaN or infinite value in the features or label (set data.invalid-rows = drop to "
            + "skip such rows)");
      }
      long hash = RowHash.ofSparse(featureWidth, col, val, nnz, rowNnz, rowL, 0, labelWidth);
      if (fraction > 0 || wantHeldOut) {
        boolean heldOut = RowHash.uniform(hash, seed, TrainerConstants.SPLIT_SALT) < fraction;
        if (heldOut != wantHeldOut) {
          continue;
        }
      }
      if (n + 2 > rowPtr.length) {
        rowPtr = Arrays.copyOf(rowPtr, 2 * rowPtr.length);
      }
      if ((n + 1) * labelWidth > l.length) {
        l = Arrays.copyOf(l, 2 * l.length + labelWidth);
      }
      if (n + 1 > h.length) {
        h = Arrays.copyOf(h, 2 * h.length);
      }
      System.arraycopy(rowL, 0, l, n * labelWidth, labelWidth);
      h[n] = hash;
      nnz += rowNnz;
      n++;
      rowPtr[n] = nnz;
    }
    // reorder by ascending content hash, as dense blocks are
    long[] keys = Arrays.copyOf(h, n);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    RowHash.sortByKey(keys, idx, 0, n - 1);
    int[] rp = new int[n + 1];
    int[] cs = new int[nnz];
    float[] vs = new float[nnz];
    float[] ls = new float[n * labelWidth];
    for (int i = 0; i < n; i++) {
      int from = rowPtr[idx[i]];
      int len = rowPtr[idx[i] + 1] - from;
      System.arraycopy(col, from, cs, rp[i], len);
      System.arraycopy(val, from, vs, rp[i], len);
      rp[i + 1] = rp[i] + len;
      System.arraycopy(l, idx[i] * labelWidth, ls, i * labelWidth, labelWidth);
    }
    return PackedBlock.sparse(n, featureWidth, labelWidth, rp, cs, vs, ls, keys, dropped);
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
      case MULTILABEL, REGRESSION -> {
        if (raw.length != labelWidth) {
          throw new IllegalArgumentException(where + ": label has " + raw.length
              + " values, but the network has " + labelWidth + " outputs");
        }
        for (int i = 0; i < labelWidth; i++) {
          if (task == Task.MULTILABEL && raw[i] != 0f && raw[i] != 1f) {
            throw new IllegalArgumentException(where + ": multi-label value " + raw[i]
                + " at position " + i + " is not 0 or 1");
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
