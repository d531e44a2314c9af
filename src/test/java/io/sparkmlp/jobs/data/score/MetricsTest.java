package io.sparkmlp.jobs.data.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.data.LabelMapping;
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
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Metrics of hand-set linear networks on small data with hand-computed expectations. */
class MetricsTest {
  private static final double TOL = 1e-6;

  private static Dataset<Row> data(DataType labelType, int partitions, Row... rows) {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
        .add("label", labelType);
    return SharedSpark.session().createDataFrame(
        SharedSpark.jsc().parallelize(List.of(rows), partitions), schema);
  }

  private static Row row(double x, double label) {
    return RowFactory.create(Vectors.dense(x), label);
  }

  private static NetworkSpec linear(Task task, int in, int out) {
    return NetworkSpec.of(task, Activation.of(Activation.Kind.RELU), in, out);
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-(float) z));
  }

  private static void assertNumber(double expected, JsonNode node) {
    assertEquals(expected, node.asDouble(), TOL, node.toString());
  }

  @Test
  void binaryWithTiedScores() {
    // p = sigmoid(x); positives at x = -1, 0.5, 2, 3; negatives at x = -3, -2, -1, 0.5
    double[][] xy = {{-2, 0}, {-1, 1}, {-1, 0}, {0.5, 1}, {0.5, 0}, {2, 1}, {3, 1}, {-3, 0}};
    List<Row> rows = new ArrayList<>();
    double loss = 0;
    for (double[] r : xy) {
      rows.add(row(r[0], r[1]));
      double p = (float) sigmoid(r[0]);
      loss -= r[1] == 1 ? Math.log(p) : Math.log(1 - p);
    }
    ObjectNode m = Metrics.evaluate(data(DataTypes.DoubleType, 3, rows.toArray(Row[]::new)),
        linear(Task.BINARY, 1, 1), new float[] {1f, 0f}, null, LabelMapping.of("neg", "pos"));
    assertEquals("binary", m.get("task").asText());
    assertEquals(8, m.get("count").asLong());
    // pairs (pos, neg): -1 beats 2 and ties 1; 0.5 beats 3 and ties 1; 2 and 3 beat all 4
    assertNumber(14.0 / 16, m.get("roc_auc"));
    assertNumber(0.75, m.get("accuracy"));
    assertNumber(0.75, m.get("precision"));
    assertNumber(0.75, m.get("recall"));
    assertNumber(0.75, m.get("f1"));
    assertNumber(loss / 8, m.get("log_loss"));
    assertEquals("pos", m.get("positive_class").asText());
    assertEquals("[[3,1],[1,3]]", m.get("confusion_matrix").toString());
    assertEquals("[\"neg\",\"pos\"]", m.get("classes").toString());
    assertNumber(0.75, m.get("per_class").get("neg").get("precision"));
    assertEquals(4, m.get("per_class").get("neg").get("support").asLong());
    assertNumber(0.75, m.get("macro_f1"));
  }

  @Test
  void aucMatchesPairwiseCountAcrossSortedPartitions() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double label = rng.nextDouble() < 0.4 ? 1 : 0;
      double score = Math.round((rng.nextDouble() + 0.3 * label) * 20) / 20.0;  // many ties
      rows.add(RowFactory.create(score, label, 1.0));
    }
    double wins = 0;
    long pos = 0;
    long neg = 0;
    for (Row a : rows) {
      if (a.getDouble(1) == 1) {
        pos++;
        for (Row b : rows) {
          if (b.getDouble(1) == 0) {
            wins += a.getDouble(0) > b.getDouble(0) ? 1 : a.getDouble(0) == b.getDouble(0) ? 0.5 : 0;
          }
        }
      } else {
        neg++;
      }
    }
    StructType schema = new StructType().add("score", DataTypes.DoubleType)
        .add("label", DataTypes.DoubleType).add("weight", DataTypes.DoubleType);
    BinaryScores.Result r = BinaryScores.compute(SharedSpark.session()
        .createDataFrame(SharedSpark.jsc().parallelize(rows, 3), schema));
    assertEquals(pos, r.pos());
    assertEquals(neg, r.neg());
    assertEquals(400, r.rows());
    assertEquals(wins / (pos * neg), r.auc(), 1e-12);
  }

  @Test
  void binaryAucIsLeftOutWithItsReasonForOneClass() {
    ObjectNode m = Metrics.evaluate(data(DataTypes.DoubleType, 1, row(1, 1), row(2, 1)),
        linear(Task.BINARY, 1, 1), new float[] {1f, 0f}, null, null);
    assertFalse(m.has("roc_auc"));
    assertEquals("the labels hold only one class (1)", m.get("roc_auc_undefined").asText());
    assertNumber(1.0, m.get("accuracy"));
  }

  @Test
  void multiclassConfusionMatrix() {
    // z = (x0, x1, 0): predictions 0, 1, 0 (tie), 2, 1
    double[][] x = {{2, 0}, {0, 2}, {0, 0}, {-1, -1}, {1, 3}};
    double[] y = {0, 1, 2, 2, 0};
    List<Row> rows = new ArrayList<>();
    double loss = 0;
    for (int i = 0; i < x.length; i++) {
      rows.add(RowFactory.create(Vectors.dense(x[i]), y[i]));
      double[] z = {x[i][0], x[i][1], 0};
      double s = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
      loss -= Math.log(Math.exp(z[(int) y[i]]) / s);
    }
    ObjectNode m = Metrics.evaluate(data(DataTypes.DoubleType, 2, rows.toArray(Row[]::new)),
        linear(Task.MULTICLASS, 2, 3), new float[] {1, 0, 0, 1, 0, 0, 0, 0, 0}, null,
        LabelMapping.of("a", "b", "c"));
    assertEquals("[[1,1,0],[0,1,0],[1,0,1]]", m.get("confusion_matrix").toString());
    assertNumber(0.6, m.get("accuracy"));
    JsonNode per = m.get("per_class");
    assertNumber(0.5, per.get("a").get("precision"));
    assertNumber(0.5, per.get("a").get("recall"));
    assertNumber(0.5, per.get("b").get("precision"));
    assertNumber(1.0, per.get("b").get("recall"));
    assertNumber(2.0 / 3, per.get("b").get("f1"));
    assertNumber(1.0, per.get("c").get("precision"));
    assertEquals(2, per.get("c").get("support").asLong());
    assertNumber(2.0 / 3, m.get("macro_precision"));
    assertNumber(2.0 / 3, m.get("macro_recall"));
    assertNumber((0.5 + 2.0 / 3 + 2.0 / 3) / 3, m.get("macro_f1"));
    assertNumber(loss / 5, m.get("log_loss"));
  }

  @Test
  void multiLabelHammingAndSubsetAccuracy() {
    // p = (sigmoid(x), sigmoid(-x))
    Row[] rows = {
        RowFactory.create(Vectors.dense(2), Vectors.dense(1, 0)),
        RowFactory.create(Vectors.dense(-2), Vectors.dense(0, 1)),
        RowFactory.create(Vectors.dense(1), Vectors.dense(1, 1)),
        RowFactory.create(Vectors.dense(0), Vectors.dense(0, 0))};
    ObjectNode m = Metrics.evaluate(data(SQLDataTypes.VectorType(), 2, rows),
        linear(Task.MULTILABEL, 1, 2), new float[] {1f, -1f, 0f, 0f}, null,
        LabelMapping.of("red", "blue"));
    assertNumber(1.0 / 8, m.get("hamming_loss"));
    assertNumber(0.75, m.get("subset_accuracy"));
    JsonNode blue = m.get("per_label").get("blue");
    assertNumber(1.0, blue.get("precision"));
    assertNumber(0.5, blue.get("recall"));
    assertNumber(2.0 / 3, blue.get("f1"));
    assertNumber(0.75, blue.get("accuracy"));
    assertNumber((1 + 2.0 / 3) / 2, m.get("macro_f1"));
  }

  @Test
  void regressionR2RmseMae() {
    // y_hat = x; residuals 0, 1, -1, 0; mean y = 2.5, SST = 5
    Dataset<Row> d = data(DataTypes.DoubleType, 3, row(1, 1), row(2, 3), row(3, 2), row(4, 4));
    ObjectNode m = Metrics.evaluate(d, linear(Task.REGRESSION, 1, 1), new float[] {1f, 0f}, null,
        null);
    assertEquals(4, m.get("count").asLong());
    assertNumber(Math.sqrt(0.5), m.get("rmse"));
    assertNumber(0.5, m.get("mae"));
    assertNumber(0.6, m.get("r2"));
    assertNumber(0.6, m.get("per_target").get(0).get("r2"));
  }

  @Test
  void multiTargetRegressionAveragesR2() {
    // y_hat = (x, 5); the second target is the constant 5, predicted exactly (R^2 = 1)
    Row[] rows = {
        RowFactory.create(Vectors.dense(1), Vectors.dense(1, 5)),
        RowFactory.create(Vectors.dense(2), Vectors.dense(3, 5)),
        RowFactory.create(Vectors.dense(3), Vectors.dense(2, 5)),
        RowFactory.create(Vectors.dense(4), Vectors.dense(4, 5))};
    ObjectNode m = Metrics.evaluate(data(SQLDataTypes.VectorType(), 2, rows),
        linear(Task.REGRESSION, 1, 2), new float[] {1f, 0f, 0f, 5f}, null, null);
    assertNumber(0.6, m.get("per_target").get(0).get("r2"));
    assertNumber(1.0, m.get("per_target").get(1).get("r2"));
    assertNumber(0.8, m.get("r2"));
    assertNumber(0.5, m.get("rmse"));
    assertNumber(0.25, m.get("mae"));
  }

  @Test
  void aMetricThatCannotBeComputedIsAnErrorNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.evaluate(data(DataTypes.DoubleType, 1, row(1, 1), row(2, 3)),
            linear(Task.REGRESSION, 1, 1), new float[] {Float.NaN, 0f}, null, null));
    assertTrue(e.getMessage().startsWith("cannot compute rmse (NaN): the network's outputs"),
        e.getMessage());
  }

  @Test
  void needsLabels() {
    Dataset<Row> noLabel = data(DataTypes.DoubleType, 1, row(1, 1)).drop("label");
    assertThrows(IllegalArgumentException.class, () -> Metrics.evaluate(noLabel,
        linear(Task.REGRESSION, 1, 1), new float[] {1f, 0f}, null, null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.evaluate(data(DataTypes.DoubleType, 1, row(1, 3)),
            linear(Task.MULTICLASS, 1, 2), new float[4], null, null));
    assertTrue(e.getMessage().contains("class label 3.0"), e.getMessage());
  }
}
