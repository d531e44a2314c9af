package io.sparkmlp.jobs.data.score;

import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Workspace;
import io.sparkmlp.trainer.SparseInput;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A network's batched forward pass over the rows of a partition: rows are gathered in chunks (up
 * to {@link Mlp#MAX_CHUNK_ROWS}), their {@value PreparedData#FEATURES} vectors (dense or sparse)
 * copied into one float buffer, standardized, and run through {@link Mlp#forward} at once. The
 * parameters travel once per job as a broadcast; the kernel and its workspace are created once per
 * partition.
 *
 * <p>Sparse input is scored without densifying: when the model has no standardization (sparse
 * models have none: centering would densify) and a partition's first row is a sparse vector with
 * a density below {@link SparseInput#DENSITY_THRESHOLD}, the partition's rows are gathered in CSR
 * form (non-zeros only) and run through {@link Mlp#forwardSparse}, the same sparse first layer as
 * training. The two paths give the same outputs up to float rounding.
 *
 * <p>Serializable: it is the closure shipped to executors.
 */
final class BatchScorer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Upper bound on the floats of one chunk's widest buffer. */
  private static final long MAX_CHUNK_FLOATS = 16L << 20;

  private final NetworkSpec spec;
  private final Broadcast<float[]> params;
  private final Standardization std;
  private final int featureIndex;

  private BatchScorer(NetworkSpec spec, Broadcast<float[]> params, Standardization std,
      int featureIndex) {
    this.spec = spec;
    this.params = params;
    this.std = std;
    this.featureIndex = featureIndex;
  }

  /**
   * Checks the model against the rows' schema and broadcasts the parameters. The broadcast lives as
   * long as the datasets built on it; Spark's cleaner removes it once they are unreachable.
   *
   * @throws IllegalArgumentException if the parameters, standardization or schema do not fit
   */
  static BatchScorer of(Dataset<Row> rows, NetworkSpec spec, float[] params,
      Standardization stdOrNull) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(params, "params");
    int expected = new ParamLayout(spec).size();
    if (params.length != expected) {
      throw new IllegalArgumentException("params has " + params.length + " floats but network "
          + spec.describe() + " has " + expected + " parameters");
    }
    if (stdOrNull != null && stdOrNull.size() != spec.inputWidth()) {
      throw new IllegalArgumentException("standardization has " + stdOrNull.size()
          + " features but the network's input width is " + spec.inputWidth());
    }
    int fi = Arrays.asList(rows.schema().fieldNames()).indexOf(PreparedData.FEATURES);
    if (fi < 0) {
      throw new IllegalArgumentException("rows have no '" + PreparedData.FEATURES
          + "' column; columns: " + Arrays.toString(rows.schema().fieldNames()));
    }
    SparkSession spark = rows.sparkSession();
    Broadcast<float[]> bc = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(params.clone());
    return new BatchScorer(spec, bc, stdOrNull, fi);
  }

  /** The network. */
  NetworkSpec spec() {
    return spec;
  }

  /** Chunks of one partition's rows with their network outputs. */
  Chunks chunks(Iterator<Row> rows) {
    return new Chunks(rows);
  }

  /**
   * Rows per chunk for this network: {@link Mlp#MAX_CHUNK_ROWS}, fewer for very wide layers (the
   * input counts only for dense input).
   */
  private int capacity(boolean sparse) {
    long widest = sparse ? 1 : spec.inputWidth();
    for (int l = 0; l < spec.numLayers(); l++) {
      widest = Math.max(widest, spec.fanOut(l));
    }
    return (int) Math.max(1, Math.min(Mlp.MAX_CHUNK_ROWS, MAX_CHUNK_FLOATS / widest));
  }

  /**
   * A cursor over one partition: {@link #next} reads up to one chunk of rows and runs the network
   * on them; {@link #row} and {@link #outputs} then describe that chunk.
   */
  final class Chunks {
    private final Iterator<Row> it;
    private final Mlp mlp = new Mlp(spec);
    private final Workspace ws;
    private final float[] weights = params.value();
    private final Row[] rows;
    private final int width = spec.inputWidth();
    /** CSR gather buffers (sparse partitions only; the non-zero buffers grow as needed). */
    private final int[] rowPtr;
    private int[] colIdx;
    private float[] values;
    private Row pending;
    private int n;

    private Chunks(Iterator<Row> it) {
      this.it = it;
      this.pending = it.hasNext() ? it.next() : null;
      boolean sparse = pending != null && sparseRow(pending.get(featureIndex));
      int cap = capacity(sparse);
      this.ws = sparse ? mlp.newSparseWorkspace(cap) : mlp.newWorkspace(cap);
      this.rows = new Row[cap];
      this.rowPtr = sparse ? new int[cap + 1] : null;
      this.colIdx = sparse ? new int[16 * cap] : null;
      this.values = sparse ? new float[16 * cap] : null;
    }

    /** True if rows like {@code v} are scored in CSR form (see the class comment). */
    private boolean sparseRow(Object v) {
      // an autoencoder's error compares with the dense input row, so it is scored densely
      return std == null && spec.task() != io.sparkmlp.model.Task.AUTOENCODER
          && v instanceof SparseVector sv
          && (double) sv.numActives() / Math.max(1, sv.size()) < SparseInput.DENSITY_THRESHOLD;
    }

    /** Reads and scores the next chunk; false when the partition is exhausted. */
    boolean next() {
      n = 0;
      if (rowPtr != null) {
        return nextSparse();
      }
      float[] x = ws.inputBuffer();
      while (n < rows.length && (pending != null || it.hasNext())) {
        Row r = take();
        copyFeatures(r.get(featureIndex), x, n * width);
        rows[n++] = r;
      }
      if (n == 0) {
        return false;
      }
      if (std != null) {
        std.applyInPlace(x, 0, n);
      }
      mlp.forward(weights, x, 0, n, ws);
      return true;
    }

    private Row take() {
      if (pending != null) {
        Row r = pending;
        pending = null;
        return r;
      }
      return it.next();
    }

    /** A chunk gathered as CSR rows: only the non-zero features are copied. */
    private boolean nextSparse() {
      int k = 0;
      while (n < rows.length && (pending != null || it.hasNext())) {
        Row r = take();
        Vector vec = vector(r.get(featureIndex));
        int stored = vec instanceof SparseVector sv ? sv.numActives() : width;
        if (k + stored > colIdx.length) {
          int grown = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * colIdx.length,
              (long) k + stored));
          colIdx = Arrays.copyOf(colIdx, grown);
          values = Arrays.copyOf(values, grown);
        }
        if (vec instanceof SparseVector sv) {
          int[] idx = sv.indices();
          double[] val = sv.values();
          for (int i = 0; i < idx.length; i++) {
            colIdx[k] = idx[i];
            values[k++] = (float) val[i];
          }
        } else {
          for (int i = 0; i < width; i++) {
            double v = vec.apply(i);
            if (v != 0) {
              colIdx[k] = i;
              values[k++] = (float) v;
            }
          }
        }
        rowPtr[n + 1] = k;
        rows[n++] = r;
      }
      if (n == 0) {
        return false;
      }
      mlp.forwardSparse(weights, rowPtr, 0, colIdx, values, n, ws);
      return true;
    }

    private Vector vector(Object v) {
      if (!(v instanceof Vector vec)) {
        throw new IllegalArgumentException("features must be an ML vector, got "
            + (v == null ? "null" : v.getClass().getSimpleName()));
      }
      if (vec.size() != width) {
        throw new IllegalArgumentException("a row has " + vec.size()
            + " features but the model expects " + width);
      }
      return vec;
    }

    /** Rows in the current chunk. */
    int size() {
      return n;
    }

    /** Row {@code i} of the current chunk. */
    Row row(int i) {
      return rows[i];
    }

    /** Outputs of the current chunk, [size][outputWidth] row-major. */
    float[] outputs() {
      return ws.outputs();
    }

    /**
     * The network inputs of the current chunk, [size][inputWidth] row-major: the rows' features
     * after the model's standardization (an autoencoder's targets).
     */
    float[] inputs() {
      return ws.inputBuffer();
    }

    /**
     * Activations of an autoencoder's bottleneck layer for the current chunk, [size][codeWidth]
     * row-major: the forward pass up to and including that layer's activation.
     *
     * @throws IllegalStateException if the network has no bottleneck layer
     */
    float[] codes() {
      if (spec.bottleneck() < 0) {
        throw new IllegalStateException("network " + spec.describe() + " has no bottleneck");
      }
      return ws.hiddenActivations(spec.bottleneck());
    }

    /**
     * Reconstruction error of row {@code i} of the current chunk (autoencoders): the mean over the
     * d inputs of (output_j - input_j)^2, both in the network's input space (standardized features
     * when the model standardizes).
     */
    double reconstructionError(int i) {
      return squaredError(ws.outputs(), ws.inputBuffer(), i * width, width) / width;
    }

    private void copyFeatures(Object v, float[] x, int off) {
      Vector vec = vector(v);
      if (vec instanceof SparseVector sv) {
        Arrays.fill(x, off, off + width, 0f);
        int[] idx = sv.indices();
        double[] val = sv.values();
        for (int k = 0; k < idx.length; k++) {
          x[off + idx[k]] = (float) val[k];
        }
      } else if (vec instanceof DenseVector dv) {
        double[] val = dv.values();
        for (int i = 0; i < width; i++) {
          x[off + i] = (float) val[i];
        }
      } else {
        for (int i = 0; i < width; i++) {
          x[off + i] = (float) vec.apply(i);
        }
      }
    }
  }

  /** sum_j (a[off + j] - b[off + j])^2 over j &lt; d, accumulated in double. */
  static double squaredError(float[] a, float[] b, int off, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double e = (double) a[off + j] - b[off + j];
      s += e * e;
    }
    return s;
  }
}
