package io.sparkmlp.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.holdenkarau.spark.testing.JavaRDDComparisons;
import io.sparkmlp.jobs.Main;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained by the command line loads as a Transformer, a Transformer's model is read by the
 * command line, both score bitwise like {@code spark-mlp predict}, and a PipelineModel round-trips
 * bit-exactly.
 */
class MlpPersistenceTest {
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

  private static Dataset<Row> csv() {
    return MlpClassifierTest.breastCancer(spark).drop("features");
  }

  private static VectorAssembler assembler() {
    return new VectorAssembler().setInputCols(Arrays.copyOf(csv().columns(), 30))
        .setOutputCol("features");
  }

  /** Runs {@code spark-mlp <args>} in this JVM; fails with its error output unless it exits 0. */
  static void cli(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
  }

  /** Each row's probability vector and predicted class name, sorted (row order aside). */
  private static List<String> outcomes(List<Row> rows, List<String> classNames) {
    List<String> out = new ArrayList<>();
    for (Row r : rows) {
      double[] p = probability(r);
      Object prediction = r.getAs("prediction");
      // the transformer predicts a class index; predict writes the class itself, a number for
      // numeric labels: compare them as the class's value
      String name = prediction instanceof Double d && classNames != null
          ? classNames.get(d.intValue()) : prediction.toString();
      try {
        name = Double.toString(Double.parseDouble(name));
      } catch (NumberFormatException textClass) {
        // a class name that is not a number stays as it is
      }
      out.add(name + bits(p));
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** A row's probability column: a vector from a transformer, an array in predict's Parquet. */
  static double[] probability(Row r) {
    Object o = r.getAs("probability");
    return o instanceof Vector v ? v.toArray()
        : r.<Number>getList(r.fieldIndex("probability")).stream()
            .mapToDouble(Number::doubleValue).toArray();
  }

  /** The exact bits of {@code values}, as hex words after a space each. */
  static String bits(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
    }
    return sb.toString();
  }

  /**
   * Saves {@code model} at {@code path} and checks that the directory is a spark-mlp model
   * directory holding {@code content} as the command line reads it; returns {@code path}.
   */
  static Path saveAsModelDirectory(MLWritable model, SavedModel content, Path path)
      throws IOException {
    model.write().save(path.toString());
    assertTrue(Files.isRegularFile(path.resolve(ModelDirectory.MODEL_JSON)));
    assertTrue(Files.isRegularFile(path.resolve(ModelDirectory.WEIGHTS_FILE)));
    assertEquals(content, ModelDirectory.load(path.toString(), new Configuration()),
        "the directory holds the model as the CLI reads it");
    return path;
  }

  @Test
  void aCliTrainedModelLoadsAsATransformerAndScoresBitwiseLikePredict() throws Exception {
    Path model = dir.resolve("cli-model");
    cli("train", "conf/examples/breast-cancer.conf", "--set", "output.model=" + model,
        "--set", "train.epochs=3", "--set", "spark.master=local[2]");
    Path predictions = dir.resolve("predictions");
    cli("predict", "--model", model.toString(), "--input",
        "src/test/resources/data/breast_cancer.csv", "--output", predictions.toString());

    MlpClassificationModel loaded = MlpClassificationModel.load(model.toString());
    assertTrue(loaded.savedModel().standardized(), "the CLI model carries its standardization");
    List<Row> ours = loaded.transform(assembler().transform(csv())).collectAsList();
    List<Row> theirs = spark.read().parquet(predictions.toString()).collectAsList();
    assertEquals(569, ours.size());
    assertEquals(outcomes(theirs, null), outcomes(ours, loaded.classNames()));
  }

  @Test
  void aTransformersModelIsReadByTheCliAndScoresBitwiseLikePredict() throws Exception {
    Dataset<Row> data = assembler().transform(csv()).select("features", "label");
    MlpClassificationModel model = new MlpClassifier().setHidden(new int[] {8}).setEpochs(3)
        .setBatchSize(64).fit(data);
    Path saved = saveAsModelDirectory(model, model.savedModel(), dir.resolve("ml-model"));

    Path input = dir.resolve("input.parquet");
    data.write().parquet(input.toString());
    Path predictions = dir.resolve("predictions");
    cli("predict", "--model", saved.toString(), "--input", input.toString(), "--output",
        predictions.toString());
    List<Row> theirs = spark.read().parquet(predictions.toString()).collectAsList();
    List<Row> ours = model.transform(data).collectAsList();
    assertEquals(outcomes(theirs, null), outcomes(ours, model.classNames()));

    MlpClassificationModel again = MlpClassificationModel.load(saved.toString());
    assertEquals(model.uid(), again.uid(), "the Spark ML metadata keeps the uid");
    model.write().overwrite().save(saved.toString());
    assertEquals(model.savedModel(), MlpClassificationModel.load(saved.toString()).savedModel());
  }

  @Test
  void aPipelineModelRoundTripsBitExactly() throws Exception {
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler(),
        new MlpClassifier().setHidden(new int[] {8}).setEpochs(3).setBatchSize(64)
            .setThresholds(new double[] {0.4, 0.6})});
    PipelineModel fitted = pipeline.fit(csv());
    String path = dir.resolve("pipeline").toString();
    fitted.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    MlpClassificationModel stage = (MlpClassificationModel) loaded.stages()[1];
    assertEquals(((MlpClassificationModel) fitted.stages()[1]).savedModel(), stage.savedModel());
    assertEquals(0.6, stage.getThresholds()[1], "Params come back from the metadata");
    Dataset<Row> before = fitted.transform(csv())
        .select("rawPrediction", "probability", "prediction");
    Dataset<Row> after = loaded.transform(csv())
        .select("rawPrediction", "probability", "prediction");
    // spark-testing-base's comparison, row by row in order, inside Spark (exact equality)
    JavaRDDComparisons.assertRDDEqualsWithOrder(before.toJavaRDD(), after.toJavaRDD());
    assertEquals(before.collectAsList(), after.collectAsList());
  }
}
