package io.sparkmlp.jobs.data.prep;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.stddev_pop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.ParamLayout;
import io.sparkmlp.model.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Standardized regression targets: the network is trained on (y - mean) / std per target, with
 * the mean and population standard deviation of the training rows, and the scaling is then folded
 * into the output layer ({@link #fold}: W' = std * W, b' = std * b + mean), so that the saved
 * network predicts in the original units and evaluate, predict and ONNX export need nothing more.
 *
 * @param mean per-target mean of the training rows
 * @param std  per-target population standard deviation (1 for a constant target)
 */
public record TargetScaler(double[] mean, double[] std) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Validates and copies. */
  public TargetScaler {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std need one value per target");
    }
    for (int j = 0; j < mean.length; j++) {
      if (!Double.isFinite(mean[j]) || !Double.isFinite(std[j]) || !(std[j] > 0)) {
        throw new IllegalArgumentException("target " + j + ": mean " + mean[j] + " and std "
            + std[j] + " must be finite, std positive");
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /**
   * Mean and standard deviation of every target of the training rows, in one pass.
   *
   * @param rows    prepared training rows (label a double or a vector of {@code targets})
   * @param targets number of targets
   */
  public static TargetScaler fit(Dataset<Row> rows, int targets) {
    boolean vector = rows.schema().apply(PreparedData.LABEL).dataType() instanceof VectorUDT;
    Column y = col(PreparedData.LABEL);
    Column arr = vector ? org.apache.spark.ml.functions.vector_to_array(y, "float64") : null;
    List<Column> aggs = new ArrayList<>();
    for (int j = 0; j < targets; j++) {
      Column v = vector ? element_at(arr, j + 1) : y.cast(DataTypes.DoubleType);
      aggs.add(avg(v));
      aggs.add(stddev_pop(v));
    }
    Row r = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    double[] mean = new double[targets];
    double[] std = new double[targets];
    for (int j = 0; j < targets; j++) {
      if (r.isNullAt(2 * j)) {
        throw new IllegalArgumentException("cannot standardize the targets: no training rows");
      }
      mean[j] = r.getDouble(2 * j);
      double s = r.getDouble(2 * j + 1);
      std[j] = s > 0 && Double.isFinite(s) ? s : 1.0;
    }
    return new TargetScaler(mean, std);
  }

  /** Number of targets. */
  public int size() {
    return mean.length;
  }

  /** The rows with {@value PreparedData#LABEL} standardized. Lazy. */
  public Dataset<Row> apply(Dataset<Row> rows) {
    double[] m = mean.clone();
    double[] s = std.clone();
    boolean vector = rows.schema().apply(PreparedData.LABEL).dataType() instanceof VectorUDT;
    if (!vector) {
      return rows.withColumn(PreparedData.LABEL,
          col(PreparedData.LABEL).minus(m[0]).divide(s[0]));
    }
    var f = functions.udf((UDF1<Vector, Vector>) v -> {
      double[] x = v.toArray();
      for (int j = 0; j < x.length; j++) {
        x[j] = (x[j] - m[j]) / s[j];
      }
      return Vectors.dense(x);
    }, SQLDataTypes.VectorType());
    return rows.withColumn(PreparedData.LABEL, f.apply(col(PreparedData.LABEL)));
  }

  /**
   * The parameters of a network trained on standardized targets, changed to predict the original
   * targets: the output layer's rows and biases scaled by std, the biases shifted by mean.
   *
   * @throws IllegalArgumentException unless {@code spec} is a regression network with one output
   *     per target
   */
  public float[] fold(NetworkSpec spec, float[] params) {
    if (spec.task() != Task.REGRESSION || spec.outputWidth() != mean.length) {
      throw new IllegalArgumentException("target scaling of " + mean.length
          + " targets does not fit network " + spec.describe());
    }
    ParamLayout layout = new ParamLayout(spec);
    int last = layout.numLayers() - 1;
    int in = layout.fanIn(last);
    float[] out = params.clone();
    for (int j = 0; j < mean.length; j++) {
      int w = layout.weightOffset(last) + j * in;
      for (int i = 0; i < in; i++) {
        out[w + i] = (float) (out[w + i] * std[j]);
      }
      int b = layout.biasOffset(last) + j;
      out[b] = (float) (out[b] * std[j] + mean[j]);
    }
    return out;
  }

  /** {@code {"mean": [...], "std": [...], "folded_into_output_layer": true}}. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ArrayNode m = o.putArray("mean");
    ArrayNode s = o.putArray("std");
    for (int j = 0; j < mean.length; j++) {
      m.add(mean[j]);
      s.add(std[j]);
    }
    o.put("folded_into_output_layer", true);
    return o;
  }

  /** Reads {@link #toJson}'s form, or null for a null node. */
  public static TargetScaler fromJson(JsonNode o) {
    if (o == null || o.isNull()) {
      return null;
    }
    JsonNode m = o.get("mean");
    JsonNode s = o.get("std");
    if (m == null || s == null || !m.isArray() || !s.isArray() || m.size() != s.size()) {
      throw new IllegalArgumentException("preparation.target needs arrays mean and std of one "
          + "size");
    }
    double[] mean = new double[m.size()];
    double[] std = new double[s.size()];
    for (int j = 0; j < mean.length; j++) {
      mean[j] = m.get(j).asDouble(Double.NaN);
      std[j] = s.get(j).asDouble(Double.NaN);
    }
    return new TargetScaler(mean, std);
  }

  /** A copy of the per-target means. */
  @Override
  public double[] mean() {
    return mean.clone();
  }

  /** A copy of the per-target standard deviations. */
  @Override
  public double[] std() {
    return std.clone();
  }

  /** Element-wise equality of both arrays. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TargetScaler t && java.util.Arrays.equals(mean, t.mean)
        && java.util.Arrays.equals(std, t.std);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(mean) + java.util.Arrays.hashCode(std);
  }

  /** Means and standard deviations, for logs. */
  @Override
  public String toString() {
    return "TargetScaler[mean " + java.util.Arrays.toString(mean) + ", std "
        + java.util.Arrays.toString(std) + "]";
  }
}
