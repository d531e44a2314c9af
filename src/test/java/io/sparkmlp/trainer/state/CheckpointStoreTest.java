package io.sparkmlp.trainer.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.UpdaterState;
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

  private static UpdaterState optimizer(long step) {
    return new UpdaterState(OptimizerKind.ADAM, step,
        Map.of("m", new float[] {0.1f, 0.2f, 0.3f, 0.4f}, "v", new float[] {1, 2, 3, 4}),
        Map.of("plateau.best", Double.POSITIVE_INFINITY, "plateau.lr", 0.1 + 0.2));
  }

  private static TrainingState state(long step, float[] best) {
    TrainingState s = new TrainingState(new float[] {1.5f, -0.0f, Float.MIN_VALUE, 3e38f});
    s.step = step;
    s.epoch = 2;
    s.stepsDone = 3;
    s.epochLossSum = Math.PI;
    s.epochRows = 96;
    s.lastLr = 1e-3f;
    s.bestLoss = 0.1 + 0.7;
    s.bestEpoch = 1;
    s.bestParams = best;
    s.history.add(new EpochRecord(1, 6, 0.7, Double.NaN, Double.NaN, 1e-3f, 1234.5, 0.25));
    return s;
  }

  private static void save(CheckpointStore store, long step, float[] best) throws Exception {
    store.save(state(step, best), optimizer(step), "abc");
  }

  @Test
  void roundTripIsBitExact(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toString(), 3, CONF);
    TrainingState c = state(9, new float[] {9, 8, 7, 6});
    UpdaterState u = optimizer(9);
    store.save(c, u, "abc");
    CheckpointStore.Loaded loaded = store.latest(4).orElseThrow();
    TrainingState r = loaded.state();
    assertArrayEquals(c.params(), r.params());
    assertArrayEquals(c.bestParams(), r.bestParams());
    assertArrayEquals(u.slots().get("m"), loaded.optimizer().slots().get("m"));
    assertArrayEquals(u.slots().get("v"), loaded.optimizer().slots().get("v"));
    assertEquals(u.scalars(), loaded.optimizer().scalars());
    assertEquals(u.step(), loaded.optimizer().step());
    assertEquals(c.history(), r.history());
    assertEquals(Double.doubleToRawLongBits(c.epochLossSum()),
        Double.doubleToRawLongBits(r.epochLossSum()));
    assertEquals(c.bestLoss(), r.bestLoss());
    assertEquals(List.of(9L, 2, 3, 96L, "abc"),
        List.of(r.step(), r.epoch(), r.stepsDone(), r.epochRows(), loaded.fingerprint()));
    assertNull(r.stopReason());
  }

  @Test
  void keepsTheNewestAndSkipsCorruptOnes(@TempDir Path dir) throws Exception {
    CheckpointStore store = new CheckpointStore(dir.toString(), 2, CONF);
    for (long s : new long[] {3, 6, 9}) {
      save(store, s, null);
    }
    assertEquals(List.of("step-000000000006", "step-000000000009"),
        store.list().stream().map(p -> p.getName()).toList());
    // a partial newest checkpoint (state.json missing) and a leftover temporary directory
    Files.delete(dir.resolve("step-000000000009").resolve(CheckpointStore.STATE_JSON));
    Files.createDirectories(dir.resolve(".step-000000000012.tmp-x"));
    Optional<CheckpointStore.Loaded> l = store.latest(4);
    assertEquals(6, l.orElseThrow().state().step());
    // garbage JSON is skipped too, and wrong sizes
    Files.writeString(dir.resolve("step-000000000006").resolve(CheckpointStore.STATE_JSON), "{");
    assertTrue(store.latest(4).isEmpty());
    save(store, 12, null);
    assertTrue(store.latest(5).isEmpty(), "a checkpoint of another parameter count is unusable");
    assertEquals(12, store.latest(4).orElseThrow().state().step());
    assertTrue(Files.notExists(dir.resolve(".step-000000000012.tmp-x")), "temporaries pruned");
  }
}
