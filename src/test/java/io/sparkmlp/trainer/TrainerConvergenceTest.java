package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockId;
import org.junit.jupiter.api.Test;

/** Convergence on real data and resource behaviour over many steps, in local[2]. */
class TrainerConvergenceTest {

  @Test
  void a9aReachesLinearModelAccuracyInAFewEpochs() {
    SparkSession spark = SharedSpark.session();
    String dir = SharedSpark.dataDir().resolve("a9a").toString();
    Dataset<Row> train = spark.read().format("libsvm").option("numFeatures", "123")
        .load(dir + "/a9a.trn.bz2").repartition(2);
    Dataset<Row> test = spark.read().format("libsvm").option("numFeatures", "123")
        .load(dir + "/a9a.tst.bz2");
    NetworkSpec spec = NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.RELU), 123, 32, 1);
    TrainerConfig cfg = TrainerConfig.builder(spec).batchSize(256).epochs(3).seed(1L)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 2e-3f)).build();
    MlpTrainer trainer = new MlpTrainer(cfg);
    TrainedModel model = trainer.fit(train, test);
    double acc = model.lastEpoch().validationMetric();
    assertTrue(acc >= 0.84, "a9a test accuracy " + acc);
    EvalSums again = trainer.evaluate(model, test);
    assertTrue(Math.abs(again.accuracy() - acc) < 1e-9, "evaluate() disagrees: " + again.accuracy());
    assertTrue(again.count == 16281, "test rows " + again.count);
  }

  @Test
  void broadcastBlocksDoNotAccumulateOver2000Steps() {
    NetworkSpec spec = NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 6, 16, 3);
    TrainerConfig cfg = TrainerConfig.builder(spec).batchSize(10).epochs(100).seed(5L)
        .optim(OptimConfig.defaults(OptimizerKind.SGD, 0.01f)).build();
    int before = settledBroadcastBlocks();
    TrainedModel m = new MlpTrainer(cfg).fitRows(SharedSpark.jsc().parallelize(
        io.sparkmlp.testing.Synthetic.classification(200, 6, 3, 3L), 2), null);
    assertTrue(m.lastEpoch().steps() == 2000, "steps " + m.lastEpoch().steps());
    // weight broadcasts are destroyed every step; Spark's per-stage task binaries go once the
    // ContextCleaner sees them collected. Without cleanup 2000 steps would leave > 4000 blocks.
    int after = settledBroadcastBlocks();
    assertTrue(after - before < 20, "broadcast blocks before " + before + ", after " + after);
  }

  private static int settledBroadcastBlocks() {
    int n = Integer.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Set<BlockId> b = BlockCounter.broadcastBlocks(SharedSpark.session().sparkContext());
      n = Math.min(n, b.size());
    }
    return n;
  }
}
