package io.sparkmlp.jobs.data.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.jobs.data.Files2;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.trainer.SparkErrors;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Predictions of hand-set networks without hidden layers: known weights, known outputs. */
class PredictorTest {
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType)
      .add("features", SQLDataTypes.VectorType());

  private static Dataset<Row> rows(Row... rows) {
    return SharedSpark.session().createDataFrame(List.of(rows), SCHEMA);
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  private static NetworkSpec linear(Task task, int in, int out) {
    return NetworkSpec.of(task, Activation.of(Activation.Kind.RELU), in, out);
  }

  @Test
  void binaryProbabilitiesAndClassNames() {
    // z = x0 - x1 + 0.5
    float[] params = {1f, -1f, 0.5f};
    Dataset<Row> in = rows(RowFactory.create("a", Vectors.dense(2, 1)),
        RowFactory.create("b", Vectors.sparse(2, new int[] {1}, new double[] {3})));
    List<Row> out = Predictor.predict(in, linear(Task.BINARY, 2, 1), params, null,
        LabelMapping.of("no", "yes")).collectAsList();
    assertEquals(List.of("a", "b"), Files2.strings(out, "id"));
    assertEquals(List.of("yes", "no"), Files2.strings(out, "prediction"));
    double p0 = sigmoid(1.5);
    double p1 = sigmoid(-2.5);
    Files2.assertMatrix(new double[][] {{1 - p0, p0}, {1 - p1, p1}},
        Files2.vectors(out, "probability"), 1e-6);
  }

  @Test
  void standardizationIsAppliedFirst() {
    float[] params = {1f, -1f, 0.5f};
    Standardization std = new Standardization(new float[] {1f, 1f}, new float[] {1f, 2f});
    // standardized: (2,1) -> (1,0): z = 1.5
    Dataset<Row> out = Predictor.predict(rows(RowFactory.create("a", Vectors.dense(2, 1))),
        linear(Task.BINARY, 2, 1), params, std, null);
    Row r = out.first();
    assertEquals(1.0, r.<Double>getAs("prediction"));
    assertEquals(sigmoid(1.5), ((Vector) r.getAs("probability")).apply(1), 1e-6);
    assertArrayEquals(new String[] {"0", "1"},
        out.schema().apply("probability").metadata().getStringArray("classes"));
  }

  @Test
  void multiclassSoftmaxAndArgmax() {
    // z = (x0, x1, 0)
    float[] params = {1f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f};
    List<Row> out = Predictor.predict(rows(RowFactory.create("a", Vectors.dense(1, 2))),
        linear(Task.MULTICLASS, 2, 3), params, null, LabelMapping.of("x", "y", "z"))
        .collectAsList();
    double s = Math.exp(1) + Math.exp(2) + 1;
    assertEquals("y", out.get(0).getAs("prediction"));
    assertArrayEquals(new double[] {Math.exp(1) / s, Math.exp(2) / s, 1 / s},
        Files2.vectors(out, "probability")[0], 1e-6);
  }

  @Test
  void multiLabelJoinsNamesAboveOneHalf() {
    // z = (x, -x)
    float[] params = {1f, -1f, 0f, 0f};
    List<Row> out = Predictor.predict(rows(RowFactory.create("a", Vectors.dense(2)),
            RowFactory.create("b", Vectors.dense(0)), RowFactory.create("c", Vectors.dense(-1))),
        linear(Task.MULTILABEL, 1, 2), params, null, LabelMapping.of("red", "blue"))
        .collectAsList();
    assertEquals(List.of("red", "", "blue"), Files2.strings(out, "prediction"));
    assertArrayEquals(new double[] {sigmoid(2), sigmoid(-2)}, Files2.vectors(out, "probability")[0],
        1e-6);
  }

  @Test
  void regressionSingleAndMultiTarget() {
    // y = 2 x0 + 3 x1 + 1
    List<Row> single = Predictor.predict(rows(RowFactory.create("a", Vectors.dense(1, 1))),
        linear(Task.REGRESSION, 2, 1), new float[] {2f, 3f, 1f}, null, null).collectAsList();
    assertEquals(6.0, single.get(0).<Double>getAs("prediction"), 1e-6);
    assertEquals(List.of("id", "features", "prediction"), List.of(single.get(0).schema()
        .fieldNames()));
    // y = (x, 2x + 1)
    Dataset<Row> multi = Predictor.predict(rows(RowFactory.create("a", Vectors.dense(3))),
        linear(Task.REGRESSION, 1, 2), new float[] {1f, 2f, 0f, 1f}, null, null);
    assertArrayEquals(new double[] {3, 7}, Files2.vectors(multi.collectAsList(), "prediction")[0],
        1e-6);
    assertEquals(2L, multi.schema().apply("prediction").metadata().getLong("size"));
  }

  @Test
  void manyRowsCrossChunkBoundaries() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2 * Mlp.MAX_CHUNK_ROWS + 7; i++) {
      rows.add(RowFactory.create(Integer.toString(i), Vectors.dense(i, 1)));
    }
    Dataset<Row> in = SharedSpark.session().createDataFrame(
        SharedSpark.jsc().parallelize(rows, 2), SCHEMA);
    List<Row> out = Predictor.predict(in, linear(Task.REGRESSION, 2, 1),
        new float[] {1f, 0f, 0.5f}, null, null).collectAsList();
    assertEquals(rows.size(), out.size());
    for (Row r : out) {
      assertEquals(Double.parseDouble(r.getAs("id")) + 0.5, r.<Double>getAs("prediction"), 1e-3);
    }
  }

  @Test
  void rejectsModelsThatDoNotFit() {
    Dataset<Row> in = rows(RowFactory.create("a", Vectors.dense(1, 2)));
    NetworkSpec spec = linear(Task.BINARY, 2, 1);
    assertThrows(IllegalArgumentException.class,
        () -> Predictor.predict(in, spec, new float[2], null, null));
    assertThrows(IllegalArgumentException.class,
        () -> Predictor.predict(in, spec, new float[3], null, LabelMapping.of("a", "b", "c")));
    // row-level problems surface when the lazy predictions run, wrapped by Spark
    Dataset<Row> lazy = Predictor.predict(in, linear(Task.BINARY, 3, 1), new float[4], null,
        null);
    Exception e = assertThrows(Exception.class, lazy::collectAsList);
    assertEquals("a row has 2 features but the model expects 3",
        SparkErrors.unwrap(e).getMessage());
  }
}
