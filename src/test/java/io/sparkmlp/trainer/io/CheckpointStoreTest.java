package io.sparkmlp.trainer.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.UpdaterState;
import io.sparkmlp.trainer.EpochRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint files on the local file system, without Spark. */
class CheckpointStoreTest {
  private static final Configuration CONF = new Configuration();

  private static TrainingCheckpoint checkpoint(long step, float[] best) {
    float[] params = {1.5f, -0.0f, Float.MIN_VALUE, 3e38f};
    UpdaterState u = new UpdaterState(OptimizerKind.ADAM, step,
        Map.of("m", new float[] {0.1f, 0.2f, 0.3f, 0.4f}, "v", new float[] {1, 2, 3, 4}),
        Map.of("plateau.best", Double.POSITIVE_INFINITY, "plateau.lr", 0.1 + 0.2));
    List<EpochRecord> history = List.of(
        new EpochRecord(1, 6, 0.7, Double.NaN, Double.NaN, 1e-3f, 1234.5, 0.25));
    return new TrainingCheckpoint(step, 2, 3, Math.PI, 96, 1e-3f, 0.1 + 0.7, 1, 0, null, "abc",
        history, params, best, u);
  }

  @Test
  void roundTripIsBitExact(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toString(), 3, CONF);
    TrainingCheckpoint c = checkpoint(9, new float[] {9, 8, 7, 6});
    store.save(c);
    TrainingCheckpoint r = store.latest(4).orElseThrow().checkpoint();
    assertArrayEquals(c.params(), r.params());
    assertArrayEquals(c.bestParams(), r.bestParams());
    assertArrayEquals(c.updater().slots().get("m"), r.updater().slots().get("m"));
    assertArrayEquals(c.updater().slots().get("v"), r.updater().slots().get("v"));
    assertEquals(c.updater().scalars(), r.updater().scalars());
    assertEquals(c.updater().step(), r.updater().step());
    assertEquals(c.history(), r.history());
    assertEquals(Double.doubleToRawLongBits(c.epochLossSum()),
        Double.doubleToRawLongBits(r.epochLossSum()));
    assertEquals(c.bestLoss(), r.bestLoss());
    assertEquals(List.of(9L, 2, 3, 96L, "abc"),
        List.of(r.step(), r.epoch(), r.stepsDone(), r.epochRows(), r.fingerprint()));
    assertNull(r.stopReason());
  }

  @Test
  void keepsTheNewestAndSkipsCorruptOnes(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toString(), 2, CONF);
    for (long s : new long[] {3, 6, 9}) {
      store.save(checkpoint(s, null));
    }
    assertEquals(List.of("step-000000000006", "step-000000000009"),
        store.list().stream().map(p -> p.getName()).toList());
    // a partial newest checkpoint (state.json missing) and a leftover temporary directory
    Files.delete(dir.resolve("step-000000000009").resolve(CheckpointStore.STATE_JSON));
    Files.createDirectories(dir.resolve(".step-000000000012.tmp-x"));
    Optional<CheckpointStore.Loaded> l = store.latest(4);
    assertEquals(6, l.orElseThrow().checkpoint().step());
    // garbage JSON is skipped too, and wrong sizes
    Files.writeString(dir.resolve("step-000000000006").resolve(CheckpointStore.STATE_JSON), "{");
    assertTrue(store.latest(4).isEmpty());
    store.save(checkpoint(12, null));
    assertTrue(store.latest(5).isEmpty(), "a checkpoint of another parameter count is unusable");
    assertEquals(12, store.latest(4).orElseThrow().checkpoint().step());
    assertTrue(Files.notExists(dir.resolve(".step-000000000012.tmp-x")), "temporaries pruned");
  }
}
