package io.sparkmlp.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.ParamLayout;
import org.junit.jupiter.api.Test;

/**
 * L2 and decoupled weight decay act on weights only unless biases are requested, on a real 3-4-2
 * layout; global-norm clipping rescales to the threshold exactly and leaves small gradients alone.
 */
class RegularizationAndClippingTest {
  private static final ParamLayout LAYOUT = Fixtures.small();

  private static float[] params() {
    float[] x = new float[LAYOUT.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.5f + 0.25f * (i % 5) - (i % 3);
    }
    return x;
  }

  private static Updater sgd(float lr, OptimConfig tweak) {
    return Updater.create(tweak.toBuilder().optimizer(OptimizerKind.SGD).learningRate(lr).build(),
        LAYOUT, 0);
  }

  /** With a zero loss gradient, x_i must become x_i * (1 - shrink) on weights and bias == keep. */
  private static void assertShrunk(float[] before, float[] after, double shrink, boolean biasesToo) {
    assertEquals(26, LAYOUT.size());
    int biases = 0;
    for (int i = 0; i < before.length; i++) {
      boolean decayed = biasesToo || !LAYOUT.isBias(i);
      if (decayed) {
        assertEquals(before[i] * (1 - shrink), after[i], 1e-6, "index " + i);
      } else {
        assertEquals(before[i], after[i], 0.0, "bias " + i + " must be untouched");
        biases++;
      }
    }
    assertEquals(biasesToo ? 0 : 6, biases);
  }

  @Test
  void l2SkipsBiasesByDefault() {
    OptimConfig cfg = OptimConfig.builder(OptimizerKind.SGD, 1f).l2(0.2f).build();
    float[] x = params();
    sgd(0.5f, cfg).apply(x, new float[LAYOUT.size()]);
    // g = l2 x on weights, so x <- x - 0.5 * 0.2 x.
    assertShrunk(params(), x, 0.1, false);
  }

  @Test
  void l2DecaysBiasesWhenAsked() {
    OptimConfig cfg = OptimConfig.builder(OptimizerKind.SGD, 1f).l2(0.2f).decayBiases(true).build();
    float[] x = params();
    sgd(0.5f, cfg).apply(x, new float[LAYOUT.size()]);
    assertShrunk(params(), x, 0.1, true);
  }

  @Test
  void decoupledDecaySkipsBiasesByDefault() {
    OptimConfig cfg = OptimConfig.builder(OptimizerKind.SGD, 1f).weightDecay(0.2f).build();
    float[] x = params();
    sgd(0.5f, cfg).apply(x, new float[LAYOUT.size()]);
    assertShrunk(params(), x, 0.1, false);

    cfg = cfg.toBuilder().decayBiases(true).build();
    x = params();
    sgd(0.5f, cfg).apply(x, new float[LAYOUT.size()]);
    assertShrunk(params(), x, 0.1, true);
  }

  @Test
  void adamwDefaultDecayIsDecoupledFromTheAdaptiveStep() {
    // With g = 0, Adam's step is 0 and only x <- x - a * 0.01 * x remains; an L2 term would instead
    // have gone through Adam's normalization and moved every weight by about a.
    float[] x = params();
    Updater u = Updater.create(OptimConfig.defaults(OptimizerKind.ADAMW, 0.1f), LAYOUT, 0);
    u.apply(x, new float[LAYOUT.size()]);
    assertShrunk(params(), x, 0.1 * 0.01, false);
  }

  @Test
  void decoupledDecayUsesThePreStepParameters() {
    // x <- x - a (g + wd x_old), with the same x_old in both terms.
    float[] x = params();
    float[] g = new float[LAYOUT.size()];
    for (int i = 0; i < g.length; i++) {
      g[i] = 0.3f - 0.1f * (i % 4);
    }
    float[] gCopy = g.clone();
    sgd(0.5f, OptimConfig.builder(OptimizerKind.SGD, 1f).weightDecay(0.2f).build()).apply(x, g);
    float[] x0 = params();
    for (int i = 0; i < x.length; i++) {
      double mask = LAYOUT.isBias(i) ? 0 : 1;
      assertEquals(x0[i] - 0.5 * (gCopy[i] + 0.2 * mask * x0[i]), x[i], 1e-6, "index " + i);
    }
  }

