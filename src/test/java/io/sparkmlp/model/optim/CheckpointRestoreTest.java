package io.sparkmlp.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.ParamLayout;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Export at step k, restore into a fresh updater, continue: the trajectory must equal the
 * uninterrupted run bit for bit (exact float comparison), for every optimizer and for the
 * plateau schedule's state.
 */
class CheckpointRestoreTest {
  private static final int STEPS = 24;
  private static final int SPLIT = 10;

  /** A gradient that depends on x and t, so that any state difference shows in x. */
  private static void gradient(float[] x, int t, float[] g) {
    for (int i = 0; i < x.length; i++) {
      g[i] = (0.5f + 0.1f * (i % 7)) * x[i] + (float) Math.sin(0.7 * t + i);
    }
  }

  /**
   * Metric reported after every odd step: it improves at t = 1, 3 and then stalls, so PLATEAU
   * (patience 2) reduces the rate after t = 7, 11, 15, ... and SPLIT falls between two validations
   * with one non-improving validation counted.
   */
  private static double metric(int t) {
    return t < 4 ? 1.0 / (t + 1) : 0.5;
  }

  private static OptimConfig config(OptimizerKind kind, ScheduleConfig schedule) {
    return OptimConfig.builder(kind, 0.05f).l2(1e-3f).weightDecay(1e-2f)
        .clipNorm(2f).schedule(schedule).build();
  }

  private static float[] initial(ParamLayout layout) {
    float[] x = new float[layout.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.cos(i);
    }
    return x;
  }

  /** Runs steps [from, to) on x; returns the learning rates used. */
  private static float[] run(Updater u, float[] x, int from, int to) {
    float[] g = new float[x.length];
    float[] rates = new float[to - from];
    for (int t = from; t < to; t++) {
      gradient(x, t, g);
      rates[t - from] = u.apply(x, g);
      if (t % 2 == 1) {
        u.onValidation(metric(t));
      }
    }
    return rates;
  }

  private static void assertContinuationIsExact(OptimizerKind kind, ScheduleConfig schedule) {
    ParamLayout layout = Fixtures.small();
    OptimConfig cfg = config(kind, schedule);

    Updater whole = Updater.create(cfg, layout, STEPS);
    float[] xWhole = initial(layout);
    float[] ratesWhole = run(whole, xWhole, 0, STEPS);

    Updater first = Updater.create(cfg, layout, STEPS);
    float[] x = initial(layout);
    run(first, x, 0, SPLIT);
    UpdaterState saved = first.exportState();
    // Simulate a checkpoint file: only copies of the plain data survive.
    Map<String, float[]> slots = new HashMap<>();
    saved.slots().forEach((k, v) -> slots.put(k, v.clone()));
    UpdaterState reread = new UpdaterState(saved.kind(), saved.step(), slots,
        new HashMap<>(saved.scalars()));
    float[] xSaved = x.clone();

    Updater resumed = Updater.create(cfg, layout, STEPS);
    resumed.restoreState(reread);
    assertEquals(SPLIT, resumed.step());
    assertEquals(first.learningRate(), resumed.learningRate());
    float[] ratesResumed = run(resumed, xSaved, SPLIT, STEPS);

    assertArrayEquals(xWhole, xSaved, kind + " params");
    for (int t = SPLIT; t < STEPS; t++) {
      assertEquals(ratesWhole[t], ratesResumed[t - SPLIT], "rate at step " + t);
    }
    UpdaterState a = whole.exportState();
    UpdaterState b = resumed.exportState();
    assertEquals(a.step(), b.step());
    assertEquals(a.slots().keySet(), b.slots().keySet());
    for (String k : a.slots().keySet()) {
      assertArrayEquals(a.slots().get(k), b.slots().get(k), kind + " slot " + k);
    }
    assertEquals(a.scalars(), b.scalars());
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void everyOptimizerContinuesBitForBit(OptimizerKind kind) {
    assertContinuationIsExact(kind, ScheduleConfig.cosine(3, 1e-3f));
  }

  @ParameterizedTest
  @EnumSource(value = OptimizerKind.class, names = {"SGD", "ADAM"})
  void plateauStateContinuesBitForBit(OptimizerKind kind) {
    ScheduleConfig plateau = ScheduleConfig.plateau(0.5f, 2, 1e-3f, 1e-3f);
    assertContinuationIsExact(kind, plateau);
    // The scenario does exercise the schedule state: the rate was reduced before and after SPLIT.
    Updater u = Updater.create(config(kind, plateau), Fixtures.small(), STEPS);
    float[] rates = run(u, initial(Fixtures.small()), 0, STEPS);
    assertTrue(rates[SPLIT] < rates[0] && rates[STEPS - 1] < rates[SPLIT],
        java.util.Arrays.toString(rates));
  }

  @ParameterizedTest
  @EnumSource(value = OptimizerKind.class, names = {"SGD", "MOMENTUM", "ADAM", "RMSPROP"})
  void flatRestoreFromLiveSlotsContinuesBitForBit(OptimizerKind kind) {
    // what a local-SGD round does: slots copied from the live views into one flat array
    // [padding | slot 1 | slot 2 ...], then restored from it into a fresh updater
    ParamLayout layout = Fixtures.small();
    OptimConfig cfg = config(kind, ScheduleConfig.plateau(0.5f, 2, 1e-3f, 1e-3f));
    Updater whole = Updater.create(cfg, layout, STEPS);
    float[] xWhole = initial(layout);
    run(whole, xWhole, 0, STEPS);

    Updater first = Updater.create(cfg, layout, STEPS);
    float[] x = initial(layout);
    run(first, x, 0, SPLIT);
    int n = layout.size();
    String[] names = first.slotNames();
    assertEquals(first.exportState().slots().size(), names.length);
    float[] flat = new float[n * (1 + names.length)];
    for (int k = 0; k < names.length; k++) {
      System.arraycopy(first.slotView(names[k]), 0, flat, (k + 1) * n, n);
    }
    Updater resumed = Updater.create(cfg, layout, STEPS);
    resumed.restoreState(kind, first.step(), names, flat, n, first.scheduleState());
    assertEquals(SPLIT, resumed.step());
    run(resumed, x, SPLIT, STEPS);
    assertArrayEquals(xWhole, x, kind + " params");

    // validated as restoreState(UpdaterState) is: nothing changes on a mismatch
    OptimizerKind other = kind == OptimizerKind.SGD ? OptimizerKind.ADAM : OptimizerKind.SGD;
    assertThrows(IllegalArgumentException.class, () -> resumed.restoreState(other, 1, names,
        flat, n, first.scheduleState()));
    assertThrows(IllegalArgumentException.class, () -> resumed.restoreState(kind, 1,
        new String[] {"nope"}, flat, n, first.scheduleState()));
    assertThrows(IllegalArgumentException.class, () -> resumed.restoreState(kind, 1, names,
        new float[n * names.length], n, first.scheduleState()));
    assertThrows(IllegalArgumentException.class, () -> resumed.restoreState(kind, 1, names,
        flat, n, Map.of("bogus", 1.0)));
    assertEquals(STEPS, resumed.step());
  }

  @Test
  void exportIsADeepCopy() {
    Updater u = Updater.create(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f), Fixtures.small(), 10);
    float[] x = initial(Fixtures.small());
    run(u, x, 0, 3);
    UpdaterState s = u.exportState();
    float[] m = s.slots().get("m").clone();
    run(u, x, 3, 6);
    assertArrayEquals(m, s.slots().get("m"));
    assertNotSame(u.exportState().slots().get("m"), u.exportState().slots().get("m"));
    assertEquals(3, s.step());
  }

