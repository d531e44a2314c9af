package io.sparkmlp.jobs.data.score;

import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Workspace;
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
 * to {@link Mlp#MAX_CHUNK_ROWS}), their {@value PreparedData#FEATURES} vectors (dense or sparse) copied into
 * one float buffer, standardized, and run through {@link Mlp#forward} at once. The parameters
 * travel once per job as a broadcast; the kernel and its workspace are created once per partition.
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

  /** Rows per chunk for this network: {@link Mlp#MAX_CHUNK_ROWS}, fewer for very wide layers. */
  private int capacity() {
    long widest = spec.inputWidth();
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
    private int n;

    private Chunks(Iterator<Row> it) {
      this.it = it;
      int cap = capacity();
      this.ws = mlp.newWorkspace(cap);
      this.rows = new Row[cap];
    }

    /** Reads and scores the next chunk; false when the partition is exhausted. */
    boolean next() {
      float[] x = ws.inputBuffer();
      n = 0;
      while (n < rows.length && it.hasNext()) {
        Row r = it.next();
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
      if (!(v instanceof Vector vec)) {
        throw new IllegalArgumentException("features must be an ML vector, got "
            + (v == null ? "null" : v.getClass().getSimpleName()));
      }
      if (vec.size() != width) {
        throw new IllegalArgumentException("a row has " + vec.size()
            + " features but the model expects " + width);
      }
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
