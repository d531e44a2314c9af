package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.testing.ReadmeSnippets;
import io.sparkmlp.testing.Synthetic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "Spark ML" snippets (Pipeline + CrossValidator, multi-label), as written, on an
 * ordinary SparkSession; their text is the README's, and the README's Params table lists every
 * training Param with its key.
 */
class ReadmeSparkMlTest {

  @BeforeAll
  static void start() {
    PlainSpark.start();
  }

  @AfterAll
  static void stop() {
    PlainSpark.stop();
  }

  private static Dataset<Row> snippet(Dataset<Row>[] out) throws IOException {
    // README:spark-ml:start
    SparkSession spark = SparkSession.builder().master("local[2]").appName("mlp").getOrCreate();
    Dataset<Row> csv = spark.read().option("header", true).option("inferSchema", true)
        .csv("src/test/resources/data/breast_cancer.csv"); // x1..x30, label 0/1
    Dataset<Row>[] split = csv.randomSplit(new double[] {0.8, 0.2}, 42);

    MlpClassifier mlp = new MlpClassifier() // was: new MultilayerPerceptronClassifier()
        .setLayers(new int[] {30, 16, 2}).setMaxIter(20).setBlockSize(32).setSeed(42);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(Arrays.copyOf(csv.columns(), 30)).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
        mlp});
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(mlp.learningRate(), new double[] {1e-3, 5e-3}).build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline)
        .setEstimatorParamMaps(grid).setEvaluator(new BinaryClassificationEvaluator())
        .setNumFolds(2).setParallelism(2).setSeed(42).fit(split[0]);
    Dataset<Row> scored = cv.bestModel().transform(split[1]); // rawPrediction, probability, prediction
    ((PipelineModel) cv.bestModel()).write().overwrite().save("target/models/bc-pipeline");
    // README:spark-ml:end
    out[0] = split[1];
    return scored;
  }

  @Test
  @SuppressWarnings("unchecked")
  void theReadmeSnippetTunesSavesAndScores() throws IOException {
    Dataset<Row>[] test = new Dataset[1];
    Dataset<Row> scored = snippet(test);
    double auc = new BinaryClassificationEvaluator().evaluate(scored);
    assertTrue(auc > 0.95, "test AUC " + auc);
    PipelineModel loaded = PipelineModel.load("target/models/bc-pipeline");
    assertEquals(scored.select("probability").collectAsList(),
        loaded.transform(test[0]).select("probability").collectAsList());
  }

  private static Dataset<Row> multilabelSnippet(Dataset<Row> rows) throws IOException {
    // README:spark-ml-multilabel:start
    // rows: features x1..x20 and one 0/1 column per label, y1..y5
    String[] xs = IntStream.rangeClosed(1, 20).mapToObj(i -> "x" + i).toArray(String[]::new);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(xs).setOutputCol("features"),
        new VectorAssembler().setInputCols(new String[] {"y1", "y2", "y3", "y4", "y5"})
            .setOutputCol("label"), // the label is a vector: 0/1 per label
        new MlpMultilabelClassifier().setHidden(new int[] {32}).setEpochs(10).setBatchSize(64)
            .setThresholds(new double[] {0.5, 0.5, 0.5, 0.5, 0.3})});
    PipelineModel model = pipeline.fit(rows);
    Dataset<Row> scored = model.transform(rows); // probability, rawPrediction, prediction vectors
    MlpMultilabelModel mlp = (MlpMultilabelModel) model.stages()[2]; // labelNames(): y1..y5
    mlp.write().overwrite().save("target/models/multilabel-ml"); // spark-mlp predict reads it
    // README:spark-ml-multilabel:end
    return scored;
  }

  @Test
  void theReadmeMultilabelSnippetTrainsScoresAndSaves() throws IOException {
    Dataset<Row> rows = MlpMultilabelTest.table(SparkSession.active(),
        Synthetic.multilabel(400, 20, 5, 17), 0, 400);
    Dataset<Row> scored = multilabelSnippet(rows);
    Row r = scored.select("label", "probability", "prediction").first();
    double[] p = ((Vector) r.get(1)).toArray();
    double[] yhat = ((Vector) r.get(2)).toArray();
    assertEquals(5, p.length);
    assertEquals(p[4] > 0.3 ? 1.0 : 0.0, yhat[4], "y5 decided at its threshold 0.3");
    assertEquals(p[0] > 0.5 ? 1.0 : 0.0, yhat[0]);
    MlpMultilabelModel loaded = MlpMultilabelModel.load("target/models/multilabel-ml");
    assertEquals(List.of("y1", "y2", "y3", "y4", "y5"), loaded.labelNames());
    assertEquals(0.3, loaded.getThresholds()[4]);
  }

  @Test
  void theReadmeShowsTheMultilabelSnippetThatIsTested() throws IOException {
    ReadmeSnippets.assertShown("src/test/java/io/sparkmlp/ml/ReadmeSparkMlTest.java",
        "spark-ml-multilabel", "#### Multi-label");
  }

  @Test
  void theReadmeShowsTheSnippetThatIsTested() throws IOException {
    ReadmeSnippets.assertShown("src/test/java/io/sparkmlp/ml/ReadmeSparkMlTest.java", "spark-ml",
        "### Spark ML");
  }

  @Test
  void theReadmeListsEveryTrainingParamWithItsKey() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    for (Map.Entry<String, String> e : ConfigParams.KEYS.entrySet()) {
      assertTrue(readme.contains("| `" + e.getKey() + "` | `" + e.getValue() + "` |"),
          "README lists Param " + e.getKey() + " with key " + e.getValue());
    }
  }
}
