package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MlpClassifier and its model on the bundled binary and multi-class data sets. */
class MlpClassifierTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = PlainSpark.start();
  }

  @AfterAll
  static void stop() {
    PlainSpark.stop();
  }

  static Dataset<Row> breastCancer(SparkSession spark) {
    StringBuilder ddl = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      ddl.append("x").append(i).append(" DOUBLE, ");
    }
    Dataset<Row> csv = spark.read().option("header", true).schema(ddl + "label DOUBLE")
        .csv("src/test/resources/data/breast_cancer.csv");
    return new VectorAssembler().setInputCols(Arrays.copyOf(csv.columns(), 30))
        .setOutputCol("features").transform(csv);
  }

  static Dataset<Row> iris(SparkSession spark) {
    Dataset<Row> csv = spark.read().option("header", true)
        .schema("x1 DOUBLE, x2 DOUBLE, x3 DOUBLE, x4 DOUBLE, label STRING")
        .csv("src/test/resources/data/iris.csv");
    Dataset<Row> indexed = new StringIndexer().setInputCol("label").setOutputCol("classIndex")
        .fit(csv).transform(csv);
    return new VectorAssembler().setInputCols(new String[] {"x1", "x2", "x3", "x4"})
        .setOutputCol("features").transform(indexed);
  }

  @Test
  void binaryModelAddsTheColumnsSparksEvaluatorsRead() {
    Dataset<Row>[] split = breastCancer(spark).randomSplit(new double[] {0.8, 0.2}, 7);
    MlpClassificationModel model = new MlpClassifier().setHidden(new int[] {16}).setEpochs(15)
        .setBatchSize(32).setLearningRate(5e-3).fit(split[0]);
    assertEquals(2, model.numClasses());
    assertEquals(30, model.numFeatures());
    Dataset<Row> scored = model.transform(split[1]);
    assertTrue(Arrays.asList(scored.columns()).containsAll(
        List.of("x1", "label", "features", "rawPrediction", "probability", "prediction")));
    double auc = new BinaryClassificationEvaluator().evaluate(scored);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(scored);
    assertTrue(auc > 0.97, "AUC " + auc);
    assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    Row r = scored.select("features", "probability", "prediction").first();
    Vector p = r.getAs("probability");
    assertEquals(1.0, p.apply(0) + p.apply(1), 1e-6);
    assertEquals(p.apply(1) > 0.5 ? 1.0 : 0.0, r.getDouble(2));
    assertArrayEquals(p.toArray(), model.predictProbability(r.getAs("features")).toArray(),
        "single-row scoring agrees with the batched path");
  }

  @Test
  void multiClassModelWithThresholdsAndRenamedColumns() {
    MlpClassificationModel model = new MlpClassifier().setLabelCol("classIndex")
        .setHidden(new int[] {8}).setEpochs(30).setBatchSize(16).setLearningRate(1e-2)
        .setValidationFraction(0).fit(iris(spark));
    assertEquals(3, model.numClasses());
    Dataset<Row> scored = model.setProbabilityCol("p").setPredictionCol("yhat")
        .setRawPredictionCol("").transform(iris(spark));
    assertTrue(!Arrays.asList(scored.columns()).contains("rawPrediction"));
    double accuracy = new MulticlassClassificationEvaluator().setLabelCol("classIndex")
        .setPredictionCol("yhat").setMetricName("accuracy").evaluate(scored);
    assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    // a threshold of 0 for class 2 makes every row class 2
    Dataset<Row> forced = model.setThresholds(new double[] {1, 1, 0}).transform(iris(spark));
    assertEquals(150L, forced.filter("yhat = 2.0").count());
  }

  @Test
  void validationIndicatorRowsAreTheValidationSetForEarlyStopping() {
    Dataset<Row> data = breastCancer(spark).withColumn("isVal",
        functions.col("x1").multiply(100).cast("long").mod(5).equalTo(0));
    long flagged = data.filter("isVal").count();
    assertTrue(flagged > 50 && flagged < 300, flagged + " validation rows");
    MlpClassificationModel model = new MlpClassifier().setValidationIndicatorCol("isVal")
        .setHidden(new int[] {8}).setEpochs(40).setBatchSize(32).setLearningRate(5e-2)
        .setEarlyStoppingPatience(2).fit(data);
    JsonNode provenance = model.savedModel().provenance();
    assertEquals(flagged, provenance.path("rows").path("validation").asLong());
    assertEquals(569 - flagged, provenance.path("rows").path("train").asLong());
    JsonNode config = model.savedModel().config();
    assertEquals(2, config.path("train").path("early-stopping").path("patience").asInt());
    assertTrue(model.savedModel().metrics().path("validation_accuracy").asDouble() > 0.9,
        model.savedModel().metrics().toString());
  }

  @Test
  void dropoutParamTrainsEveryHiddenLayerWithDropoutAndPredictsWithTheWholeNetwork() {
    Dataset<Row> data = iris(spark);
    MlpClassifier c = new MlpClassifier().setLabelCol("classIndex").setHidden(new int[] {16, 8}).setDropout(0.2)
        .setEpochs(40).setBatchSize(16).setLearningRate(1e-2);
    assertEquals(0.2, c.getDropout());
    assertEquals(0.0, new MlpClassifier().getDropout(), "the key's default");
    MlpClassificationModel model = c.fit(data);
    assertEquals(List.of(0.2, 0.2), model.savedModel().spec().hidden().stream()
        .map(io.sparkmlp.model.LayerSpec::dropout).toList());
    assertEquals(0.2, model.savedModel().config().path("network").path("dropout").asDouble());
    List<Row> a = model.transform(data).select("probability").collectAsList();
    List<Row> b = model.transform(data).select("probability").collectAsList();
    assertEquals(a, b, "prediction ignores dropout: deterministic");
    double accuracy = new MulticlassClassificationEvaluator().setLabelCol("classIndex")
        .setMetricName("accuracy").evaluate(model.transform(data));
    assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    assertThrows(IllegalArgumentException.class, () -> c.setDropout(1.0));
    assertThrows(IllegalArgumentException.class, () -> c.setDropout(-0.1));
  }

  @Test
  void invalidParamsAreRefusedWithTheKeysRange() {
    MlpClassifier c = new MlpClassifier();
    assertThrows(IllegalArgumentException.class, () -> c.setEpochs(0));
    assertThrows(IllegalArgumentException.class, () -> c.setOptimizer("lbfgs"));
    assertThrows(IllegalArgumentException.class, () -> c.setActivation("step"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.setEarlyStoppingPatience(3).setValidationFraction(0).fit(breastCancer(spark)));
    assertTrue(e.getMessage().contains("train.early-stopping.patience"), e.getMessage());
  }
}
