package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.ReadmeSnippets;
import io.sparkmlp.testing.SharedSpark;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "From Java" snippet, as written, on an ordinary SparkSession (Java serialization,
 * nothing of spark-mlp's Spark settings applied); and the one-line refusal of a Kryo session that
 * requires registration without the project's registrator.
 */
class ReadmeFromJavaTest {

  @BeforeAll
  static void ownSession() {
    SharedSpark.stop(); // this test needs sessions with other settings than the shared one
  }

  @AfterAll
  static void stopOwnSession() {
    stopDefault();
  }

  private static void stopDefault() {
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  /** The snippet, between the markers; must equal README.md's java block. */
  private static TrainedModel snippet() {
    // README:from-java:start
    SparkSession spark = SparkSession.builder().master("local[2]").appName("mlp").getOrCreate();
    Dataset<Row> csv = spark.read().option("header", true).option("inferSchema", true)
        .csv("src/test/resources/data/breast_cancer.csv"); // x1..x30, label 0/1
    Dataset<Row> assembled = new VectorAssembler().setInputCols(Arrays.copyOf(csv.columns(), 30))
        .setOutputCol("raw").transform(csv);
    Dataset<Row> data = new StandardScaler().setInputCol("raw").setOutputCol("features")
        .setWithMean(true).fit(assembled).transform(assembled);
    Dataset<Row>[] split = data.randomSplit(new double[] {0.8, 0.2}, 42);

    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 30, 32, 16, 1);
    TrainerConfig cfg = TrainerConfig.builder(spec)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 5e-3f))
        .batchSize(32).epochs(20).seed(42).earlyStopping(5, 0.0, true).build();
    TrainedModel model = new MlpTrainer(cfg).fit(split[0], split[1]); // validates on split[1]
    model.history().forEach(System.out::println);
    // README:from-java:end
    return model;
  }

  @Test
  void theReadmeSnippetTrainsOnAPlainSparkSession() {
    TrainedModel model = snippet();
    assertEquals("org.apache.spark.serializer.JavaSerializer",
        SparkSession.active().sparkContext().getConf().get("spark.serializer",
            "org.apache.spark.serializer.JavaSerializer"), "a session without Kryo");
    assertFalse(model.history().isEmpty());
    assertTrue(model.weightsEpoch().validationMetric() > 0.9,
        "validation accuracy " + model.weightsEpoch().validationMetric());
  }

  @Test
  void theReadmeShowsTheSnippetThatIsTested() throws IOException {
    ReadmeSnippets.assertShown("src/test/java/io/sparkmlp/trainer/ReadmeFromJavaTest.java",
        "from-java", "### From Java");
  }

  @Test
  void aKryoSessionRequiringRegistrationWithoutTheRegistratorFailsWithOneLine() {
    stopDefault();
    SparkSession kryo = SparkSession.builder().config(new SparkConf().setMaster("local[1]")
        .setAppName("kryo").set("spark.ui.enabled", "false")
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set("spark.kryo.registrationRequired", "true")).getOrCreate();
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 2, 1);
    TrainerConfig cfg = TrainerConfig.builder(spec).batchSize(1).epochs(1).build();
    Dataset<Row> rows = kryo.createDataFrame(List.of(
        new org.apache.spark.ml.feature.LabeledPoint(1.0,
            org.apache.spark.ml.linalg.Vectors.dense(1, 2))),
        org.apache.spark.ml.feature.LabeledPoint.class);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new MlpTrainer(cfg).fit(rows));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().contains("spark.kryo.registrator="
        + SparkMlpKryoRegistrator.class.getName()), e.getMessage());
    stopDefault();
  }
}
