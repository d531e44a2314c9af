package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Row weights in the kernel: a weight of 2 is the row counted twice (gradient-exact), weights of 1
 * give exactly the bits of no weights, and a weight of 0 removes the row.
 */
class WeightedLossTest {
  private static final Activation TANH = Activation.of(Activation.Kind.TANH);

  /** Rows {@code pick[i]} of the problem, in that order: features and labels. */
  private static float[][] rows(TinyProblem p, int... pick) {
    int in = p.spec().inputWidth();
    int lw = p.spec().labelWidth();
    float[] x = new float[pick.length * in];
    float[] y = new float[pick.length * lw];
    for (int i = 0; i < pick.length; i++) {
      System.arraycopy(p.x(), pick[i] * in, x, i * in, in);
      System.arraycopy(p.y(), pick[i] * lw, y, i * lw, lw);
    }
    return new float[][] {x, y};
  }

  private static double lossAndGrad(TinyProblem p, float[][] xy, float[] w, float[] grad) {
    Mlp mlp = new Mlp(p.spec());
    int n = xy[0].length / p.spec().inputWidth();
    return mlp.lossAndGradient(p.params(), xy[0], 0, xy[1], 0, w, 0, n, grad,
        mlp.newWorkspace(Math.max(1, n)));
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void aSingleRowWeightedTwoIsBitwiseTheRowTwice(Task task) {
    TinyProblem p = TinyProblem.create(task, TANH, 3, 6, 5, 4);
    int size = new Mlp(p.spec()).layout().size();
    float[] twice = new float[size];
    double lossTwice = lossAndGrad(p, rows(p, 2, 2), null, twice);
    float[] weighted = new float[size];
    double lossWeighted = lossAndGrad(p, rows(p, 2), new float[] {2f}, weighted);
    // d + d == 2d exactly in floating point, and a two-row gradient sum has nothing else to round;
    // the loss of a row with several outputs is summed in another order (l1+l2+l1+l2 vs 2l1+2l2)
    assertEquals(lossTwice, lossWeighted, 1e-15 * Math.abs(lossTwice));
    assertArrayEquals(twice, weighted);
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void aWeightOfTwoEqualsDuplicatingTheRowInABatch(Task task) {
    TinyProblem p = TinyProblem.create(task, TANH, 5, 6, 5, 4);
    int size = new Mlp(p.spec()).layout().size();
    // the batch 0,1,2,3,4,5 with row 3 duplicated vs row 3 weighted 2: the same summed gradient,
    // and the same divisor (7 rows vs a weight sum of 7)
    float[] dup = new float[size];
    double lossDup = lossAndGrad(p, rows(p, 0, 1, 2, 3, 3, 4, 5), null, dup);
    float[] weighted = new float[size];
    float[] w = {1f, 1f, 1f, 2f, 1f, 1f};
    double lossWeighted = lossAndGrad(p, rows(p, 0, 1, 2, 3, 4, 5), w, weighted);
    assertEquals(lossDup, lossWeighted, 1e-12 * Math.abs(lossDup));
    double max = 0;
    double err = 0;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, Math.abs(dup[i]));
      err = Math.max(err, Math.abs(dup[i] - weighted[i]));
    }
    assertTrue(err <= 1e-6 * max, "gradient differs by " + err + " (max " + max + ")");
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void weightsOfOneGiveTheBitsOfNoWeights(Task task) {
    TinyProblem p = TinyProblem.create(task, TANH, 7, 9, 5, 4);
    int size = new Mlp(p.spec()).layout().size();
    float[][] all = rows(p, 0, 1, 2, 3, 4, 5, 6, 7, 8);
    float[] none = new float[size];
    double lossNone = lossAndGrad(p, all, null, none);
    float[] ones = new float[size];
    float[] w = new float[9];
    Arrays.fill(w, 1f);
    double lossOnes = lossAndGrad(p, all, w, ones);
    assertEquals(Double.doubleToRawLongBits(lossNone), Double.doubleToRawLongBits(lossOnes));
    assertArrayEquals(none, ones);
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void aWeightOfZeroRemovesTheRow(Task task) {
    TinyProblem p = TinyProblem.create(task, TANH, 9, 3, 4);
    int size = new Mlp(p.spec()).layout().size();
    float[] without = new float[size];
    double lossWithout = lossAndGrad(p, rows(p, 0, 2), null, without);
    float[] zero = new float[size];
    double lossZero = lossAndGrad(p, rows(p, 0, 1, 2), new float[] {1f, 0f, 1f}, zero);
    assertEquals(lossWithout, lossZero, 1e-12 * Math.abs(lossWithout));
    for (int i = 0; i < size; i++) {
      assertEquals(without[i], zero[i], 1e-6 * (1 + Math.abs(without[i])), "gradient " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void theForwardLossIsWeightedLikeTheTrainingLoss(Task task) {
    TinyProblem p = TinyProblem.create(task, TANH, 11, 4, 3);
    Mlp mlp = new Mlp(p.spec());
    float[] w = {0.5f, 3f, 1f, 0.25f};
    float[] grad = new float[mlp.layout().size()];
    double trained = mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, w, 0, 4, grad,
        mlp.newWorkspace(4));
    double forward = mlp.loss(p.params(), p.x(), 0, p.y(), 0, w, 0, 4, mlp.newWorkspace(2),
        (first, n, out) -> { });
    assertEquals(trained, forward, 1e-12 * Math.abs(trained));
    double byHand = 0;
    for (int r = 0; r < 4; r++) {
      byHand += w[r] * mlp.loss(p.params(), p.x(), r * p.spec().inputWidth(), p.y(),
          r * p.spec().labelWidth(), 1, mlp.newWorkspace(1));
    }
    assertEquals(byHand, forward, 1e-9 * Math.abs(byHand));
  }
}