  @Test
  void restoreRejectsAnotherOptimizer() {
    ParamLayout layout = Fixtures.small();
    UpdaterState adam = Updater.create(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f), layout, 1)
        .exportState();
    Updater adamw = Updater.create(OptimConfig.defaults(OptimizerKind.ADAMW, 0.01f), layout, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> adamw.restoreState(adam));
    assertTrue(e.getMessage().contains("adam") && e.getMessage().contains("adamw"), e.getMessage());
  }

  @Test
  void restoreRejectsWrongLengthsAndNamesAndLeavesStateUntouched() {
    ParamLayout layout = Fixtures.small();
    Updater u = Updater.create(OptimConfig.defaults(OptimizerKind.RMSPROP, 0.01f), layout, 1);
    float[] x = initial(layout);
    run(u, x, 0, 2);
    UpdaterState before = u.exportState();

    UpdaterState shortSlot = new UpdaterState(OptimizerKind.RMSPROP, 5,
        Map.of("G", new float[layout.size() - 1]), Map.of());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> u.restoreState(shortSlot));
    assertTrue(e.getMessage().contains("'G'") && e.getMessage().contains("25"), e.getMessage());

    UpdaterState wrongName = new UpdaterState(OptimizerKind.RMSPROP, 5,
        Map.of("m", new float[layout.size()]), Map.of());
    e = assertThrows(IllegalArgumentException.class, () -> u.restoreState(wrongName));
    assertTrue(e.getMessage().contains("[m]") && e.getMessage().contains("[G]"), e.getMessage());

    UpdaterState extraScalar = new UpdaterState(OptimizerKind.RMSPROP, 5,
        Map.of("G", new float[layout.size()]), Map.of("plateau.lr", 0.1));
    e = assertThrows(IllegalArgumentException.class, () -> u.restoreState(extraScalar));
    assertTrue(e.getMessage().contains("plateau.lr"), e.getMessage());

    assertEquals(2, u.step());
    assertArrayEquals(before.slots().get("G"), u.exportState().slots().get("G"));
  }

  @Test
  void restoreRejectsMissingOrInvalidPlateauScalars() {
    OptimConfig cfg = OptimConfig.defaults(OptimizerKind.SGD, 0.1f)
        .toBuilder().schedule(ScheduleConfig.plateau()).build();
    Updater u = Updater.create(cfg, Fixtures.small(), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> u.restoreState(new UpdaterState(OptimizerKind.SGD, 0, Map.of(), Map.of())));
    assertTrue(e.getMessage().contains("plateau.best"), e.getMessage());

    Map<String, Double> bad = new HashMap<>(u.exportState().scalars());
    bad.put("plateau.badCount", 1.5);
    e = assertThrows(IllegalArgumentException.class,
        () -> u.restoreState(new UpdaterState(OptimizerKind.SGD, 0, Map.of(), bad)));
    assertTrue(e.getMessage().contains("plateau.badCount"), e.getMessage());
    assertFalse(u.onValidation(1.0));
  }
}
