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
    TrainedModel m = new MlpTrainer(cfg).fitRows(SharedSpark.jsc().parallelize(
        io.sparkmlp.testing.Synthetic.classification(200, 6, 3, 3L), 2), null);
    assertTrue(m.lastEpoch().steps() == 2000, "steps " + m.lastEpoch().steps());
    Set<BlockId> broadcasts = BlockCounter.broadcastBlocks(SharedSpark.session().sparkContext());
    assertTrue(broadcasts.size() < 20, "broadcast blocks left: " + broadcasts.size());
  }
}
