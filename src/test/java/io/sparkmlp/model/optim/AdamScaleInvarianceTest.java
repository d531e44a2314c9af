package io.sparkmlp.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.ParamLayout;
import org.junit.jupiter.api.Test;

/**
 * Adam's step mhat / sqrt(vhat) is invariant to rescaling the gradient (up to eps): with eps =
 * 1e-12, gradients 1000x larger give the same trajectory within 1e-5 relative. SGD, as a control,
 * does not.
 */
class AdamScaleInvarianceTest {
  private static final int STEPS = 100;

  /** x after each step of a quadratic with curvatures c_i, gradients multiplied by {@code scale}. */
  private static float[][] trajectory(OptimizerKind kind, float lr, float scale) {
    ParamLayout layout = Fixtures.threeParams();
    OptimConfig cfg = OptimConfig.builder(kind, lr).epsilon(1e-12f).build();
    Updater u = Updater.create(cfg, layout, STEPS);
    float[] c = {3f, 0.5f, 1f};
    float[] x = {2f, -3f, 5f};
    float[] g = new float[3];
    float[][] out = new float[STEPS][];
    for (int t = 0; t < STEPS; t++) {
      for (int i = 0; i < 3; i++) {
        g[i] = scale * c[i] * x[i];
      }
      u.apply(x, g);
      out[t] = x.clone();
    }
    return out;
  }

  @Test
  void adamTrajectoryIsUnchangedByGradientScale() {
    float[][] a = trajectory(OptimizerKind.ADAM, 0.01f, 1f);
    float[][] b = trajectory(OptimizerKind.ADAM, 0.01f, 1000f);
    double worst = 0;
    for (int t = 0; t < STEPS; t++) {
      for (int i = 0; i < 3; i++) {
        double rel = Math.abs(a[t][i] - b[t][i]) / Math.abs(a[t][i]);
        worst = Math.max(worst, rel);
      }
    }
    assertTrue(worst < 1e-5, "worst relative difference " + worst);
    // The run moved: 100 steps of ~0.01 per coordinate, far from the minimum at 0.
    assertEquals(2f - 1f, a[STEPS - 1][0], 0.1);
  }

  @Test
  void sgdTrajectoryDependsOnGradientScale() {
    float[][] a = trajectory(OptimizerKind.SGD, 1e-5f, 1f);
    float[][] b = trajectory(OptimizerKind.SGD, 1e-5f, 1000f);
    assertTrue(Math.abs(a[0][0] - b[0][0]) > 1e-3, a[0][0] + " vs " + b[0][0]);
  }
}
