package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MlpRegressor and its model on the bundled diabetes data. */
class MlpRegressorTest {
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = PlainSpark.start();
  }

  @AfterAll
  static void stop() {
    PlainSpark.stop();
  }

  private static Dataset<Row> diabetes() {
    StringBuilder ddl = new StringBuilder();
    String[] x = new String[10];
    for (int i = 1; i <= 10; i++) {
      x[i - 1] = "x" + i;
      ddl.append("x").append(i).append(" DOUBLE, ");
    }
    Dataset<Row> csv = spark.read().option("header", true).schema(ddl + "target DOUBLE")
        .csv("src/test/resources/data/diabetes.csv");
    return new VectorAssembler().setInputCols(x).setOutputCol("features").transform(csv);
  }

  @Test
  void learnsBetterThanTheMeanAndRoundTripsThroughItsDirectory() throws Exception {
    Dataset<Row>[] split = diabetes().randomSplit(new double[] {0.8, 0.2}, 3);
    MlpRegressionModel model = new MlpRegressor().setLabelCol("target").setHidden(new int[] {16})
        .setEpochs(60).setBatchSize(32).setLearningRate(0.05).setValidationFraction(0)
        .fit(split[0]);
    Dataset<Row> scored = model.transform(split[1]);
    RegressionEvaluator rmse = new RegressionEvaluator().setLabelCol("target");
    double error = rmse.evaluate(scored);
    double spread = split[1].agg(org.apache.spark.sql.functions.stddev("target")).first()
        .getDouble(0);
    assertTrue(error < 0.9 * spread, "RMSE " + error + " vs the targets' spread " + spread);
    Row first = scored.select("features", "prediction").first();
    assertEquals(first.getDouble(1), model.predict(first.getAs("features")), 0.0,
        "single-row scoring agrees with the batched path");

    String path = dir.resolve("regression").toString();
    model.write().save(path);
    MlpRegressionModel loaded = MlpRegressionModel.load(path);
    List<Row> before = scored.select("prediction").collectAsList();
    assertEquals(before, loaded.transform(split[1]).select("prediction").collectAsList());
    assertThrows(IllegalArgumentException.class, () -> MlpClassificationModel.load(path),
        "a regression directory is not a classifier");
  }
}
