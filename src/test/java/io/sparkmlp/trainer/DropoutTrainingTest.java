package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Dropout;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.testing.Synthetic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropout in distributed training (local[2]): masks keyed by (seed, epoch, step) and each row's
 * content hash, so runs are reproducible bit for bit, independent of where and in which order a
 * partition's rows arrive, and resumable exactly; the trained model predicts with the whole
 * network.
 */
class DropoutTrainingTest {
  private static final NetworkSpec SPEC = NetworkSpec.of(Task.MULTICLASS,
      Activation.of(Activation.Kind.RELU), 6, 16, 12, 3).withDropout(0.3);
  private static final List<Row> ROWS = Synthetic.classification(300, 6, 3, 7L);

  private static JavaRDD<Row> data(List<Row> rows, int partitions) {
    return SharedSpark.jsc().parallelize(rows, partitions);
  }

  private static TrainerConfig.Builder cfg(NetworkSpec spec) {
    return TrainerConfig.builder(spec).batchSize(32).epochs(3).seed(11L)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f));
  }

  @Test
  void stepGradientUsesMasksKeyedByRowContent() {
    // one step holding every row: the distributed gradient on 1 and 3 partitions equals the local
    // kernel's with each row's masks keyed by its content hash
    Mlp mlp = new Mlp(SPEC);
    float[] params = cfg(SPEC).build().initializer().initialize(mlp.layout(), 3L);
    int n = ROWS.size();
    float[] x = new float[n * 6];
    float[] y = new float[n];
    long[] keys = new long[n];
    for (int r = 0; r < n; r++) {
      Vector v = (Vector) ROWS.get(r).get(0);
      for (int i = 0; i < 6; i++) {
        x[r * 6 + i] = (float) v.apply(i);
      }
      y[r] = (float) ROWS.get(r).getDouble(1);
      keys[r] = RowHash.of(x, r * 6, 6, y, r, 1);
    }
    long stepKey = Dropout.stepKey(11L, 1, 0);
    float[] local = new float[mlp.layout().size()];
    double localLoss = mlp.lossAndGradient(params, x, 0, y, 0, keys, 0, stepKey, n, local,
        mlp.newWorkspace(64));
    float[] unmasked = new float[local.length];
    mlp.lossAndGradient(params, x, 0, y, 0, n, unmasked, mlp.newWorkspace(64));
    assertTrue(MlpTrainerTest.relativeError(unmasked, local) > 0.05, "dropout matters here");
    MlpTrainer trainer = new MlpTrainer(cfg(SPEC).batchSize(n).build());
    for (int partitions : new int[] {1, 3}) {
      JavaRDD<PackedBlock> blocks = MlpTrainer.packBlocks(data(ROWS, partitions),
          new RowPacker(SPEC, RowPacker.InvalidRows.FAIL), 0.0, 11L, false);
      try {
        PartialSums dist = trainer.runStep(SharedSpark.jsc(), "dropout-grad-" + partitions,
            blocks, false, params, 1, 0, 1, 64, 1, null);
        assertEquals(n, dist.count);
        assertEquals(localLoss, dist.loss, 1e-5 * Math.abs(localLoss));
        double err = MlpTrainerTest.relativeError(dist.grad, local);
        assertTrue(err < 1e-5, partitions + " partitions: relative gradient error " + err);
      } finally {
        blocks.unpersist(true);
      }
    }
  }

  @Test
  void sameSeedSameBitsAndRowOrderInsidePartitionsDoesNotMatter() {
    TrainedModel a = new MlpTrainer(cfg(SPEC).build()).fitRows(data(ROWS, 2), null);
    TrainedModel b = new MlpTrainer(cfg(SPEC).build()).fitRows(data(ROWS, 2), null);
    assertArrayEquals(a.params(), b.params(), "same seed, same bits");
    // the same partitions, each receiving its rows in another order (as a recomputed partition
    // may after an executor loss): the masks follow the rows, the bits are the same
    List<Row> shuffled = new ArrayList<>();
    int half = ROWS.size() / 2;
    for (List<Row> part : List.of(ROWS.subList(0, half), ROWS.subList(half, ROWS.size()))) {
      List<Row> p = new ArrayList<>(part);
      Collections.shuffle(p, new Random(5));
      shuffled.addAll(p);
    }
    TrainedModel c = new MlpTrainer(cfg(SPEC).build()).fitRows(data(shuffled, 2), null);
    assertArrayEquals(a.params(), c.params(), "rows in another order inside their partitions");

    TrainedModel otherSeed = new MlpTrainer(cfg(SPEC).seed(12L).build()).fitRows(data(ROWS, 2),
        null);
    assertFalse(java.util.Arrays.equals(a.params(), otherSeed.params()));
    TrainedModel none = new MlpTrainer(cfg(SPEC.withDropout(0)).build()).fitRows(data(ROWS, 2),
        null);
    assertTrue(MlpTrainerTest.relativeError(none.params(), a.params()) > 1e-3,
        "dropout changes the training");
  }

  @Test
  void oneAndTwoPartitionsDrawTheSameMasks() {
    // the gradient sums of 1 and 2 partitions differ only by float rounding (the order of the
    // additions): with masks keyed by position the runs would differ at order 1
    TrainedModel one = new MlpTrainer(cfg(SPEC).build()).fitRows(data(ROWS, 1), null);
    TrainedModel two = new MlpTrainer(cfg(SPEC).build()).fitRows(data(ROWS, 2), null);
    double err = MlpTrainerTest.relativeError(two.params(), one.params());
    assertTrue(err < 1e-4, "1 vs 2 partitions differ by " + err);
  }

  @Test
  void resumeFromACheckpointIsBitwiseIdentical(@TempDir Path dir) {
    JavaRDD<Row> rows = data(ROWS, 3);
    TrainedModel uninterrupted = new MlpTrainer(cfg(SPEC).build()).fitRows(rows, null);
    // 300 rows, batch 32: 10 steps per epoch; checkpoints every 4 steps, stop mid-epoch 2
    new MlpTrainer(cfg(SPEC).checkpoint(new CheckpointSettings(dir.toString(), 4, true, 2, false,
        false)).stopAfterSteps(14).build()).fitRows(rows, null);
    TrainedModel resumed = new MlpTrainer(cfg(SPEC).checkpoint(new CheckpointSettings(
        dir.toString(), 4, true, 2, true, false)).build()).fitRows(rows, null);
    assertTrue(resumed.provenance().get("resumed.from").endsWith("step-000000000012"),
        resumed.provenance().get("resumed.from"));
    assertArrayEquals(uninterrupted.params(), resumed.params());
    assertEquals(uninterrupted.lastEpoch().trainLoss(), resumed.lastEpoch().trainLoss());
  }

  @Test
  void theTrainedModelPredictsAndEvaluatesWithTheWholeNetwork() {
    TrainedModel m = new MlpTrainer(cfg(SPEC).build()).fitRows(data(ROWS, 2), null);
    int n = 40;
    float[] x = new float[n * 6];
    for (int r = 0; r < n; r++) {
      Vector v = (Vector) ROWS.get(r).get(0);
      for (int i = 0; i < 6; i++) {
        x[r * 6 + i] = (float) v.apply(i);
      }
    }
    float[] p1 = m.predict(x, n);
    float[] p2 = m.predict(x, n);
    assertArrayEquals(p1, p2, "prediction is deterministic");
    // the same weights in the network without dropout: the same outputs, bit for bit
    Mlp plain = new Mlp(SPEC.withDropout(0));
    io.sparkmlp.model.Workspace ws = plain.newWorkspace(n);
    plain.forward(m.params(), x, 0, n, ws);
    assertArrayEquals(java.util.Arrays.copyOf(ws.outputs(), n * 3), p1);
    // distributed evaluation: the same loss as the local full-network pass, twice
    org.apache.spark.sql.Dataset<Row> df = SharedSpark.session().createDataFrame(ROWS.subList(0, n),
        new org.apache.spark.sql.types.StructType()
            .add("features", new org.apache.spark.ml.linalg.VectorUDT())
            .add("label", org.apache.spark.sql.types.DataTypes.DoubleType));
    MlpTrainer trainer = new MlpTrainer(cfg(SPEC).build());
    EvalSums e1 = trainer.evaluate(m, df);
    EvalSums e2 = trainer.evaluate(m, df);
    assertEquals(e1.loss, e2.loss);
    float[] y = new float[n];
    for (int r = 0; r < n; r++) {
      y[r] = (float) ROWS.get(r).getDouble(1);
    }
    double local = plain.loss(m.params(), x, 0, y, 0, n, ws);
    assertEquals(local, e1.loss, 1e-6 * Math.abs(local));
  }
}
