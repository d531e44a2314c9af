package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.testing.Synthetic;
import io.sparkmlp.trainer.state.CheckpointStore;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and exact resume in local[2]: an interrupted run resumed from its newest valid
 * checkpoint ends with weights bitwise identical to an uninterrupted run.
 */
class CheckpointResumeTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 6, 8, 3);
  /** 240 rows, 25% held out: ~180 training rows, batch 32, so 6 steps per epoch. */
  private static JavaRDD<Row> data;
  private static TrainedModel uninterrupted;

  @BeforeAll
  static void baseline() {
    data = SharedSpark.jsc().parallelize(Synthetic.classification(240, 6, 3, 5L), 3);
    uninterrupted = new MlpTrainer(cfg().build()).fitRows(data, null);
  }

  private static TrainerConfig.Builder cfg() {
    return TrainerConfig.builder(SPEC).batchSize(32).epochs(2).seed(17L)
        .validationFraction(0.25).earlyStopping(10, 0.0, true)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f));
  }

  private static CheckpointSettings ck(Path dir, int everySteps, boolean resume, boolean force) {
    return new CheckpointSettings(dir.toString(), everySteps, true, 2, resume, force);
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static void assertSameRun(TrainedModel expected, TrainedModel actual) {
    assertArrayEquals(expected.params(), actual.params());
    assertEquals(expected.history().size(), actual.history().size());
    for (int i = 0; i < expected.history().size(); i++) {
      assertEquals(expected.history().get(i).trainLoss(), actual.history().get(i).trainLoss());
      assertEquals(expected.history().get(i).validationLoss(),
          actual.history().get(i).validationLoss());
    }
    assertEquals(expected.stopReason(), actual.stopReason());
  }

  @Test
  void resumeMidEpochIsBitwiseIdentical(@TempDir Path dir) throws Exception {
    // steps 1..6 epoch 1, 7..12 epoch 2; checkpoints at 3, 6 (epoch end), 9; stop at 10
    TrainedModel stopped = new MlpTrainer(cfg().checkpoint(ck(dir, 3, false, false))
        .stopAfterSteps(10).build()).fitRows(data, null);
    assertTrue(stopped.stopReason().startsWith("stopped after step 10"), stopped.stopReason());
    assertEquals(List.of("step-000000000006", "step-000000000009"), names(dir)); // keep = 2
    TrainedModel resumed = new MlpTrainer(cfg().checkpoint(ck(dir, 3, true, false)).build())
        .fitRows(data, null);
    assertResumedFrom(resumed, "step-000000000009");
    assertSameRun(uninterrupted, resumed);
  }

  private static void assertResumedFrom(TrainedModel m, String checkpoint) {
    String from = m.provenance().get("resumed.from");
    assertTrue(from != null && from.endsWith(checkpoint), "resumed from " + from);
  }

  @Test
  void resumeAtEpochBoundaryIsBitwiseIdentical(@TempDir Path dir) throws Exception {
    new MlpTrainer(cfg().checkpoint(ck(dir, 0, false, false)).stopAfterSteps(8).build())
        .fitRows(data, null);
    assertEquals(List.of("step-000000000006"), names(dir));
    TrainedModel resumed = new MlpTrainer(cfg().checkpoint(ck(dir, 0, true, false)).build())
        .fitRows(data, null);
    assertResumedFrom(resumed, "step-000000000006");
    assertSameRun(uninterrupted, resumed);
  }

  @Test
  void corruptNewestCheckpointIsSkipped(@TempDir Path dir) throws Exception {
    new MlpTrainer(cfg().checkpoint(ck(dir, 3, false, false)).stopAfterSteps(10).build())
        .fitRows(data, null);
    Path tensors = dir.resolve("step-000000000009").resolve(CheckpointStore.TENSORS_FILE);
    try (RandomAccessFile f = new RandomAccessFile(tensors.toFile(), "rw")) {
      f.setLength(f.length() / 2); // a partially written file
    }
    TrainedModel resumed = new MlpTrainer(cfg().checkpoint(ck(dir, 3, true, false)).build())
        .fitRows(data, null);
    assertResumedFrom(resumed, "step-000000000006");
    assertSameRun(uninterrupted, resumed);
  }

  @Test
  void changedConfigIsRefusedUnlessForced(@TempDir Path dir) throws Exception {
    new MlpTrainer(cfg().checkpoint(ck(dir, 3, false, false)).stopAfterSteps(4).build())
        .fitRows(data, null);
    TrainerConfig changed = cfg().seed(18L).checkpoint(ck(dir, 3, true, false)).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new MlpTrainer(changed).fitRows(data, null));
    assertTrue(e.getMessage().contains("different configuration or data"), e.getMessage());
    // a forced resume continues from the checkpoint
    TrainedModel forced = new MlpTrainer(cfg().seed(18L).checkpoint(ck(dir, 3, true, true))
        .build()).fitRows(data, null);
    assertEquals(2, forced.history().size());
  }

  @Test
  void existingCheckpointsWithoutResumeAreRefused(@TempDir Path dir) throws Exception {
    new MlpTrainer(cfg().checkpoint(ck(dir, 3, false, false)).stopAfterSteps(3).build())
        .fitRows(data, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MlpTrainer(cfg().checkpoint(ck(dir, 3, false, false)).build())
            .fitRows(data, null));
    assertTrue(e.getMessage().contains("already holds 1 checkpoint"), e.getMessage());
  }

  @Test
  void divergenceKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
    new MlpTrainer(cfg().checkpoint(ck(dir, 3, false, false)).stopAfterSteps(3).build())
        .fitRows(data, null);
    // resume (forced) with an absurd learning rate: weights jump to ~3e38 and the next forward pass overflows
    TrainerConfig wild = cfg().optim(OptimConfig.defaults(OptimizerKind.ADAM, 3e38f))
        .checkpoint(new CheckpointSettings(dir.toString(), 1, true, 5, true, true)).build();
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> new MlpTrainer(wild).fitRows(data, null));
    assertTrue(e.getMessage().contains("diverged at step"), e.getMessage());
    assertTrue(e.getMessage().contains("last good checkpoint is"), e.getMessage());
    assertTrue(names(dir).contains("step-000000000003"), names(dir).toString());
    // every checkpoint left behind reads back with finite weights
    CheckpointStore store = new CheckpointStore(dir.toString(), 5,
        SharedSpark.jsc().hadoopConfiguration());
    for (org.apache.hadoop.fs.Path p : store.list()) {
      for (float v : store.load(p, new io.sparkmlp.model.ParamLayout(SPEC).size()).state().params()) {
        assertTrue(Float.isFinite(v));
      }
    }
  }
}
