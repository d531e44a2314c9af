package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Epoch plans: every row once, proportional steps, rows of a step front to back. */
class EpochPlanTest {

  /** n random hashes in ascending order, as in a packed block. */
  private static long[] hashes(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] h = new long[n];
    for (int i = 0; i < n; i++) {
      h[i] = r.nextLong();
    }
    Arrays.sort(h);
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
  void aStepReadsItsRowsInAscendingOrder() {
    long[] h = hashes(5_000, 2);
    EpochPlan p = EpochPlan.of(h, 7L, 1, 9);
    for (int s = 0; s < 9; s++) {
      for (int i = p.from(s) + 1; i < p.to(s); i++) {
        assertTrue(p.order()[i] > p.order()[i - 1], "step " + s + " position " + i);
      }
    }
  }

  @Test
  void unorderedHashesAreRefused() {
    long[] h = hashes(100, 4);
    long t = h[10];
    h[10] = h[11];
    h[11] = t;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EpochPlan.of(h, 1L, 1, 3));
    assertTrue(e.getMessage().contains("row 11"), e.getMessage());
  }

  @Test
  void epochsDiffer() {
    long[] h = hashes(1_000, 3);
    assertTrue(!Arrays.equals(EpochPlan.of(h, 1L, 1, 10).order(),
        EpochPlan.of(h, 1L, 2, 10).order()));
  }
}
