package io.sparkmlp.jobs.data.score;

import io.sparkmlp.jobs.data.LabelMapping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.report.ReportCurves;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Metrics of weighted rows against hand-computed weighted figures (scikit-learn's
 * {@code sample_weight} semantics), and weights of 1 giving the unweighted figures.
 */
class WeightedMetricsTest {
  private static final double TOL = 1e-9;

  /** Rows (features, label, weight) from {x..., label, weight} arrays. */
  private static Dataset<Row> data(int partitions, double[]... rows) {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
    List<Row> out = new ArrayList<>();
    for (double[] r : rows) {
      double[] x = java.util.Arrays.copyOf(r, r.length - 2);
      out.add(RowFactory.create(Vectors.dense(x), r[r.length - 2], r[r.length - 1]));
    }
    return SharedSpark.session().createDataFrame(SharedSpark.jsc().parallelize(out, partitions),
        schema);
  }

  private static NetworkSpec linear(Task task, int in, int out) {
    return NetworkSpec.of(task, Activation.of(Activation.Kind.RELU), in, out);
  }

  private static void assertNumber(double expected, JsonNode node) {
    assertEquals(expected, node.asDouble(), TOL, String.valueOf(node));
  }

  private static final double[][] BINARY = {
      // x, label, weight; p = sigmoid(x), predicted positive when x > 0
      {-2, 0, 1}, {-1, 1, 3}, {-1, 0, 1}, {0.5, 1, 1}, {0.5, 0, 2}, {2, 1, 0.5}, {-3, 0, 1}};

  @Test
  void binaryMetricsWeighEveryRow() {
    ObjectNode m = Metrics.evaluate(data(3, BINARY), linear(Task.BINARY, 1, 1),
        new float[] {1f, 0f}, null, LabelMapping.of("neg", "pos"), true);
    // TP = 1 + 0.5, FN = 3, FP = 2, TN = 1 + 1 + 1; W = 9.5
    assertEquals(7, m.get("count").asLong());
    assertNumber(9.5, m.get("weight_sum"));
    assertNumber(4.5 / 9.5, m.get("accuracy"));
    assertNumber(1.5 / 3.5, m.get("precision"));
    assertNumber(1.5 / 4.5, m.get("recall"));
    double p = 1.5 / 3.5;
    double r = 1.5 / 4.5;
    assertNumber(2 * p * r / (p + r), m.get("f1"));
    assertEquals("[[3.0,2.0],[3.0,1.5]]", m.get("confusion_matrix").toString());
    assertNumber(4.5, m.get("per_class").get("pos").get("support"));
    // pairs weighted by w_pos * w_neg: -1 (w 3) beats -2, -3 and ties -1: 3 * 2.5; 0.5 (w 1) beats
    // three negatives of weight 1 and ties one of weight 2: 4; 2 (w 0.5) beats all 5: 2.5
    assertNumber(14.0 / (4.5 * 5), m.get("roc_auc"));
    double loss = 0;
    for (double[] row : BINARY) {
      double q = (float) (1 / (1 + Math.exp(-(float) row[0])));
      loss -= row[2] * (row[1] == 1 ? Math.log(q) : Math.log(1 - q));
    }
    assertEquals(loss / 9.5, m.get("log_loss").asDouble(), 1e-7);
  }

  @Test
  void weightsOfOneGiveTheUnweightedFigures() {
    double[][] ones = new double[BINARY.length][];
    for (int i = 0; i < ones.length; i++) {
      ones[i] = BINARY[i].clone();
      ones[i][2] = 1;
    }
    ObjectNode w = Metrics.evaluate(data(2, ones), linear(Task.BINARY, 1, 1),
        new float[] {1f, 0f}, null, null, true);
    ObjectNode u = Metrics.evaluate(data(2, ones), linear(Task.BINARY, 1, 1),
        new float[] {1f, 0f}, null, null);
    assertFalse(u.has("weight_sum"));
    for (String k : new String[] {"accuracy", "precision", "recall", "f1", "roc_auc", "log_loss",
        "macro_f1"}) {
      assertEquals(u.get(k).asDouble(), w.get(k).asDouble(), 0.0, k);
    }
  }

  @Test
  void multiclassAccuracyAndLogLossAreWeighted() {
    // z = (x0, x1, 0): predictions 0, 1, 0 (tie), 2, 1; weights 1, 2, 3, 0.5, 1
    double[][] rows = {{2, 0, 0, 1}, {0, 2, 1, 2}, {0, 0, 2, 3}, {-1, -1, 2, 0.5},
        {1, 3, 0, 1}};
    ObjectNode m = Metrics.evaluate(data(2, rows), linear(Task.MULTICLASS, 2, 3),
        new float[] {1, 0, 0, 1, 0, 0, 0, 0, 0}, null, LabelMapping.of("a", "b", "c"), true);
    assertNumber(3.5 / 7.5, m.get("accuracy"));
    assertEquals("[[1.0,1.0,0.0],[0.0,2.0,0.0],[3.0,0.0,0.5]]",
        m.get("confusion_matrix").toString());
    JsonNode per = m.get("per_class");
    assertNumber(1.0 / 4, per.get("a").get("precision"));   // predicted a: 1 (right) + 3 (c)
    assertNumber(2.0 / 3, per.get("b").get("precision"));   // predicted b: 2 (right) + 1 (a)
    assertNumber(0.5 / 3.5, per.get("c").get("recall"));    // true c: 3 + 0.5
    assertNumber(3.5, per.get("c").get("support"));
    double loss = 0;
    for (double[] r : rows) {
      double[] z = {r[0], r[1], 0};
      double s = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
      loss -= r[3] * Math.log(Math.exp(z[(int) r[2]]) / s);
    }
    assertEquals(loss / 7.5, m.get("log_loss").asDouble(), 1e-6);
  }

  @Test
  void regressionMetricsAreWeightedMeans() {
    // y_hat = x; errors y - x: 1, 0, -2 with weights 1, 3, 2 (W = 6)
    ObjectNode m = Metrics.evaluate(data(2, new double[] {1, 2, 1}, new double[] {2, 2, 3},
        new double[] {3, 1, 2}), linear(Task.REGRESSION, 1, 1), new float[] {1f, 0f}, null, null,
        true);
    assertEquals(3, m.get("count").asLong());
    assertNumber(Math.sqrt(9.0 / 6), m.get("rmse"));
    assertNumber(5.0 / 6, m.get("mae"));
    // weighted mean of y = 10/6; total weighted sum of squares 12/9; R^2 = 1 - 9 / (12/9)
    assertNumber(1 - 9 / (12.0 / 9), m.get("r2"));
  }

  @Test
  void binaryCurvesCountRowsByWeight() {
    ReportCurves plain = EvaluationCurves.compute(data(2, BINARY), linear(Task.BINARY, 1, 1),
        new float[] {1f, 0f}, null, 7, false);
    ReportCurves weighted = EvaluationCurves.compute(data(2, BINARY), linear(Task.BINARY, 1, 1),
        new float[] {1f, 0f}, null, 7, true);
    assertEquals(3.0 / 7, plain.positiveShare(), TOL);
    assertEquals(4.5 / 9.5, weighted.positiveShare(), TOL);
  }
}
