package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.score.Predictor;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sparse LibSVM input through train, evaluate and predict: the density decision and the
 * data.sparse key, no standardization of sparse features, and a scorer that takes CSR rows and
 * agrees with the dense scorer.
 */
class SparseJobsTest {
  static final int ROWS = 600;
  static final int FEATURES = 300;

  @TempDir
  static Path tmp;
  static Path file;

  /** 600 rows x 300 features, 10 non-zeros per row (density 0.033), a linear binary label. */
  @BeforeAll
  static void writeData() throws IOException {
    SplittableRandom rng = new SplittableRandom(21L);
    double[] w = new double[FEATURES];
    for (int j = 0; j < FEATURES; j++) {
      w[j] = rng.nextGaussian();
    }
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      int[] idx = rng.ints(0, FEATURES).distinct().limit(10).sorted().toArray();
      StringBuilder sb = new StringBuilder();
      double s = 0;
      for (int j : idx) {
        double v = Math.round(rng.nextDouble() * 100) / 100.0 + 0.01;
        s += w[j] * v;
        sb.append(' ').append(j + 1).append(':').append(v);
      }
      lines.add((s > 0 ? "1" : "0") + sb);
    }
    file = Files.write(tmp.resolve("sparse.svm"), lines);
  }

  private static CliRun train(Path model, String sparse) {
    List<String> a = new ArrayList<>(List.of("train"));
    for (String x : List.of("data.train.path=" + file, "data.train.format=libsvm",
        "task=binary", "spark.master=local[2]", "network.hidden=[8]", "train.epochs=8",
        "train.batch-size=32", "train.optimizer.learning-rate=0.01", "data.validation-fraction=0.2",
        "data.sparse=" + sparse, "output.model=" + model)) {
      a.add("--set");
      a.add(x);
    }
    return CliRun.of(a.toArray(String[]::new));
  }

  private static JsonNode modelJson(Path model) throws IOException {
    return new ObjectMapper().readTree(model.resolve("model.json").toFile());
  }

  @Test
  void autoTrainsSparseAndEvaluateAndPredictScoreCsrRows() throws Exception {
    SharedSpark.session();
    Path model = tmp.resolve("auto");
    CliRun r = train(model, "auto");
    assertEquals(0, r.status(), r.err() + r.out());
    assertTrue(r.out().contains("features: density 0.033 (6,000 non-zeros in 600 rows x 300 features)"), r.out());
    assertTrue(r.out().contains(": sparse (data.sparse = auto, sparse below 0.1)"), r.out());
    assertTrue(r.out().contains("sparse features are not standardized"), r.out());
    JsonNode m = modelJson(model);
    assertEquals("sparse", m.at("/provenance/input").asText(), m.toString());
    assertTrue(m.path("feature_mean").isMissingNode() || m.path("feature_mean").isNull(),
        "no standardization stored");
    assertTrue(m.at("/metrics/validation_accuracy").asDouble() > 0.7, m.toString());

    Path metrics = tmp.resolve("metrics.json");
    CliRun eval = CliRun.of("evaluate", "--model", model.toString(), "--input",
        file.toString(), "--output", metrics.toString());
    assertEquals(0, eval.status(), eval.err());
    JsonNode e = new ObjectMapper().readTree(metrics.toFile());
    assertEquals(ROWS, e.get("count").asLong(), e.toString());
    assertTrue(e.get("accuracy").asDouble() > 0.8, "fits its training data: " + e);

    Path preds = tmp.resolve("preds");
    CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input",
        file.toString(), "--output", preds.toString());
    assertEquals(0, predict.status(), predict.err());
    assertEquals(ROWS, SharedSpark.session().read().parquet(preds.toString()).count());

    // the CSR scorer agrees with the dense scorer on the same rows densified
    SavedModel saved = ModelDirectory.load(model.toString(),
        SharedSpark.session().sparkContext().hadoopConfiguration());
    Dataset<Row> sparseRows = SharedSpark.session().read().format("libsvm")
        .option("numFeatures", FEATURES).load(file.toString())
        .withColumnRenamed("features", PreparedData.FEATURES);
    Dataset<Row> denseRows = sparseRows.withColumn(PreparedData.FEATURES,
        functions.udf((UDF1<Vector, Vector>) Vector::toDense, SQLDataTypes.VectorType())
            .apply(functions.col(PreparedData.FEATURES)));
    LabelMapping classes = LabelMapping.indices(2);
    List<Row> s = Predictor.predict(sparseRows, saved.spec(), saved.params(), null, classes)
        .select(Predictor.PROBABILITY).collectAsList();
    List<Row> d = Predictor.predict(denseRows, saved.spec(), saved.params(), null, classes)
        .select(Predictor.PROBABILITY).collectAsList();
    assertEquals(ROWS, s.size());
    for (int i = 0; i < ROWS; i++) {
      assertEquals(((Vector) d.get(i).get(0)).apply(1), ((Vector) s.get(i).get(0)).apply(1),
          1e-6, "row " + i);
    }
  }

  @Test
  void falseKeepsTheDensePathAndStandardizes() throws Exception {
    SharedSpark.session();
    Path model = tmp.resolve("dense");
    CliRun r = train(model, "false");
    assertEquals(0, r.status(), r.err() + r.out());
    assertFalse(r.out().contains("features: density"), "no measuring pass: " + r.out());
    JsonNode m = modelJson(model);
    assertEquals("dense", m.at("/provenance/input").asText(), m.toString());
    assertEquals(FEATURES, m.get("feature_mean").size(), "standardized");
  }

  @Test
  void aBadValueOfTheKeyIsOneLineNamingIt() {
    CliRun r = train(tmp.resolve("bad"), "maybe");
    assertEquals(1, r.status(), r.err());
    assertTrue(r.err().contains("data.sparse must be one of auto, true, false, got 'maybe'"),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
