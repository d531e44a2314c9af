package io.sparkmlp.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The first three updates of every optimizer on a hand-made gradient sequence, against values
 * computed here, in double, straight from the formulas (state included).
 */
class OptimizerFirstStepsTest {
  private static final double TOL = 1e-6;
  private static final float LR = 0.1f;
  private static final float[] X0 = {1.0f, -0.5f, 0.25f};
  /** Three gradients, chosen by hand; index 2 is the bias of {@link Fixtures#threeParams()}. */
  private static final float[][] G = {
      {0.5f, -1.0f, 2.0f},
      {0.1f, 0.3f, -0.4f},
      {-0.2f, 0.05f, 1.5f}};

  private static Updater updater(OptimizerKind kind) {
    return Updater.create(OptimConfig.defaults(kind, LR), Fixtures.threeParams(), 0);
  }

  /** Applies G[step] and returns the updater's exported state. */
  private static UpdaterState applyStep(Updater u, float[] x, int step) {
    float lr = u.apply(x, G[step].clone());
    assertEquals(LR, lr);
    assertEquals(step + 1, u.step());
    return u.exportState();
  }

  private static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOL, what + "[" + i + "]");
    }
  }

  private static double[] x0() {
    double[] x = new double[X0.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = X0[i];
    }
    return x;
  }

  @Test
  void sgd() {
    Updater u = updater(OptimizerKind.SGD);
    float[] x = X0.clone();
    double[] ex = x0();
    for (int t = 0; t < 3; t++) {
      UpdaterState s = applyStep(u, x, t);
      for (int i = 0; i < 3; i++) {
        ex[i] -= LR * (double) G[t][i];
      }
      assertClose(ex, x, "x after step " + (t + 1));
      assertEquals(0, s.slots().size());
    }
    // By hand: x[0] = 1 - 0.1 * (0.5 + 0.1 - 0.2).
    assertEquals(0.96, x[0], TOL);
  }

  @Test
  void momentum() {
    Updater u = updater(OptimizerKind.MOMENTUM);
    double gamma = OptimConfig.DEFAULT_MOMENTUM;
    float[] x = X0.clone();
    double[] ex = x0();
    double[] v = new double[3];
    for (int t = 0; t < 3; t++) {
      UpdaterState s = applyStep(u, x, t);
      for (int i = 0; i < 3; i++) {
        v[i] = gamma * v[i] + LR * (double) G[t][i];
        ex[i] -= v[i];
      }
      assertClose(ex, x, "x after step " + (t + 1));
      assertClose(v, s.slots().get("v"), "v after step " + (t + 1));
    }
  }

  @Test
  void nesterov() {
    Updater u = updater(OptimizerKind.NESTEROV);
    double gamma = OptimConfig.DEFAULT_MOMENTUM;
    float[] x = X0.clone();
    double[] ex = x0();
    double[] v = new double[3];
    for (int t = 0; t < 3; t++) {
      UpdaterState s = applyStep(u, x, t);
      for (int i = 0; i < 3; i++) {
        double g = G[t][i];
        v[i] = gamma * v[i] + g;
        ex[i] -= LR * (g + gamma * v[i]);
      }
      assertClose(ex, x, "x after step " + (t + 1));
      assertClose(v, s.slots().get("v"), "v after step " + (t + 1));
    }
    // By hand, the first step is a (1 + gamma) g: 1 - 0.1 * 1.9 * 0.5.
    float[] first = X0.clone();
    updater(OptimizerKind.NESTEROV).apply(first, G[0].clone());
    assertEquals(0.905, first[0], TOL);
  }

  @Test
  void adagrad() {
    Updater u = updater(OptimizerKind.ADAGRAD);
    double eps = OptimConfig.DEFAULT_EPSILON;
    float[] x = X0.clone();
    double[] ex = x0();
    double[] sum = new double[3];
    for (int t = 0; t < 3; t++) {
      UpdaterState s = applyStep(u, x, t);
      for (int i = 0; i < 3; i++) {
        double g = G[t][i];
        sum[i] += g * g;
        ex[i] -= LR * g / Math.sqrt(sum[i] + eps);
      }
      assertClose(ex, x, "x after step " + (t + 1));
      assertClose(sum, s.slots().get("G"), "G after step " + (t + 1));
    }
  }

  @Test
  void rmsprop() {
    Updater u = updater(OptimizerKind.RMSPROP);
    double rho = OptimConfig.DEFAULT_RHO;
    double eps = OptimConfig.DEFAULT_EPSILON;
    float[] x = X0.clone();
    double[] ex = x0();
    double[] ms = new double[3];
    for (int t = 0; t < 3; t++) {
      UpdaterState s = applyStep(u, x, t);
      for (int i = 0; i < 3; i++) {
        double g = G[t][i];
        ms[i] = rho * ms[i] + (1 - rho) * g * g;
        ex[i] -= LR * g / Math.sqrt(ms[i] + eps);
      }
      assertClose(ex, x, "x after step " + (t + 1));
      assertClose(ms, s.slots().get("G"), "G after step " + (t + 1));
    }
  }

  @Test
  void adam() {
    checkAdam(OptimizerKind.ADAM, 0.0);
  }

  @Test
  void adamwDecaysWeightsButNotTheBias() {
    checkAdam(OptimizerKind.ADAMW, OptimConfig.DEFAULT_ADAMW_WEIGHT_DECAY);
  }

  private static void checkAdam(OptimizerKind kind, double wd) {
    Updater u = updater(kind);
    assertEquals((float) wd, u.config().weightDecay());
    double b1 = OptimConfig.DEFAULT_BETA1;
    double b2 = OptimConfig.DEFAULT_BETA2;
    double eps = OptimConfig.DEFAULT_EPSILON;
    double[] mask = {1, 1, 0};
    float[] x = X0.clone();
    double[] ex = x0();
    double[] m = new double[3];
    double[] v = new double[3];
    for (int t = 0; t < 3; t++) {
      UpdaterState s = applyStep(u, x, t);
      int k = t + 1;
      for (int i = 0; i < 3; i++) {
        double g = G[t][i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        double mhat = m[i] / (1 - Math.pow(b1, k));
        double vhat = v[i] / (1 - Math.pow(b2, k));
        ex[i] -= LR * (mhat / (Math.sqrt(vhat) + eps) + wd * mask[i] * ex[i]);
      }
      assertClose(ex, x, kind + " x after step " + k);
      assertClose(m, s.slots().get("m"), kind + " m after step " + k);
      assertClose(v, s.slots().get("v"), kind + " v after step " + k);
    }
    // Bias-corrected first step moves each coordinate by a * sign(g) (up to eps).
    float[] first = X0.clone();
    updater(kind).apply(first, G[0].clone());
    assertArrayEquals(new float[] {
        (float) (X0[0] - LR * (1 + wd * X0[0])),
        (float) (X0[1] + LR * (1 - wd * X0[1])),
        X0[2] - LR}, first, 1e-6f);
  }
}
