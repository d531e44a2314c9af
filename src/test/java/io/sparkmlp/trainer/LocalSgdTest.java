package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.Updater;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.testing.TaskKiller;
import io.sparkmlp.testing.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local SGD ({@link SyncSettings}) in local[2]: H = 1 is the synchronous algorithm bit for bit;
 * H &gt; 1 is reproducible, resumes exactly, survives task retries with the same bits, and learns.
 */
class LocalSgdTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 6, 8, 3);

  private static JavaRDD<Row> data(int rows, int partitions) {
    return SharedSpark.jsc().parallelize(Synthetic.classification(rows, 6, 3, 7L), partitions);
  }

  private static TrainerConfig.Builder cfg() {
    return TrainerConfig.builder(SPEC).batchSize(32).epochs(3).seed(11L)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f));
  }

  private static SyncSettings every(int h) {
    return new SyncSettings(h, SyncSettings.Outer.AVERAGE, 1f, 0.9f);
  }

  private static SyncSettings diloco(int h) {
    return new SyncSettings(h, SyncSettings.Outer.NESTEROV, 0.7f, 0.9f);
  }

  /**
   * Synchronous data-parallel SGD written out step by step with the trainer's distributed step
   * ({@link MlpTrainer#runStep}) and a driver-side {@link Updater}: the algorithm H = 1 must be.
   */
  private static float[] synchronousReference(TrainerConfig c, JavaRDD<Row> rows) {
    MlpTrainer trainer = new MlpTrainer(c);
    Mlp mlp = new Mlp(c.spec());
    JavaRDD<PackedBlock> blocks = MlpTrainer.packBlocks(rows,
        new RowPacker(c.spec(), RowPacker.InvalidRows.FAIL), 0.0, c.seed(), false).cache();
    try {
      long n = blocks.map(PackedBlock::rows).reduce(Integer::sum);
      int steps = (int) ((n + c.batchSize() - 1) / c.batchSize());
      float[] params = c.initializer().initialize(mlp.layout(), c.seed());
      Updater updater = Updater.create(c.optim(), mlp.layout(), (long) steps * c.epochs());
      long global = 0;
      for (int e = 1; e <= c.epochs(); e++) {
        for (int s = 0; s < steps; s++) {
          PartialSums sum = trainer.runStep(SharedSpark.jsc(), "reference", blocks, false, params,
              e, s, steps, Math.min(c.batchSize(), Mlp.MAX_CHUNK_ROWS), ++global, null);
          if (sum.count > 0) {
            float inv = (float) (1.0 / sum.count);
            for (int i = 0; i < sum.grad.length; i++) {
              sum.grad[i] *= inv;
            }
            updater.apply(params, sum.grad);
          }
        }
      }
      return params;
    } finally {
      blocks.unpersist(true);
    }
  }

  @Test
  void syncEveryOneIsSynchronousSgdBitForBit() {
    TrainerConfig c = cfg().sync(every(1)).build();
    assertTrue(c.sync().synchronous());
    assertEquals(cfg().build().trajectoryDescription(), c.trajectoryDescription(),
        "H = 1 keeps the fingerprints of synchronous runs");
    TrainedModel trained = new MlpTrainer(c).fitRows(data(400, 4), null);
    assertArrayEquals(synchronousReference(c, data(400, 4)), trained.params());
  }

  @Test
  void sameSeedGivesTheSameBitsAndLocalStepsChangeTheTrajectory() {
    TrainedModel a = new MlpTrainer(cfg().sync(every(4)).build()).fitRows(data(400, 4), null);
    TrainedModel b = new MlpTrainer(cfg().sync(every(4)).build()).fitRows(data(400, 4), null);
    assertArrayEquals(a.params(), b.params());
    TrainedModel sync = new MlpTrainer(cfg().build()).fitRows(data(400, 4), null);
    assertNotEquals(0.0, MlpTrainerTest.maxAbsDiff(a.params(), sync.params()));
    TrainedModel n = new MlpTrainer(cfg().sync(diloco(4)).build()).fitRows(data(400, 4), null);
    TrainedModel n2 = new MlpTrainer(cfg().sync(diloco(4)).build()).fitRows(data(400, 4), null);
    assertArrayEquals(n.params(), n2.params());
    assertNotEquals(0.0, MlpTrainerTest.maxAbsDiff(a.params(), n.params()));
    assertEquals(a.history().get(2).steps(), sync.history().get(2).steps(),
        "an epoch has as many steps whatever H");
  }

  @Test
  void onePartitionIsSynchronousUpToRoundingAndMorePartitionsDifferByDesign() {
    // one partition: its local steps are the global steps (the same rows, the same optimizer)
    TrainedModel sync1 = new MlpTrainer(cfg().build()).fitRows(data(400, 1), null);
    TrainedModel local1 = new MlpTrainer(cfg().sync(every(4)).build()).fitRows(data(400, 1), null);
    double err1 = MlpTrainerTest.relativeError(local1.params(), sync1.params());
    assertTrue(err1 < 1e-4, "1 partition, H = 4 vs H = 1: " + err1);
    // four partitions: each partition's local trajectory sees only its own rows
    TrainedModel local4 = new MlpTrainer(cfg().sync(every(4)).build()).fitRows(data(400, 4), null);
    double err4 = MlpTrainerTest.relativeError(local4.params(), sync1.params());
    assertTrue(err4 > 1e-3, "4 partitions, H = 4 vs H = 1: " + err4);
  }

  @Test
  void localSgdLearns() {
    for (SyncSettings sync : List.of(every(4), every(16), diloco(8))) {
      TrainerConfig c = cfg().epochs(30).validationFraction(0.25).sync(sync).build();
      TrainedModel m = new MlpTrainer(c).fitRows(data(600, 3), null);
      assertTrue(m.history().get(0).trainLoss() > m.lastEpoch().trainLoss(), sync.describe());
      assertTrue(m.lastEpoch().validationMetric() > 0.85,
          sync.describe() + ": validation accuracy " + m.lastEpoch().validationMetric());
    }
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void resumeIsBitwiseIdenticalWithOuterMomentum(@TempDir Path dir) throws Exception {
    // 300 rows, batch 32: 10 steps per epoch; H = 3 gives rounds ending at 3, 6, 9, 10 (epoch
    // end), 13, 16, 19, 20; checkpoints every 4 steps are written at the ends of the rounds that
    // cross a multiple of 4 (6, 9, 13, 16); the run stops at the end of the round reaching 17
    TrainerConfig.Builder b = cfg().sync(diloco(3));
    JavaRDD<Row> rows = data(300, 3);
    TrainedModel uninterrupted = new MlpTrainer(b.build()).fitRows(rows, null);
    TrainedModel stopped = new MlpTrainer(b.checkpoint(
        new CheckpointSettings(dir.toString(), 4, false, 3, false, false)).stopAfterSteps(17)
        .build()).fitRows(rows, null);
    assertTrue(stopped.stopReason().startsWith("stopped after step 19"), stopped.stopReason());
    assertEquals(List.of("step-000000000009", "step-000000000013", "step-000000000016"),
        names(dir));
    TrainedModel resumed = new MlpTrainer(b.checkpoint(
        new CheckpointSettings(dir.toString(), 4, false, 3, true, false)).stopAfterSteps(0)
        .build()).fitRows(rows, null);
    assertTrue(resumed.provenance().get("resumed.from").endsWith("step-000000000016"));
    assertArrayEquals(uninterrupted.params(), resumed.params());
    for (int i = 0; i < 3; i++) {
      assertEquals(uninterrupted.history().get(i).trainLoss(), resumed.history().get(i).trainLoss());
    }
    // a checkpoint holds the outer momentum
    assertTrue(new io.sparkmlp.trainer.state.CheckpointStore(dir.toString(), 3,
        SharedSpark.jsc().hadoopConfiguration()).latest(new Mlp(SPEC).layout().size())
        .orElseThrow().outer().slots().containsKey("v"));
  }

  @Test
  void killedTasksAreRecomputedWithTheSameBits() throws Exception {
    TrainerConfig c = cfg().batchSize(64).sync(diloco(4)).build();
    TrainedModel undisturbed = new MlpTrainer(c).fitRows(data(2000, 2), null);
    SparkContext sc = SharedSpark.jsc().sc();
    TaskKiller killer = new TaskKiller(sc, d -> d.contains("local round"));
    sc.addSparkListener(killer);
    TrainedModel disturbed;
    try {
      disturbed = new MlpTrainer(c).fitRows(data(2000, 2), null);
    } finally {
      sc.removeSparkListener(killer);
    }
    assertTrue(killer.killed.get() > 0, "no local-round task was killed and retried");
    assertArrayEquals(undisturbed.params(), disturbed.params());
  }


  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new SyncSettings(0,
        SyncSettings.Outer.AVERAGE, 1f, 0.9f));
    assertThrows(IllegalArgumentException.class, () -> new SyncSettings(2,
        SyncSettings.Outer.NESTEROV, 0f, 0.9f));
    assertThrows(IllegalArgumentException.class, () -> new SyncSettings(2,
        SyncSettings.Outer.NESTEROV, 0.7f, 1f));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SyncSettings.Outer.parse("adam"));
    assertTrue(e.getMessage().contains("average, momentum, nesterov"), e.getMessage());
  }
}