  /** 6 and -8 at two weights, 0 elsewhere: global norm exactly 10. */
  private static float[] bigGradient() {
    float[] g = new float[LAYOUT.size()];
    g[0] = 6f;
    g[7] = -8f;
    return g;
  }

  @Test
  void clippingRescalesToTheGlobalNormExactly() {
    float[] g = new float[LAYOUT.size()];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) Math.sin(1 + i);
    }
    double norm = 0;
    for (float v : g) {
      norm += (double) v * v;
    }
    norm = Math.sqrt(norm);
    assertTrue(norm > 2);
    float[] gCopy = g.clone();
    // SGD with a = 1 from x = 0 makes x = -g_clipped.
    Updater u = sgd(1f, OptimConfig.builder(OptimizerKind.SGD, 1f).clipNorm(1.5f).build());
    float[] x = new float[LAYOUT.size()];
    u.apply(x, g);
    assertEquals(norm, u.lastGradNorm(), 1e-9 * norm);
    double clippedNorm = 0;
    for (int i = 0; i < x.length; i++) {
      clippedNorm += (double) x[i] * x[i];
      assertEquals(-gCopy[i] * 1.5 / norm, x[i], 1e-7, "direction at " + i);
    }
    assertEquals(1.5, Math.sqrt(clippedNorm), 1e-6);

    float[] y = new float[LAYOUT.size()];
    Updater v = sgd(1f, OptimConfig.builder(OptimizerKind.SGD, 1f).clipNorm(2.5f).build());
    v.apply(y, bigGradient());
    assertEquals(10.0, v.lastGradNorm(), 0.0);
    assertEquals(-1.5f, y[0], 0f);
    assertEquals(2f, y[7], 0f);
  }

  @Test
  void clippingLeavesSmallGradientsAndDisabledClippingAlone() {
    float[] g = bigGradient();
    float[] x = new float[LAYOUT.size()];
    Updater u = sgd(1f, OptimConfig.builder(OptimizerKind.SGD, 1f).clipNorm(10.5f).build());
    u.apply(x, g.clone());
    assertEquals(10.0, u.lastGradNorm(), 0.0);
    float[] minusG = new float[g.length];
    for (int i = 0; i < g.length; i++) {
      minusG[i] = 0f - g[i]; // what x = 0 - 1 * g gives, signed zeros included
    }
    assertArrayEquals(minusG, x);

    float[] y = new float[LAYOUT.size()];
    Updater off = sgd(1f, OptimConfig.defaults(OptimizerKind.SGD, 1f));
    off.apply(y, g.clone());
    assertArrayEquals(minusG, y);
    // without clipping the norm is not computed (a pass over the gradient saved)
    assertTrue(Double.isNaN(off.lastGradNorm()), "norm " + off.lastGradNorm());
  }

  @Test
  void reportedNormIncludesTheL2TermAndPrecedesClipping() {
    // Regularization comes before clipping: the clipped vector is g + l2 * mask * x.
    float[] x = new float[LAYOUT.size()];
    x[0] = 10f;  // a weight
    x[12] = 10f; // the first bias: masked out
    Updater u = sgd(1f, OptimConfig.builder(OptimizerKind.SGD, 1f).l2(0.5f).clipNorm(1f).build());
    float[] g = new float[LAYOUT.size()];
    g[1] = 12f;
    u.apply(x, g);
    assertTrue(LAYOUT.isBias(12) && !LAYOUT.isBias(0));
    assertEquals(13.0, u.lastGradNorm(), 1e-12); // sqrt(5^2 + 12^2)
    assertEquals(10f - 5f / 13f, x[0], 1e-6f);
    assertEquals(-12f / 13f, x[1], 1e-6f);
    assertEquals(10f, x[12], 0f);
  }

  @Test
  void applyRejectsArraysOfTheWrongLength() {
    Updater u = sgd(1f, OptimConfig.defaults(OptimizerKind.SGD, 1f));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> u.apply(new float[LAYOUT.size()], new float[3]));
    assertTrue(e.getMessage().contains("26"), e.getMessage());
    assertEquals(0, u.step());
  }
}
