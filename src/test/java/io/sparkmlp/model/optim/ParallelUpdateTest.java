package io.sparkmlp.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparkmlp.model.ParallelRanges;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The driver's update runs on two threads ({@link ParallelRanges}) for arrays of at least
 * {@link ParallelRanges#MIN_PARALLEL} values: every optimizer split into two ranges gives bitwise the
 * result of one pass, and the fixed-order norm has the same bits however it is split.
 */
class ParallelUpdateTest {
  private static final int N = 3 * ParallelRanges.MIN_PARALLEL + 12_345;

  private static float[] random(long seed, float scale) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[N];
    for (int i = 0; i < N; i++) {
      a[i] = (float) (r.nextGaussian() * scale);
    }
    return a;
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void everyOptimizerSplitInTwoThreadsMatchesOnePassBitForBit(OptimizerKind kind) {
    OptimConfig cfg = OptimConfig.defaults(kind, 0.01f);
    Optimizer one = Optimizer.create(cfg, N);
    Optimizer two = Optimizer.create(cfg, N);
    float[] x1 = random(1, 1f);
    float[] x2 = x1.clone();
    for (long t = 1; t <= 3; t++) {
      float[] g = random(10 + t, 0.1f);
      one.step(x1, g, 0.01f, t, 0, N);
      long tt = t;
      ParallelRanges.run(N, (from, to) -> two.step(x2, g, 0.01f, tt, from, to));
    }
    assertArrayEquals(x1, x2);
    assertNotEquals(random(1, 1f)[7], x1[7], "the steps moved the parameters");
    for (String slot : one.slots().keySet()) {
      assertArrayEquals(one.slots().get(slot), two.slots().get(slot), slot);
    }
  }

  @Test
  void theNormHasTheSameBitsForAnySplitAndMatchesTheExactSum() {
    float[] g = random(3, 0.5f);
    double[] blocks = new double[ParallelRanges.blocks(N)];
    // the blocks computed by the two threads of run(), as Updater does
    ParallelRanges.run(N, (from, to) -> ParallelRanges.blockSumsOfSquares(g, N, from, to, blocks));
    double split = ParallelRanges.sumOfBlocks(blocks, blocks.length);
    // the same blocks computed on one thread, in one range
    double[] oneThread = new double[blocks.length];
    ParallelRanges.blockSumsOfSquares(g, N, 0, N, oneThread);
    assertEquals(split, ParallelRanges.sumOfBlocks(oneThread, oneThread.length), 0.0);
    double exact = 0;
    for (float v : g) {
      exact += (double) v * v;
    }
    assertEquals(exact, split, 1e-12 * exact);
  }

  @Test
  void anUpdateWithClippingL2AndDecayOnBothCoresMatchesOneThreadBitForBit() {
    OptimConfig cfg = OptimConfig.builder(OptimizerKind.ADAMW, 0.01f).l2(0.01f).clipNorm(1f)
        .build();
    io.sparkmlp.model.ParamLayout layout = new io.sparkmlp.model.ParamLayout(
        io.sparkmlp.model.NetworkSpec.of(io.sparkmlp.model.Task.REGRESSION,
            io.sparkmlp.model.Activation.of(io.sparkmlp.model.Activation.Kind.RELU), 400, 500, 1));
    float[][] x = new float[2][];
    for (int run = 0; run < 2; run++) {
      // run 0 on one thread, run 1 on both cores (the driver's setting)
      Updater u = run == 0 ? Updater.create(cfg, layout, 10)
          : Updater.create(cfg, layout, 10).onBothCores();
      x[run] = new float[layout.size()];
      for (int t = 0; t < 3; t++) {
        SplittableRandom r = new SplittableRandom(t);
        float[] g = new float[layout.size()];
        for (int i = 0; i < g.length; i++) {
          g[i] = (float) r.nextGaussian();
        }
        u.apply(x[run], g);
        // the norm of a unit-variance gradient of P values is about sqrt(P): clipped to 1
        assertEquals(Math.sqrt(layout.size()), u.lastGradNorm(), 0.05 * Math.sqrt(layout.size()));
      }
    }
    assertArrayEquals(x[0], x[1]);
  }
}
