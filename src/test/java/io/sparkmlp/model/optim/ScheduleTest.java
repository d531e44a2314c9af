package io.sparkmlp.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Each schedule's rate against its closed form, through the {@link Updater}. */
class ScheduleTest {
  private static final float LR = 0.1f;

  private static Updater sgd(ScheduleConfig schedule, long totalSteps) {
    return Updater.create(OptimConfig.builder(OptimizerKind.SGD, LR).schedule(schedule).build(),
        Fixtures.threeParams(), totalSteps);
  }

  /** Steps the updater {@code steps} times, checking learningRate() and apply() against f(t). */
  private static void assertRates(Updater u, int steps, LongToDoubleFunction f) {
    float[] x = new float[3];
    for (int t = 0; t < steps; t++) {
      double expected = f.applyAsDouble(t);
      assertEquals(expected, u.learningRate(), 2e-7 * expected + 1e-12, "learningRate() at t=" + t);
      assertEquals(u.learningRate(), u.apply(x, new float[3]), "apply() at t=" + t);
    }
  }

  @Test
  void constant() {
    assertRates(sgd(ScheduleConfig.constant(), 0), 5, t -> 0.1);
  }

  @Test
  void step() {
    Updater u = sgd(ScheduleConfig.step(3, 0.5f), 0);
    assertRates(u, 10, t -> 0.1 * Math.pow(0.5, Math.floor(t / 3.0)));
    // By hand: t = 0..2 -> 0.1, 3..5 -> 0.05, 6..8 -> 0.025, 9 -> 0.0125; now t = 10.
    assertEquals(0.0125, u.learningRate(), 1e-8);
  }

  @Test
  void exponential() {
    Updater u = sgd(ScheduleConfig.exponential(0.9f), 0);
    assertRates(u, 6, t -> 0.1 * Math.pow(0.9, t));
    assertEquals(0.1 * 0.531441, u.learningRate(), 1e-8);
  }

  @Test
  void cosineWarmsUpThenDecaysToTheFloor() {
    int warmup = 4;
    int total = 12;
    double min = 0.01;
    Updater u = sgd(ScheduleConfig.cosine(warmup, (float) min), total);
    assertRates(u, 16, t -> t < warmup ? 0.1 * (t + 1) / warmup
        : t >= total ? min
        : min + 0.5 * (0.1 - min) * (1 + Math.cos(Math.PI * (t - warmup) / (total - warmup))));
    // By hand, {t, rate}: warm-up 0.025, 0.05, .., 0.1 at t = 3; cosine from 0.1 at t = 4 through
    // the midpoint (0.1 + 0.01) / 2 at t = 8 to the floor at t = 12, and the floor after.
    double[][] byHand = {{0, 0.025}, {1, 0.05}, {3, 0.1}, {4, 0.1}, {8, 0.055}, {12, 0.01},
        {13, 0.01}};
    Updater v = sgd(ScheduleConfig.cosine(warmup, (float) min), total);
    float[] x = new float[3];
    for (double[] point : byHand) {
      while (v.step() < point[0]) {
        v.apply(x, new float[3]);
      }
      assertEquals(point[1], v.learningRate(), 1e-8, "t=" + point[0]);
    }
  }

  @Test
  void cosineWithoutWarmupStartsAtTheBaseRate() {
    assertRates(sgd(ScheduleConfig.cosine(0, 0f), 4), 5,
        t -> t >= 4 ? 0 : 0.05 * (1 + Math.cos(Math.PI * t / 4)));
  }

  @Test
  void cosineValidatesTotalSteps() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sgd(ScheduleConfig.cosine(10, 0f), 5));
    assertTrue(e.getMessage().contains("totalSteps"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> sgd(ScheduleConfig.cosine(0, 0f), 0));
    assertTrue(e.getMessage().contains("totalSteps"), e.getMessage());
  }

  @Test
  void plateauReducesAfterPatienceAndRespectsTheFloor() {
    // factor 0.5, patience 2, relative threshold 10%, floor 0.03.
    Updater u = sgd(ScheduleConfig.plateau(0.5f, 2, 0.1f, 0.03f), 0);
    assertFalse(u.onValidation(1.0));     // first metric: best = 1
    assertFalse(u.onValidation(0.95));    // not below 1 - 10%: 1 bad
    assertEquals(0.1, u.learningRate(), 1e-8);
    assertTrue(u.onValidation(0.92));     // 2 bad = patience: 0.1 -> 0.05
    assertEquals(0.05, u.learningRate(), 1e-8);
    assertFalse(u.onValidation(0.5));     // improvement: best = 0.5, count reset
    assertFalse(u.onValidation(Double.NaN)); // NaN never improves: 1 bad
    assertTrue(u.onValidation(0.6));      // 2 bad: 0.05 -> max(0.025, 0.03) = 0.03
    assertEquals(0.03, u.learningRate(), 1e-8);
    assertFalse(u.onValidation(0.7));
    assertFalse(u.onValidation(0.7));     // patience reached, but already at the floor
    assertEquals(0.03, u.learningRate(), 1e-8);
    // The rate is what apply() uses, independent of the step count.
    assertEquals(0.03f, u.apply(new float[3], new float[3]), 1e-9);
  }

  @Test
  void plateauWithZeroPatienceReducesOnEveryNonImprovement() {
    Updater u = sgd(ScheduleConfig.plateau(0.5f, 0, 0f, 0f), 0);
    assertFalse(u.onValidation(1.0));
    assertTrue(u.onValidation(1.0));
    assertFalse(u.onValidation(0.9));
    assertTrue(u.onValidation(0.95));
    assertEquals(0.025, u.learningRate(), 1e-8);
  }

  @Test
  void otherSchedulesIgnoreValidation() {
    Updater u = sgd(ScheduleConfig.step(1, 0.5f), 0);
    for (int i = 0; i < 20; i++) {
      assertFalse(u.onValidation(1.0));
    }
    assertEquals(0.1, u.learningRate(), 1e-8);
  }
}
