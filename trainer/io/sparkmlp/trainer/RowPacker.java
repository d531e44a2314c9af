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
 * <p>Rows are (features, label): features an ML {@link Vector} (sparse vectors are densified) or
 * an array of numbers; the label a number or, for multi-label and multi-target regression, a
 * vector/array. Labels are encoded for the task: binary {0,1} or {-1,+1} become 0/1; multi-class
 * labels must be integers in [0, K); multi-label values must be 0 or 1. Rows with NaN or infinite
 * values fail the job with an error naming the partition and row, or are dropped and counted.
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

  /** A packer for rows (features, label) feeding {@code spec}, one task at a time per JVM. */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows) {
    this(spec, invalidRows, null, 1);
  }

  /**
   * A packer for rows feeding {@code spec}, (features, label, weight) when {@code weightColumn} is
   * not null, one task at a time per JVM.
   */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows, String weightColumn) {
    this(spec, invalidRows, weightColumn, 1);
  }

  /**
   * A packer for rows feeding {@code spec}: (features, label) when {@code weightColumn} is null,
   * else (features, label, weight), the weight column named in messages; run by up to
   * {@code concurrentTasks} tasks at once per executor: a block may grow to the heap's share of
   * one task ({@link MemoryBudget#checkBlock}).
   */
  public RowPacker(NetworkSpec spec, InvalidRows invalidRows, String weightColumn,
      int concurrentTasks) {
    this.concurrentTasks = concurrentTasks;
    this.weightColumn = weightColumn;
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
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      RowHash.sortByKey(keys, idx, 0, n - 1);
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
