package io.sparkmlp.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * Decaying optimizer state never becomes subnormal ({@link TinyState}): the flush itself, and
 * every decaying optimizer over a gradient that is non-zero once and then zero for thousands of
 * steps (as for the weight of an almost always blank MNIST pixel).
 */
class TinyStateTest {

  private static boolean subnormal(float x) {
    return x != 0f && Math.abs(x) < Float.MIN_NORMAL;
  }

  @Test
  void flushKeepsEveryValueAboveTinyBitForBitAndZeroesTheRest() {
    float[] kept = {Float.MAX_VALUE, 1f, -1f, 1e-20f, -3.5e-30f, Math.nextUp(TinyState.TINY),
        -Math.nextUp(TinyState.TINY), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (float x : kept) {
      assertEquals(Float.floatToRawIntBits(x), Float.floatToRawIntBits(TinyState.flush(x)),
          "flush(" + x + ")");
    }
    float[] zeroed = {TinyState.TINY, 1e-31f, Float.MIN_NORMAL, 1e-40f, Float.MIN_VALUE, 0f};
    for (float x : zeroed) {
      assertEquals(0, Float.floatToRawIntBits(TinyState.flush(x)), "flush(" + x + ")");
      // the sign of a negative value survives as -0
      assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(TinyState.flush(-x)),
          "flush(" + -x + ")");
    }
    assertTrue(Float.isNaN(TinyState.flush(Float.NaN)));
  }

  @Test
  void decayingStateNeverBecomesSubnormal() {
    int steps = 3000;
    for (OptimizerKind kind : EnumSet.of(OptimizerKind.ADAM, OptimizerKind.ADAMW,
        OptimizerKind.MOMENTUM, OptimizerKind.NESTEROV, OptimizerKind.RMSPROP)) {
      Updater u = Updater.create(OptimConfig.defaults(kind, 1e-3f), Fixtures.threeParams(), 0);
      float[] x = {0.5f, -0.25f, 0.1f};
      // the unflushed recurrence of the fastest-decaying slot, to show the run crosses the
      // subnormal range: 0.9 s per step from 0.1 g (Adam's m, momentum's and RMSProp's decay)
      float reference = 0.1f * 1e-3f;
      boolean referenceWentSubnormal = false;
      for (int t = 0; t < steps; t++) {
        float[] g = t == 0 ? new float[] {1e-3f, -1e-3f, 1e-3f} : new float[3];
        u.apply(x, g);
        if (t > 0) {
          reference *= 0.9f;
          referenceWentSubnormal |= subnormal(reference);
        }
        for (String slot : u.slotNames()) {
          for (float s : u.slotView(slot)) {
            assertTrue(!subnormal(s), kind + " slot " + slot + " subnormal (" + s + ") at step "
                + (t + 1));
          }
        }
        for (float xi : x) {
          assertTrue(Float.isFinite(xi), kind + " weight not finite at step " + (t + 1));
        }
      }
      assertTrue(referenceWentSubnormal, "the run should cross the subnormal range");
      for (String slot : u.slotNames()) {
        if (!slot.equals("v") || kind == OptimizerKind.RMSPROP) {
          // the fast-decaying slots reached zero (Adam's v decays at 0.999 and is still normal)
          for (float s : u.slotView(slot)) {
            assertEquals(0f, Math.abs(s), kind + " slot " + slot + " after " + steps + " steps");
          }
        }
      }
    }
  }
}
