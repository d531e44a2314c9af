package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The sparse first layer ({@link SparseKernels}, {@link Mlp}'s {@code *Sparse} methods) against
 * the dense path on the same data, and against centered finite differences of a double-precision
 * reference: same loss, outputs and gradient up to float rounding (the dense path sums the
 * products in BLAS order, the sparse one row by row over the non-zeros), and an exact zero
 * gradient in the columns no row uses.
 */
class SparseKernelsTest {
  static final int ROWS = 7;
  static final int FEATURES = 40;

  /** A batch with ~15% non-zeros, two empty rows, and columns 0..4 never used. */
  record Sparse(float[] dense, int[] rowPtr, int[] colIdx, float[] values) {
    static Sparse random(long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      float[] x = new float[ROWS * FEATURES];
      List<Integer> cols = new ArrayList<>();
      List<Float> vals = new ArrayList<>();
      int[] rowPtr = new int[ROWS + 1];
      for (int r = 0; r < ROWS; r++) {
        if (r != 2 && r != 5) {
          for (int j = 5; j < FEATURES; j++) {
            if (rng.nextDouble() < 0.15) {
              float v = (float) rng.nextGaussian();
              x[r * FEATURES + j] = v;
              cols.add(j);
              vals.add(v);
            }
          }
        }
        rowPtr[r + 1] = cols.size();
      }
      int[] c = cols.stream().mapToInt(Integer::intValue).toArray();
      float[] v = new float[vals.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = vals.get(i);
      }
      return new Sparse(x, rowPtr, c, v);
    }
  }

  private static TinyProblem problem(Task task, float[] x) {
    // an autoencoder reconstructs its (sparse) input: as many outputs as features
    int k = task == Task.AUTOENCODER ? FEATURES : TinyProblem.outputWidth(task);
    NetworkSpec spec = NetworkSpec.of(task, Activation.of(Activation.Kind.TANH), FEATURES, 6, 4,
        k);
    ParamLayout layout = new ParamLayout(spec);
    float[] params = Initializer.XAVIER_UNIFORM.initialize(layout, 11L);
    SplittableRandom rng = new SplittableRandom(5L);
    for (int l = 0; l < layout.numLayers(); l++) {
      for (int o = 0; o < layout.fanOut(l); o++) {
        params[layout.biasOffset(l) + o] = (float) (rng.nextDouble() - 0.5);
      }
    }
    float[] y = new float[ROWS * spec.labelWidth()];
    for (int i = 0; i < y.length; i++) {
      y[i] = switch (task) {
        case REGRESSION -> (float) rng.nextGaussian();
        case AUTOENCODER -> x[i];
        case BINARY, MULTILABEL -> rng.nextBoolean() ? 1f : 0f;
        case MULTICLASS -> rng.nextInt(k);
      };
    }
    return new TinyProblem(spec, params, x, y, ROWS);
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void sparseLossOutputsAndGradientEqualTheDensePath(Task task) {
    Sparse s = Sparse.random(3L + task.ordinal());
    TinyProblem p = problem(task, s.dense());
    Mlp mlp = new Mlp(p.spec());
    int in = FEATURES;

    float[] gDense = new float[mlp.layout().size()];
    double lDense = mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, ROWS, gDense,
        mlp.newWorkspace(ROWS));
    float[] gSparse = new float[mlp.layout().size()];
    // a workspace of 3 rows: the sparse path chunks as the dense one does
    Workspace ws = mlp.newSparseWorkspace(3);
    double lSparse = mlp.lossAndGradientSparse(p.params(), s.rowPtr(), s.colIdx(), s.values(),
        p.y(), 0, ROWS, gSparse, ws);
    assertEquals(lDense, lSparse, 1e-6 * Math.abs(lDense), "summed loss");
    for (int i = 0; i < gDense.length; i++) {
      assertEquals(gDense[i], gSparse[i], 1e-6 + 1e-5 * Math.abs(gDense[i]), "gradient " + i);
    }
    // columns 0..4 appear in no row: their weight gradient is exactly zero
    for (int o = 0; o < mlp.layout().fanOut(0); o++) {
      for (int j = 0; j < 5; j++) {
        assertEquals(0f, gSparse[mlp.layout().weightOffset(0) + o * in + j], "unused column");
      }
    }
    // forward outputs, row by row chunks
    Workspace dws = mlp.newWorkspace(ROWS);
    mlp.forward(p.params(), p.x(), 0, ROWS, dws);
    Workspace sws = mlp.newSparseWorkspace(ROWS);
    mlp.forwardSparse(p.params(), s.rowPtr(), 0, s.colIdx(), s.values(), ROWS, sws);
    int k = p.spec().outputWidth();
    for (int i = 0; i < ROWS * k; i++) {
      assertEquals(dws.outputs()[i], sws.outputs()[i], 1e-6, "output " + i);
    }
    // the scoring loop with a sink sees the same outputs and loss
    double[] seen = new double[1];
    double lossOnly = mlp.lossSparse(p.params(), s.rowPtr(), s.colIdx(), s.values(), p.y(), 0,
        ROWS, ws, (first, n, out) -> seen[0] += n);
    assertEquals(lSparse, lossOnly, 1e-9 * Math.abs(lSparse), "loss without gradient");
    assertEquals(ROWS, seen[0]);
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void sparseGradientMatchesCenteredFiniteDifferences(Task task) {
    Sparse s = Sparse.random(17L + task.ordinal());
    TinyProblem p = problem(task, s.dense());
    Mlp mlp = new Mlp(p.spec());
    float[] grad = new float[mlp.layout().size()];
    mlp.lossAndGradientSparse(p.params(), s.rowPtr(), s.colIdx(), s.values(), p.y(), 0, ROWS,
        grad, mlp.newSparseWorkspace(ROWS));
    ReferenceMlp ref = new ReferenceMlp(p.spec());
    double[] theta = ReferenceMlp.toDouble(p.params());
    double h = 1e-5;
    double norm = 0;
    for (int i = 0; i < theta.length; i++) {
      double saved = theta[i];
      theta[i] = saved + h;
      double plus = ref.loss(theta, p.x(), p.y(), ROWS);
      theta[i] = saved - h;
      double minus = ref.loss(theta, p.x(), p.y(), ROWS);
      theta[i] = saved;
      double fd = (plus - minus) / (2 * h);
      norm += fd * fd;
      int idx = i;
      assertTrue(Math.abs(grad[i] - fd) <= 1e-4 + 1e-3 * Math.abs(fd), () -> String.format(
          "%s: d loss / d param[%d] sparse kernel %.7g vs finite difference %.7g", task, idx,
          grad[idx], fd));
    }
    assertTrue(Math.sqrt(norm) > 0.1, "gradient norm " + Math.sqrt(norm));
  }

  @Test
  void gatherPicksTheSameRowsAsTheDenseGather() {
    Sparse s = Sparse.random(99L);
    TinyProblem p = problem(Task.MULTICLASS, s.dense());
    Mlp mlp = new Mlp(p.spec());
    int[] rows = {6, 0, 3, 4, 1};
    float[] gd = new float[mlp.layout().size()];
    double ld = mlp.lossAndGradientGather(p.params(), p.x(), p.y(), rows, 1, 4, gd,
        mlp.newWorkspace(4));
    float[] gs = new float[mlp.layout().size()];
    // a tiny initial non-zero capacity is grown by the gather
    Workspace ws = mlp.newSparseWorkspace(4);
    double ls = mlp.lossAndGradientGatherSparse(p.params(), s.rowPtr(), s.colIdx(), s.values(),
        p.y(), rows, 1, 4, gs, ws);
    assertEquals(ld, ls, 1e-6 * Math.abs(ld));
    for (int i = 0; i < gd.length; i++) {
      assertEquals(gd[i], gs[i], 1e-6 + 1e-5 * Math.abs(gd[i]), "gradient " + i);
    }
    // gradients add: a second call doubles them
    float[] again = gs.clone();
    mlp.lossAndGradientGatherSparse(p.params(), s.rowPtr(), s.colIdx(), s.values(), p.y(), rows,
        1, 4, again, ws);
    for (int i = 0; i < gs.length; i++) {
      assertEquals(2 * gs[i], again[i], 1e-6 + 1e-6 * Math.abs(gs[i]));
    }
    assertThrows(IllegalArgumentException.class, () -> mlp.lossAndGradientGatherSparse(
        p.params(), s.rowPtr(), s.colIdx(), s.values(), p.y(), rows, 0, 4, gs,
        mlp.newWorkspace(4)), "a dense workspace has no CSR buffers");
  }

  @Test
  void kernelsComputeTheDocumentedSums() {
    // X = [[0, 2, 0], [1, 0, -1]], W = [[1, 2, 3], [4, 5, 6]], b = [0.5, -0.5]
    int[] rowPtr = {0, 1, 3};
    int[] col = {1, 0, 2};
    float[] val = {2f, 1f, -1f};
    float[] w = {1, 2, 3, 4, 5, 6};
    float[] b = {0.5f, -0.5f};
    float[] out = new float[4];
    SparseKernels.affineForward(out, rowPtr, 0, col, val, w, 0, b, 0, 2, 3, 2);
    assertArrayEquals(new float[] {4.5f, 9.5f, -1.5f, -2.5f}, out);
    // dW += dout^T X with dout = [[1, 0], [2, 3]]: dW = [[2, 2, -2], [3, 0, -3]]; db = [3, 3]
    float[] dw = new float[6];
    float[] db = new float[2];
    SparseKernels.affineBackward(Blas.get(), dw, 0, db, 0, new float[] {1, 0, 2, 3}, rowPtr, 0,
        col, val, new float[] {1, 1}, 2, 3, 2);
    assertArrayEquals(new float[] {2, 2, -2, 3, 0, -3}, dw);
    assertArrayEquals(new float[] {3, 3}, db);
  }

  @Test
  void weightedDropoutGatherMatchesTheDensePathWithTheSameWeightsAndMasks() {
    // the training gather with row weights and dropout: CSR rows and their dense copies, the same
    // row keys (hence masks), weights and gather order give the same loss and gradient up to
    // float rounding; the gathered rows include an empty one (row 5)
    Sparse s = Sparse.random(13L);
    NetworkSpec spec = NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU),
        FEATURES, 8, 6, 3).withDropout(0.4);
    Mlp mlp = new Mlp(spec);
    float[] params = Initializer.XAVIER_UNIFORM.initialize(mlp.layout(), 7L);
    SplittableRandom rng = new SplittableRandom(17L);
    float[] y = new float[ROWS];
    long[] keys = new long[ROWS];
    for (int r = 0; r < ROWS; r++) {
      y[r] = rng.nextInt(3);
      keys[r] = rng.nextLong();
    }
    int[] order = {6, 3, 0, 5, 1, 4, 2};
    float[] w = {2.5f, 0f, 1f, 0.75f, 3f}; // weights of order[1..5], in gather order
    long stepKey = Dropout.stepKey(3L, 2, 5);
    int p = mlp.layout().size();
    float[] dense = new float[p];
    float[] sparse = new float[p];
    double ld = mlp.lossAndGradientGather(params, s.dense(), y, keys, order, 1, 5, stepKey, w, 0,
        dense, mlp.newWorkspace(5));
    double ls = mlp.lossAndGradientGatherSparse(params, s.rowPtr(), s.colIdx(), s.values(), y,
        keys, order, 1, 5, stepKey, w, 0, sparse, mlp.newSparseWorkspace(5));
    assertEquals(ld, ls, 1e-5 * Math.max(1, Math.abs(ld)));
    double maxAbs = 0;
    for (float g : dense) {
      maxAbs = Math.max(maxAbs, Math.abs(g));
    }
    for (int i = 0; i < p; i++) {
      assertEquals(dense[i], sparse[i], 1e-5 * maxAbs, "gradient " + i);
    }
    // the masks and the weights both change the result, so the comparison above tests them
    float[] noDropout = new float[p];
    mlp.lossAndGradientGatherSparse(params, s.rowPtr(), s.colIdx(), s.values(), y, null, order,
        1, 5, stepKey, w, 0, noDropout, mlp.newSparseWorkspace(5));
    float[] unweighted = new float[p];
    mlp.lossAndGradientGatherSparse(params, s.rowPtr(), s.colIdx(), s.values(), y, keys, order,
        1, 5, stepKey, null, 0, unweighted, mlp.newSparseWorkspace(5));
    assertTrue(maxDiff(noDropout, sparse) > 1e-3 * maxAbs, "dropout matters here");
    assertTrue(maxDiff(unweighted, sparse) > 1e-3 * maxAbs, "weights matter here");
  }

  private static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
