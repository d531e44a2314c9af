package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Epoch plans: every row once, proportional steps, independent of the block's row order. */
class EpochPlanTest {

  private static long[] hashes(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] h = new long[n];
    for (int i = 0; i < n; i++) {
      h[i] = r.nextLong();
    }
    return h;
  }

  @Test
  void everyRowOnceAndStepsNearTheBatchSize() {
    long[] h = hashes(10_000, 1);
    EpochPlan p = EpochPlan.of(h, 42L, 3, 40);
    int[] sorted = p.order().clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
    for (int s = 0; s < 40; s++) {
      int size = p.to(s) - p.from(s);
      assertTrue(size > 180 && size < 320, "step " + s + " has " + size + " rows");
    }
  }

  @Test
  void stepContentsDoNotDependOnRowOrder() {
    long[] h = hashes(2_000, 2);
    long[] reversed = new long[h.length];
    for (int i = 0; i < h.length; i++) {
      reversed[i] = h[h.length - 1 - i];
    }
    EpochPlan a = EpochPlan.of(h, 7L, 1, 9);
    EpochPlan b = EpochPlan.of(reversed, 7L, 1, 9);
    for (int s = 0; s < 9; s++) {
      long[] ha = new long[a.to(s) - a.from(s)];
      long[] hb = new long[b.to(s) - b.from(s)];
      for (int i = 0; i < ha.length; i++) {
        ha[i] = h[a.order()[a.from(s) + i]];
      }
      for (int i = 0; i < hb.length; i++) {
        hb[i] = reversed[b.order()[b.from(s) + i]];
      }
      assertArrayEquals(ha, hb, "step " + s + " must visit the same rows in the same order");
    }
  }

  @Test
  void epochsDiffer() {
    long[] h = hashes(1_000, 3);
    assertTrue(!Arrays.equals(EpochPlan.of(h, 1L, 1, 10).order(),
        EpochPlan.of(h, 1L, 2, 10).order()));
  }
}
