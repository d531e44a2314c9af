package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Batches larger than the workspace are chunked; gradients accumulate (are added, not stored). */
class ChunkingTest {
  private static final int N = 53; // not a multiple of any chunk size used below

  private static double maxAbs(float[] v) {
    double m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }

  private static void assertClose(float[] expected, float[] actual, double relTol, String what) {
    assertEquals(expected.length, actual.length);
    double scale = maxAbs(expected);
    assertTrue(scale > 0, what + ": vacuous (zero) gradient");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], relTol * scale, what + " [" + i + "]");
    }
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void chunkedEqualsOneShot(Task task) {
    TinyProblem p = TinyProblem.create(task, Activation.of(Activation.Kind.TANH), 5, N, 7, 6);
    Mlp mlp = new Mlp(p.spec());
    float[] oneShotGrad = new float[mlp.layout().size()];
    double oneShot = mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, N, oneShotGrad,
        mlp.newWorkspace(N));
    for (int cap : new int[] {1, 4, 8, 52}) {
      float[] g = new float[oneShotGrad.length];
      double l = mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, N, g, mlp.newWorkspace(cap));
      assertEquals(oneShot, l, 1e-6 * Math.abs(oneShot), "loss with capacity " + cap);
      assertClose(oneShotGrad, g, 1e-5, "gradient with capacity " + cap);
      assertEquals(oneShot, mlp.loss(p.params(), p.x(), 0, p.y(), 0, N, mlp.newWorkspace(cap)),
          1e-6 * Math.abs(oneShot), "forward-only loss with capacity " + cap);
    }
    // and the summed loss is the sum of the per-row losses of the reference
    double ref = new ReferenceMlp(p.spec()).loss(ReferenceMlp.toDouble(p.params()), p.x(), p.y(), N);
    assertEquals(ref, oneShot, 1e-5 * Math.abs(ref));
  }

  @Test
  void offsetsSelectTheRightRows() {
    TinyProblem p = TinyProblem.create(Task.MULTILABEL, Activation.of(Activation.Kind.RELU), 6, N, 5);
    Mlp mlp = new Mlp(p.spec());
    int in = p.spec().inputWidth();
    int lw = p.spec().labelWidth();
    // rows [10, 30) via offsets, in chunks of 6, against a copied sub-batch in one shot
    float[] xs = java.util.Arrays.copyOfRange(p.x(), 10 * in, 30 * in);
    float[] ys = java.util.Arrays.copyOfRange(p.y(), 10 * lw, 30 * lw);
    float[] expected = new float[mlp.layout().size()];
    double le = mlp.lossAndGradient(p.params(), xs, 0, ys, 0, 20, expected, mlp.newWorkspace(20));
    float[] g = new float[expected.length];
    double l = mlp.lossAndGradient(p.params(), p.x(), 10 * in, p.y(), 10 * lw, 20, g,
        mlp.newWorkspace(6));
    assertEquals(le, l, 1e-6 * le);
    assertClose(expected, g, 1e-5, "offset gradient");
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void gradientsAccumulate(Task task) {
    TinyProblem p = TinyProblem.create(task, Activation.of(Activation.Kind.SOFTPLUS), 9, N, 5, 3);
    Mlp mlp = new Mlp(p.spec());
    Workspace ws = mlp.newWorkspace(16);
    float[] once = new float[mlp.layout().size()];
    double l1 = mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, N, once, ws);

    float[] twice = new float[once.length];
    mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, N, twice, ws);
    double l2 = mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, N, twice, ws);
    assertEquals(l1, l2, 0.0, "the returned loss is per call, not accumulated");
    float[] doubled = once.clone();
    for (int i = 0; i < doubled.length; i++) {
      doubled[i] *= 2f;
    }
    assertClose(doubled, twice, 1e-6, "two calls");

    // added onto whatever the accumulator holds
    float[] start = new float[once.length];
    for (int i = 0; i < start.length; i++) {
      start[i] = 0.25f * i - 3f;
    }
    float[] acc = start.clone();
    mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, N, acc, ws);
    for (int i = 0; i < acc.length; i++) {
      assertEquals(start[i] + once[i], acc[i], 1e-5 * (1 + Math.abs(start[i] + once[i])),
          "prefilled accumulator [" + i + "]");
    }

    // two halves add up to the whole
    float[] halves = new float[once.length];
    int in = p.spec().inputWidth();
    int lw = p.spec().labelWidth();
    double a = mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, 20, halves, ws);
    double b = mlp.lossAndGradient(p.params(), p.x(), 20 * in, p.y(), 20 * lw, N - 20, halves, ws);
    assertEquals(l1, a + b, 1e-6 * Math.abs(l1));
    assertClose(once, halves, 1e-5, "split batch");
  }

  @Test
  void gatherEqualsContiguous() {
    TinyProblem p = TinyProblem.create(Task.MULTICLASS, Activation.of(Activation.Kind.MISH), 4, N, 6);
    Mlp mlp = new Mlp(p.spec());
    int[] rows = {50, 3, 3, 17, 0, 52, 9};
    int in = p.spec().inputWidth();
    float[] xs = new float[rows.length * in];
    float[] ys = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(p.x(), rows[i] * in, xs, i * in, in);
      ys[i] = p.y()[rows[i]];
    }
    float[] expected = new float[mlp.layout().size()];
    double le = mlp.lossAndGradient(p.params(), xs, 0, ys, 0, rows.length, expected,
        mlp.newWorkspace(rows.length));
    float[] g = new float[expected.length];
    double l = mlp.lossAndGradientGather(p.params(), p.x(), p.y(), rows, 0, rows.length, g,
        mlp.newWorkspace(rows.length));
    assertEquals(le, l, 1e-6 * le);
    assertClose(expected, g, 1e-6, "gathered gradient");
  }

  @Test
  void emptyBatchIsANoOp() {
    TinyProblem p = TinyProblem.create(Task.BINARY, Activation.of(Activation.Kind.RELU), 8, 3, 4);
    Mlp mlp = new Mlp(p.spec());
    Workspace ws = mlp.newWorkspace(4);
    float[] g = new float[mlp.layout().size()];
    g[0] = 1.5f;
    assertEquals(0.0, mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, 0, g, ws));
    assertEquals(0.0, mlp.loss(p.params(), p.x(), 0, p.y(), 0, 0, ws));
    mlp.forward(p.params(), p.x(), 0, 0, ws);
    assertEquals(1.5f, g[0]);
    for (int i = 1; i < g.length; i++) {
      assertEquals(0f, g[i]);
    }
  }
}
