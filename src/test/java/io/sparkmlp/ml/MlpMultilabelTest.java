package io.sparkmlp.ml;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.testing.Synthetic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MlpMultilabelClassifier and its model on a synthetic multi-label set (20 features, 5 labels, as
 * conf/examples/multilabel-synthetic.conf reads them): vector columns of one value per label,
 * per-label metrics, thresholds, Pipeline persistence, and models shared with the command line
 * that score bitwise like {@code spark-mlp predict}.
 */
class MlpMultilabelTest {
  private static final int FEATURES = 20;
  private static final int LABELS = 5;
  private static final String[] X = names("x", FEATURES);
  private static final String[] Y = names("y", LABELS);
  private static SparkSession spark;
  /** id, x1..x20, y1..y5: 600 training rows, then 200 test rows. */
  private static Dataset<Row> train;
  private static Dataset<Row> test;
  private static MlpMultilabelModel model;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = PlainSpark.start();
    List<Row> rows = Synthetic.multilabel(800, FEATURES, LABELS, 5);
    train = table(spark, rows, 0, 600);
    test = table(spark, rows, 600, 800);
    model = new MlpMultilabelClassifier().setHidden(new int[] {32}).setEpochs(20)
        .setBatchSize(64).setLearningRate(2e-2).setSeed(3).fit(vectors(train));
  }

  @AfterAll
  static void stop() {
    PlainSpark.stop();
  }

  private static String[] names(String prefix, int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).toArray(String[]::new);
  }

  /**
   * Rows [from, to) of {@link Synthetic#multilabel} (20 features, 5 labels) as a table with an id,
   * one column per feature (x1..x20) and one 0/1 column per label (y1..y5).
   */
  static Dataset<Row> table(SparkSession spark, List<Row> rows, int from, int to) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("id", DataTypes.IntegerType, false));
    for (String c : X) {
      fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
    }
    for (String c : Y) {
      fields.add(DataTypes.createStructField(c, DataTypes.IntegerType, false));
    }
    List<Row> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Object[] v = new Object[1 + FEATURES + LABELS];
      v[0] = i;
      double[] x = ((Vector) rows.get(i).get(0)).toArray();
      double[] y = ((Vector) rows.get(i).get(1)).toArray();
      for (int j = 0; j < FEATURES; j++) {
        v[1 + j] = x[j];
      }
      for (int j = 0; j < LABELS; j++) {
        v[1 + FEATURES + j] = (int) y[j];
      }
      out.add(RowFactory.create(v));
    }
    return spark.createDataFrame(out, DataTypes.createStructType(fields)).repartition(2);
  }

  private static VectorAssembler features() {
    return new VectorAssembler().setInputCols(X).setOutputCol("features");
  }

  private static VectorAssembler labels() {
    return new VectorAssembler().setInputCols(Y).setOutputCol("label");
  }

  /** The table with a features vector and a label vector whose attributes are y1..y5. */
  private static Dataset<Row> vectors(Dataset<Row> table) {
    return labels().transform(features().transform(table));
  }

  private static double[] vector(Row r, String name) {
    return ((Vector) r.getAs(name)).toArray();
  }

  @Test
  void transformAddsOneValuePerLabelAndLearnsEachLabel() {
    assertEquals(LABELS, model.numLabels());
    assertEquals(FEATURES, model.numFeatures());
    assertEquals(Arrays.asList(Y), model.labelNames(), "named after the assembled label columns");
    Dataset<Row> scored = model.transform(vectors(test));
    assertTrue(Arrays.asList(scored.columns()).containsAll(
        List.of("id", "x1", "y5", "features", "label", "rawPrediction", "probability",
            "prediction")));
    for (String c : List.of("rawPrediction", "probability", "prediction")) {
      StructField f = scored.schema().apply(c);
      assertEquals(SQLDataTypes.VectorType(), f.dataType());
      AttributeGroup g = AttributeGroup.fromStructField(f);
      assertEquals(LABELS, g.size(), c);
      assertEquals("y3", g.getAttr(2).name().get(), c + " attributes are the label names");
    }
    List<Row> rows = scored.collectAsList();
    assertEquals(200, rows.size());
    long[] correct = new long[LABELS];
    for (Row r : rows) {
      double[] p = vector(r, "probability");
      double[] yhat = vector(r, "prediction");
      double[] y = vector(r, "label");
      assertEquals(LABELS, p.length);
      assertArrayEquals(p, vector(r, "rawPrediction"));
      // one row alone goes through BLAS with another batch size, so agreement is to rounding
      assertArrayEquals(p, model.predictProbability(r.getAs("features")).toArray(), 1e-6,
          "single-row scoring agrees with the batched path");
      assertArrayEquals(yhat, model.predict(r.getAs("features")).toArray());
      for (int j = 0; j < LABELS; j++) {
        assertTrue(p[j] >= 0 && p[j] <= 1, "probability " + p[j]);
        assertEquals(p[j] > 0.5 ? 1.0 : 0.0, yhat[j], "label " + j + " decided at 0.5");
        correct[j] += yhat[j] == y[j] ? 1 : 0;
      }
    }
    for (int j = 0; j < LABELS; j++) {
      double accuracy = correct[j] / 200.0;
      assertTrue(accuracy > 0.85, Y[j] + " accuracy " + accuracy);
      // each label ranked by Spark's own evaluator on its probability
      double auc = new BinaryClassificationEvaluator().setRawPredictionCol("p").setLabelCol("y")
          .evaluate(scored.select(vector_to_array(col("probability"), "float64").getItem(j)
              .as("p"), col(Y[j]).cast("double").as("y")));
      assertTrue(auc > 0.95, Y[j] + " AUC " + auc);
    }
  }

  @Test
  void thresholdsDecideEachLabelAndAreCheckedAgainstTheLabelCount() {
    double[] t = {0.5, 1.0, 0.2, 0.8, 0.0};
    MlpMultilabelModel m = model.copy(new org.apache.spark.ml.param.ParamMap())
        .setThresholds(t).setRawPredictionCol("").setPredictionCol("labels");
    Dataset<Row> scored = m.transform(vectors(test));
    assertTrue(!Arrays.asList(scored.columns()).contains("rawPrediction"));
    long positivesOfY2 = 0;
    for (Row r : scored.collectAsList()) {
      double[] p = vector(r, "probability");
      double[] yhat = vector(r, "labels");
      for (int j = 0; j < LABELS; j++) {
        assertEquals(p[j] > t[j] ? 1.0 : 0.0, yhat[j], "label " + j + " above its threshold");
      }
      positivesOfY2 += (long) yhat[1];
    }
    assertEquals(0, positivesOfY2, "a threshold of 1 never predicts its label");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.copy(new org.apache.spark.ml.param.ParamMap())
            .setThresholds(new double[] {0.5, 0.5}).transform(vectors(test)));
    assertEquals("thresholds has 2 values but the model has 5 labels [y1, y2, y3, y4, y5]",
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new MlpMultilabelClassifier().setThresholds(new double[] {0.5, 1.5}));
  }

  @Test
  void arrayLabelsTrainAndBadLabelsAreRefusedWithTheColumn() {
    Dataset<Row> arrays = vectors(train)
        .withColumn("label", vector_to_array(col("label"), "float64"));
    MlpMultilabelModel m = new MlpMultilabelClassifier().setHidden(new int[] {4}).setEpochs(1)
        .fit(arrays);
    assertEquals(List.of("0", "1", "2", "3", "4"), m.labelNames(), "no attributes: indices");

    IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
        () -> new MlpMultilabelClassifier().setLabelCol("y1").fit(features().transform(train)));
    assertEquals("label column 'y1' has type int; a multi-label label is a vector or an array of "
        + "numbers, 0 or 1 per label", wrongType.getMessage());
    Dataset<Row> twos = features().transform(train).withColumn("label",
        org.apache.spark.sql.functions.array(col("y1"), col("y2").plus(1)));
    Exception notZeroOne = assertThrows(Exception.class,
        () -> new MlpMultilabelClassifier().setEpochs(1).fit(twos));
    assertTrue(String.valueOf(notZeroOne.getMessage()).contains("is not 0 or 1"),
        String.valueOf(notZeroOne.getMessage()));
    IllegalArgumentException layers = assertThrows(IllegalArgumentException.class,
        () -> new MlpMultilabelClassifier().setLayers(new int[] {FEATURES, 8, 3})
            .fit(vectors(train)));
    assertTrue(layers.getMessage().contains("the multilabel task needs 5 outputs"),
        layers.getMessage());
  }

  @Test
  void aPipelineModelRoundTripsBitExactly() throws Exception {
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {features(), labels(),
        new MlpMultilabelClassifier().setHidden(new int[] {8}).setEpochs(3).setBatchSize(64)
            .setThresholds(new double[] {0.4, 0.5, 0.5, 0.5, 0.6})});
    PipelineModel fitted = pipeline.fit(train);
    String path = dir.resolve("pipeline").toString();
    fitted.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    MlpMultilabelModel stage = (MlpMultilabelModel) loaded.stages()[2];
    assertEquals(((MlpMultilabelModel) fitted.stages()[2]).savedModel(), stage.savedModel());
    assertEquals(0.6, stage.getThresholds()[4], "Params come back from the metadata");
    List<Row> before = fitted.transform(test).select("rawPrediction", "probability", "prediction")
        .collectAsList();
    List<Row> after = loaded.transform(test).select("rawPrediction", "probability", "prediction")
        .collectAsList();
    assertEquals(before, after);

    MlpMultilabelClassifier unfitted = (MlpMultilabelClassifier) pipeline.getStages()[2];
    String estimatorPath = dir.resolve("estimator").toString();
    unfitted.write().save(estimatorPath);
    MlpMultilabelClassifier again = MlpMultilabelClassifier.load(estimatorPath);
    assertEquals(8, again.getHidden()[0]);
    assertArrayEquals(unfitted.getThresholds(), again.getThresholds());
  }

  /**
   * Each row's predicted label names (comma-joined, as predict writes them) and the exact bits of
   * its probabilities, keyed by id when there is one, sorted.
   */
  private static List<String> outcomes(List<Row> rows, List<String> labelNames) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      Object prediction = r.getAs("prediction");
      String names = prediction instanceof Vector v ? String.join(",",
          IntStream.range(0, v.size()).filter(j -> v.apply(j) == 1.0)
              .mapToObj(labelNames::get).toList()) : (String) prediction;
      String id = Arrays.asList(r.schema().fieldNames()).contains("id")
          ? r.getAs("id").toString() + " " : "";
      out.add(id + "[" + names + "]" + MlpPersistenceTest.bits(MlpPersistenceTest.probability(r)));
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  @Test
  void aCliTrainedModelLoadsAndScoresBitwiseLikePredict() throws Exception {
    Path csv = dir.resolve("train.csv");
    train.coalesce(1).write().option("header", true).csv(csv.toString());
    Path model = dir.resolve("cli-model");
    MlpPersistenceTest.cli("train", "conf/examples/multilabel-synthetic.conf",
        "--set", "data.train.path=" + csv, "--set", "output.model=" + model,
        "--set", "train.epochs=3", "--set", "spark.master=local[2]");
    Path predictions = dir.resolve("predictions");
    MlpPersistenceTest.cli("predict", "--model", model.toString(), "--input", csv.toString(),
        "--output", predictions.toString());

    MlpMultilabelModel loaded = MlpMultilabelModel.load(model.toString());
    assertEquals(Arrays.asList(Y), loaded.labelNames());
    assertTrue(loaded.savedModel().standardized(), "the CLI model carries its standardization");
    Dataset<Row> input = features().transform(spark.read().option("header", true)
        .option("inferSchema", true).csv(csv.toString()));
    List<Row> ours = loaded.transform(input).select("id", "prediction", "probability")
        .collectAsList();
    List<Row> theirs = spark.read().parquet(predictions.toString()).collectAsList();
    assertEquals(600, ours.size());
    assertEquals(outcomes(theirs, null), outcomes(ours, loaded.labelNames()));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MlpClassificationModel.load(model.toString()));
    assertEquals("a multilabel network is not a classifier; load it with MlpMultilabelModel",
        e.getMessage());
  }

  @Test
  void aTransformersModelIsReadByTheCliAndScoresAndEvaluatesLikeIt() throws Exception {
    Path saved = MlpPersistenceTest.saveAsModelDirectory(model, model.savedModel(),
        dir.resolve("ml-model"));

    // the saved configuration describes a Parquet input: a features vector, a 0/1 column per label
    Path input = dir.resolve("test.parquet");
    Dataset<Row> data = features().transform(test).drop(X);
    data.write().parquet(input.toString());
    Path predictions = dir.resolve("predictions");
    MlpPersistenceTest.cli("predict", "--model", saved.toString(), "--input", input.toString(),
        "--output", predictions.toString());
    List<Row> theirs = spark.read().parquet(predictions.toString()).collectAsList();
    Dataset<Row> transformed = model.transform(labels().transform(data));
    List<Row> scored = transformed.collectAsList();
    assertEquals(outcomes(theirs, null), outcomes(
        transformed.select("prediction", "probability").collectAsList(), model.labelNames()));

    // the command line's per-label F1 is the transform's, counted from its prediction vectors
    Path metrics = dir.resolve("metrics.json");
    MlpPersistenceTest.cli("evaluate", "--model", saved.toString(), "--input", input.toString(),
        "--output", metrics.toString());
    JsonNode perLabel = new ObjectMapper()
        .readTree(Files.readString(metrics, StandardCharsets.UTF_8)).path("per_label");
    for (int j = 0; j < LABELS; j++) {
      long tp = 0;
      long fp = 0;
      long fn = 0;
      for (Row r : scored) {
        double yhat = vector(r, "prediction")[j];
        double y = vector(r, "label")[j];
        tp += yhat == 1 && y == 1 ? 1 : 0;
        fp += yhat == 1 && y == 0 ? 1 : 0;
        fn += yhat == 0 && y == 1 ? 1 : 0;
      }
      double f1 = 2.0 * tp / (2.0 * tp + fp + fn);
      assertEquals(f1, perLabel.path(Y[j]).path("f1").asDouble(), 1e-12, Y[j]);
      assertTrue(f1 > 0.8, Y[j] + " F1 " + f1);
    }

    MlpMultilabelModel again = MlpMultilabelModel.load(saved.toString());
    assertEquals(model.uid(), again.uid(), "the Spark ML metadata keeps the uid");
    assertEquals(model.savedModel(), again.savedModel());
  }
}
