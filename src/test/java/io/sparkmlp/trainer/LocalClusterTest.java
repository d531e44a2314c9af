package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.testing.Synthetic;
import java.io.File;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Training with two executor JVMs ({@code local-cluster[2,1,1024]}): weights, rows and partial
 * sums really cross process boundaries through Kryo, and the result is bitwise identical to the
 * in-process run with the same partitioning.
 */
class LocalClusterTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 6, 12, 3);

  private static TrainerConfig config() {
    return TrainerConfig.builder(SPEC).batchSize(40).epochs(8).seed(9L).validationFraction(0.2)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f)).build();
  }

  @Test
  void twoExecutorJvmsTrainTheSameModelAsLocalMode() {
    List<Row> rows = Synthetic.classification(400, 6, 3, 21L);
    TrainedModel local = new MlpTrainer(config()).fitRows(SharedSpark.jsc().parallelize(rows, 4),
        null);
    SharedSpark.stop();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    SparkConf conf = SparkMlpConf.apply(new SparkConf()
        .setMaster("local-cluster[2,1,1024]")
        .setAppName("spark-mlp-local-cluster-test")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.12")
        .set("spark.executorEnv.SPARK_TESTING", "1")
        .set("spark.executor.extraClassPath", cp)
        .set("spark.executor.extraJavaOptions", "-Dlog4j.configurationFile="
            + new File("conf/log4j2-test.properties").getAbsolutePath()));
    JavaSparkContext jsc = new JavaSparkContext(conf);
    try {
      // executor JVMs register asynchronously
      long deadline = System.currentTimeMillis() + 60_000;
      while (jsc.sc().getExecutorMemoryStatus().size() < 3 && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      assertEquals(3, jsc.sc().getExecutorMemoryStatus().size(), "driver + 2 executors");
      TrainedModel cluster = new MlpTrainer(config()).fitRows(jsc.parallelize(rows, 4), null);
      assertEquals(local.train().rows(), cluster.train().rows());
      assertArrayEquals(local.params(), cluster.params(),
          "executor JVMs must reproduce the local-mode weights bit for bit");
      assertEquals(local.lastEpoch().validationMetric(), cluster.lastEpoch().validationMetric());
      assertTrue(cluster.lastEpoch().validationMetric() > 0.75,
          "validation accuracy " + cluster.lastEpoch().validationMetric());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      jsc.stop();
    }
  }
}
