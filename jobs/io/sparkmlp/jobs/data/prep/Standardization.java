package io.sparkmlp.jobs.data.prep;

import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.trainer.SparkErrors;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;

/**
 * Per-feature centering and scaling, x' = (x - mean) / std, as stored in a saved model's
 * {@code featureMean} and {@code featureStd}.
 *
 * @param mean per-feature mean, finite
 * @param std  per-feature population standard deviation, finite and positive (1 for constant
 *             features)
 */
public record Standardization(float[] mean, float[] std) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Validates and copies the arrays. */
  public Standardization {
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(std, "std");
    if (mean.length != std.length) {
      throw new IllegalArgumentException(
          "mean has " + mean.length + " values but std has " + std.length);
    }
    for (int i = 0; i < mean.length; i++) {
      if (!Float.isFinite(mean[i])) {
        throw new IllegalArgumentException("feature mean[" + i + "] = " + mean[i]
            + " is not finite");
      }
      if (!Float.isFinite(std[i]) || !(std[i] > 0f)) {
        throw new IllegalArgumentException("feature std[" + i + "] = " + std[i]
            + " is not finite and positive");
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /**
   * Mean and population standard deviation of every feature, in one distributed pass over the
   * {@value PreparedData#FEATURES} column (dense or sparse vectors). Each partition keeps running
   * moments (Welford); the driver merges them in partition order, so the result does not depend
   * on scheduling. A feature whose std is 0 (constant) or too small for a float gets std 1.
   *
   * @throws IllegalArgumentException if there are no rows or a value is NaN or infinite
   */
  public static Standardization fit(Dataset<Row> rows) {
    return fit(rows, null);
  }

  /**
   * As {@link #fit(Dataset)}, naming a feature by {@code namesOrNull} (when known) in messages.
   *
   * @throws IllegalArgumentException if there are no rows or a value is NaN or infinite
   */
  public static Standardization fit(Dataset<Row> rows, List<String> namesOrNull) {
    List<double[]> parts;
    try {
      parts = rows.select(PreparedData.FEATURES).javaRDD()
          .mapPartitions(Standardization::moments).collect();
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
    double[] total = null;
    for (double[] p : parts) {
      if (p.length == 1) {
        continue;
      }
      total = total == null ? p : merge(total, p);
    }
    if (total == null) {
      throw new IllegalArgumentException("cannot standardize features: the data is empty");
    }
    int d = (total.length - 1) / 2;
    double n = total[0];
    float[] mean = new float[d];
    float[] std = new float[d];
    for (int i = 0; i < d; i++) {
      mean[i] = (float) total[1 + i];
      float s = (float) Math.sqrt(total[1 + d + i] / n);
      std[i] = s > 0f && Float.isFinite(s) ? s : 1f;
      if (!Float.isFinite(mean[i])) {
        throw new IllegalArgumentException("cannot standardize feature " + i
            + (namesOrNull != null && i < namesOrNull.size() ? " ('" + namesOrNull.get(i) + "')"
                : "") + ": it has NaN or infinite values (data.invalid-rows = drop drops such "
            + "rows only while packing, after standardization; clean the input or set "
            + "data.standardize = false)");
      }
    }
    return new Standardization(mean, std);
  }

  /** Running moments of one partition: {n, mean[d], m2[d]}, or {0} if it is empty. */
  private static Iterator<double[]> moments(Iterator<Row> it) {
    double n = 0;
    double[] mean = null;
    double[] m2 = null;
    double[] x = null;
    while (it.hasNext()) {
      Vector v = (Vector) it.next().get(0);
      if (mean == null) {
        mean = new double[v.size()];
        m2 = new double[v.size()];
        x = new double[v.size()];
      } else if (v.size() != mean.length) {
        throw new IllegalArgumentException("feature vectors have different sizes: "
            + mean.length + " and " + v.size());
      }
      dense(v, x);
      n++;
      for (int i = 0; i < x.length; i++) {
        double delta = x[i] - mean[i];
        mean[i] += delta / n;
        m2[i] += delta * (x[i] - mean[i]);
      }
    }
    if (mean == null) {
      return List.of(new double[] {0}).iterator();
    }
    double[] out = new double[1 + 2 * mean.length];
    out[0] = n;
    System.arraycopy(mean, 0, out, 1, mean.length);
    System.arraycopy(m2, 0, out, 1 + mean.length, mean.length);
    List<double[]> l = new ArrayList<>(1);
    l.add(out);
    return l.iterator();
  }

  /** Chan et al.'s pairwise merge of two {n, mean[d], m2[d]} records. */
  private static double[] merge(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("feature vectors have different sizes: "
          + (a.length - 1) / 2 + " and " + (b.length - 1) / 2);
    }
    int d = (a.length - 1) / 2;
    double na = a[0];
    double nb = b[0];
    double n = na + nb;
    double[] out = new double[a.length];
    out[0] = n;
    for (int i = 0; i < d; i++) {
      double delta = b[1 + i] - a[1 + i];
      out[1 + i] = a[1 + i] + delta * nb / n;
      out[1 + d + i] = a[1 + d + i] + b[1 + d + i] + delta * delta * na * nb / n;
    }
    return out;
  }

  /**
   * Copies {@code v} into {@code out} (zeros for sparse gaps).
   *
   * @param v   a dense or sparse vector
   * @param out {@code v.size()} values, overwritten
   */
  public static void dense(Vector v, double[] out) {
    if (v instanceof SparseVector sv) {
      Arrays.fill(out, 0.0);
      int[] idx = sv.indices();
      double[] val = sv.values();
      for (int k = 0; k < idx.length; k++) {
        out[idx[k]] = val[k];
      }
    } else if (v instanceof DenseVector dv) {
      System.arraycopy(dv.values(), 0, out, 0, out.length);
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = v.apply(i);
      }
    }
  }

  /** Number of features. */
  public int size() {
    return mean.length;
  }

  /**
   * Replaces the {@value PreparedData#FEATURES} column with its standardized values as dense
   * vectors; other columns are unchanged. Lazy.
   *
   * @throws IllegalArgumentException (when the rows are computed) if a vector's size differs
   */
  public Dataset<Row> apply(Dataset<Row> rows) {
    float[] m = mean.clone();
    float[] s = std.clone();
    UserDefinedFunction f = functions.udf((UDF1<Vector, Vector>) v -> {
      if (v == null) {
        return null;
      }
      if (v.size() != m.length) {
        throw new IllegalArgumentException("feature vector has " + v.size()
            + " values but the standardization has " + m.length);
      }
      double[] x = new double[m.length];
      dense(v, x);
      for (int i = 0; i < x.length; i++) {
        x[i] = (x[i] - m[i]) / s[i];
      }
      return Vectors.dense(x);
    }, SQLDataTypes.VectorType());
    return rows.withColumn(PreparedData.FEATURES, f.apply(functions.col(PreparedData.FEATURES)));
  }

  /**
   * Standardizes {@code rowsCount} rows of row-major {@code x} (from {@code off}) in place:
   * {@code x[r][i] = (x[r][i] - mean[i]) / std[i]}, rows of {@code mean().length} values.
   *
   * @param x         row-major features
   * @param off       index of the first row's first value
   * @param rowsCount number of rows
   */
  public void applyInPlace(float[] x, int off, int rowsCount) {
    int d = mean.length;
    for (int r = 0; r < rowsCount; r++) {
      int base = off + r * d;
      for (int i = 0; i < d; i++) {
        x[base + i] = (x[base + i] - mean[i]) / std[i];
      }
    }
  }

  /** A copy of the means. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** A copy of the standard deviations. */
  @Override
  public float[] std() {
    return std.clone();
  }

  /** Element-wise equality of both arrays. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Standardization s && Arrays.equals(mean, s.mean)
        && Arrays.equals(std, s.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  /** The feature count only, for logs. */
  @Override
  public String toString() {
    return "Standardization[" + mean.length + " features]";
  }
}
