package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.model.format.SpecJson;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inverted dropout in the kernel: the gradient with fixed masks against finite differences of a
 * double-precision reference with the same masks, masks as a pure function of their keys,
 * forward-only passes that ignore dropout, and a rate of 0 that leaves training bitwise unchanged.
 */
class DropoutTest {
  static final int BATCH = 6;
  static final double P = 0.3;
  static final long STEP_KEY = Dropout.stepKey(17L, 2, 3);

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    Activation[] acts = {
      Activation.of(Activation.Kind.TANH),
      Activation.of(Activation.Kind.RELU),
      Activation.of(Activation.Kind.SIGMOID),
      Activation.of(Activation.Kind.MISH),
    };
    for (Activation a : acts) {
      for (Task t : Task.values()) {
        out.add(Arguments.of(a, t));
      }
    }
    return out.stream();
  }

  private static long[] keys(long seed, int n) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[] k = new long[n];
    for (int i = 0; i < n; i++) {
      k[i] = rng.nextLong();
    }
    return k;
  }

  /** The masks the kernel draws for these keys: masks[l] is [n][width_l]. */
  private static float[][] masks(NetworkSpec spec, long[] keys, int n) {
    float[][] m = new float[spec.numLayers()][];
    for (int l = 0; l < spec.hidden().size(); l++) {
      LayerSpec h = spec.hidden().get(l);
      if (h.dropout() > 0) {
        m[l] = new float[n * h.width()];
        Dropout.masks(m[l], keys, 0, n, h.width(), h.dropout(), STEP_KEY, l);
      }
    }
    return m;
  }

  private static boolean dropsAndKeeps(float[] mask) {
    boolean dropped = false;
    boolean kept = false;
    for (float v : mask) {
      dropped |= v == 0f;
      kept |= v != 0f;
    }
    return dropped && kept;
  }

  /** A problem with dropout P on both hidden layers, masks that drop and keep in every layer and
   * masked hidden pre-activations at least 0.05 away from 0 (no ReLU kink in reach). */
  private static TinyProblem problem(Activation act, Task task, long[] keys) {
    for (long s = 2000L + task.ordinal() * 31L; s < 4000L; s++) {
      TinyProblem p = TinyProblem.create(task, act, s, BATCH, 5, 4);
      NetworkSpec spec = p.spec().withDropout(P);
      float[][] m = masks(spec, keys, BATCH);
      if (!dropsAndKeeps(m[0]) || !dropsAndKeeps(m[1])) {
        continue;
      }
      double minZ = new ReferenceMlp(spec).forward(ReferenceMlp.toDouble(p.params()), p.x(),
          BATCH, m).minAbsHiddenPreActivation();
      if (minZ >= 0.05) {
        return new TinyProblem(spec, p.params(), p.x(), p.y(), BATCH);
      }
    }
    throw new IllegalStateException("no problem away from kinks");
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("cases")
  void gradientWithFixedMasksMatchesFiniteDifferences(Activation act, Task task) {
    long[] keys = keys(5L, BATCH);
    TinyProblem p = problem(act, task, keys);
    Mlp mlp = new Mlp(p.spec());
    ReferenceMlp ref = new ReferenceMlp(p.spec());
    float[][] m = masks(p.spec(), keys, BATCH);

    float[] grad = new float[mlp.layout().size()];
    double loss = mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, keys, 0, STEP_KEY, BATCH,
        grad, mlp.newWorkspace(BATCH));
    double[] theta = ReferenceMlp.toDouble(p.params());
    double refLoss = ref.loss(theta, p.x(), p.y(), BATCH, m);
    assertEquals(refLoss, loss, 1e-5 * Math.max(1, Math.abs(refLoss)), "summed loss");
    assertNotEquals(ref.loss(theta, p.x(), p.y(), BATCH), refLoss, "the masks change the loss");

    double h = 1e-5;
    for (int i = 0; i < theta.length; i++) {
      double saved = theta[i];
      theta[i] = saved + h;
      double plus = ref.loss(theta, p.x(), p.y(), BATCH, m);
      theta[i] = saved - h;
      double minus = ref.loss(theta, p.x(), p.y(), BATCH, m);
      theta[i] = saved;
      double fd = (plus - minus) / (2 * h);
      int idx = i;
      assertTrue(Math.abs(grad[i] - fd) <= 1e-4 + 1e-3 * Math.abs(fd), () -> String.format(
          "%s / %s: d loss / d param[%d] kernel %.7g vs finite difference %.7g", act, task, idx,
          grad[idx], fd));
    }
    // the dropped units' incoming weights get no gradient from those rows: with every row
    // dropping some unit, the masked gradient differs from the full network's
    float[] full = new float[grad.length];
    mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, BATCH, full, mlp.newWorkspace(BATCH));
    assertFalse(java.util.Arrays.equals(full, grad), "dropout changes the gradient");
  }

  @Test
  void masksArePureFunctionsOfStepRowLayerAndUnit() {
    int n = 50;
    int width = 40;
    long[] keys = keys(9L, n);
    float[] a = new float[n * width];
    float[] b = new float[n * width];
    Dropout.masks(a, keys, 0, n, width, 0.5, STEP_KEY, 1);
    Dropout.masks(b, keys, 0, n, width, 0.5, STEP_KEY, 1);
    assertArrayEquals(a, b, "same keys, same masks");

    // a row's mask depends on its key, not on its position among the rows
    long[] reversed = new long[n];
    for (int r = 0; r < n; r++) {
      reversed[r] = keys[n - 1 - r];
    }
    float[] c = new float[n * width];
    Dropout.masks(c, reversed, 0, n, width, 0.5, STEP_KEY, 1);
    for (int r = 0; r < n; r++) {
      for (int u = 0; u < width; u++) {
        assertEquals(a[r * width + u], c[(n - 1 - r) * width + u]);
      }
    }
    // and on the offset only through the key it selects
    float[] one = new float[width];
    Dropout.masks(one, keys, 7, 1, width, 0.5, STEP_KEY, 1);
    assertArrayEquals(java.util.Arrays.copyOfRange(a, 7 * width, 8 * width), one);

    // every other part of the key changes the masks
    float[] d = new float[n * width];
    Dropout.masks(d, keys, 0, n, width, 0.5, STEP_KEY, 0);
    assertFalse(java.util.Arrays.equals(a, d), "layer");
    Dropout.masks(d, keys, 0, n, width, 0.5, Dropout.stepKey(17L, 2, 4), 1);
    assertFalse(java.util.Arrays.equals(a, d), "step");
    Dropout.masks(d, keys, 0, n, width, 0.5, Dropout.stepKey(17L, 3, 3), 1);
    assertFalse(java.util.Arrays.equals(a, d), "epoch");
    Dropout.masks(d, keys, 0, n, width, 0.5, Dropout.stepKey(18L, 2, 3), 1);
    assertFalse(java.util.Arrays.equals(a, d), "seed");
  }

  @Test
  void dropsAboutPAndScalesKeptUnits() {
    int n = 1000;
    int width = 200;
    for (double p : new double[] {0.1, 0.2, 0.5, 0.9}) {
      float[] m = new float[n * width];
      Dropout.masks(m, keys(3L, n), 0, n, width, p, STEP_KEY, 0);
      float scale = (float) (1 / (1 - p));
      long dropped = 0;
      double sum = 0;
      for (float v : m) {
        assertTrue(v == 0f || v == scale, "mask values are 0 or 1/(1-p), got " + v);
        dropped += v == 0f ? 1 : 0;
        sum += v;
      }
      // binomial(200000, p): 5 standard deviations are below 0.006
      assertEquals(p, dropped / (double) m.length, 0.006, "drop fraction at p = " + p);
      assertEquals(1.0, sum / m.length, 0.06, "E[m] = 1 (inverted dropout) at p = " + p);
    }
  }

  @Test
  void forwardLossAndUnkeyedGradientIgnoreDropout() {
    TinyProblem p = TinyProblem.create(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 4L,
        20, 16, 8);
    Mlp plain = new Mlp(p.spec());
    Mlp dropped = new Mlp(p.spec().withDropout(0.5));
    Workspace wp = plain.newWorkspace(20);
    Workspace wd = dropped.newWorkspace(20);
    plain.forward(p.params(), p.x(), 0, 20, wp);
    dropped.forward(p.params(), p.x(), 0, 20, wd);
    assertArrayEquals(wp.outputs(), wd.outputs(), "predictions ignore dropout");
    assertEquals(plain.loss(p.params(), p.x(), 0, p.y(), 0, 20, wp),
        dropped.loss(p.params(), p.x(), 0, p.y(), 0, 20, wd), "evaluation ignores dropout");
    float[] g1 = new float[plain.layout().size()];
    float[] g2 = new float[plain.layout().size()];
    plain.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, 20, g1, wp);
    dropped.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, 20, g2, wd);
    assertArrayEquals(g1, g2, "without row keys the full network is trained");
    // a forward pass after a dropped training pass is still the full network
    dropped.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, keys(1L, 20), 0, STEP_KEY, 20,
        new float[g2.length], wd);
    dropped.forward(p.params(), p.x(), 0, 20, wd);
    assertArrayEquals(wp.outputs(), wd.outputs());
  }

  @Test
  void zeroDropoutTrainsBitwiseAsWithoutDropout() {
    TinyProblem p = TinyProblem.create(Task.BINARY, Activation.of(Activation.Kind.TANH), 8L, 40,
        12, 6);
    assertEquals(p.spec(), p.spec().withDropout(0.0));
    assertFalse(p.spec().hasDropout());
    Mlp mlp = new Mlp(p.spec());
    int[] rows = new int[40];
    for (int i = 0; i < 40; i++) {
      rows[i] = (i * 7) % 40;
    }
    long[] keys = keys(2L, 40);
    float[] plain = new float[mlp.layout().size()];
    float[] keyed = new float[mlp.layout().size()];
    double l1 = mlp.lossAndGradientGather(p.params(), p.x(), p.y(), rows, 0, 40, plain,
        mlp.newWorkspace(40));
    double l2 = mlp.lossAndGradientGather(p.params(), p.x(), p.y(), keys, rows, 0, 40, STEP_KEY,
        keyed, mlp.newWorkspace(40));
    assertEquals(l1, l2);
    assertArrayEquals(plain, keyed);
  }

  @Test
  void gatheredKeysFollowTheirRows() {
    // the gathering form keys each row's masks by its own key, wherever the row is gathered from
    TinyProblem p = TinyProblem.create(Task.REGRESSION, Activation.of(Activation.Kind.TANH), 6L,
        10, 8, 8);
    NetworkSpec spec = p.spec().withDropout(0.4);
    Mlp mlp = new Mlp(spec);
    long[] keys = keys(4L, 10);
    int[] rows = {3, 8, 1};
    int in = spec.inputWidth();
    int lw = spec.labelWidth();
    float[] x = new float[3 * in];
    float[] y = new float[3 * lw];
    long[] k = new long[3];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(p.x(), rows[i] * in, x, i * in, in);
      System.arraycopy(p.y(), rows[i] * lw, y, i * lw, lw);
      k[i] = keys[rows[i]];
    }
    float[] expected = new float[mlp.layout().size()];
    float[] actual = new float[mlp.layout().size()];
    double le = mlp.lossAndGradient(p.params(), x, 0, y, 0, k, 0, STEP_KEY, 3, expected,
        mlp.newWorkspace(3));
    double la = mlp.lossAndGradientGather(p.params(), p.x(), p.y(), keys, rows, 0, 3, STEP_KEY,
        actual, mlp.newWorkspace(4));
    assertEquals(le, la);
    assertArrayEquals(expected, actual);
  }

  @Test
  void ratesOutsideZeroToOneAndOutputLayerDropoutAreRejected() {
    Activation relu = Activation.of(Activation.Kind.RELU);
    for (double bad : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
      Exception e = assertThrows(IllegalArgumentException.class,
          () -> new LayerSpec(8, relu, bad));
      assertTrue(e.getMessage().startsWith("dropout must be in [0, 1), got "), e.getMessage());
    }
    NetworkSpec linear = NetworkSpec.of(Task.BINARY, relu, 4, 1);
    Exception e = assertThrows(IllegalArgumentException.class, () -> linear.withDropout(0.2));
    assertTrue(e.getMessage().contains("hidden layers only"), e.getMessage());
    assertEquals(linear, linear.withDropout(0));
  }

  @Test
  void specJsonAndDescriptionRecordNonZeroDropoutOnly() {
    NetworkSpec spec = NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 4, 8,
        6, 3);
    List<LayerSpec> h = List.of(spec.hidden().get(0), new LayerSpec(6,
        Activation.of(Activation.Kind.RELU), 0.25));
    NetworkSpec mixed = new NetworkSpec(4, h, 3, Task.MULTICLASS, Task.OutputActivation.SOFTMAX,
        Task.Loss.SOFTMAX_CROSS_ENTROPY);
    ObjectNode json = SpecJson.toJson(mixed);
    assertFalse(json.get("hidden").get(0).has("dropout"));
    assertEquals(0.25, json.get("hidden").get(1).get("dropout").doubleValue());
    assertEquals(mixed, SpecJson.fromJson(json));
    assertEquals("4-8(relu)-6(relu, dropout 0.25)-3(softmax) multiclass", mixed.describe());
    assertFalse(SpecJson.toJson(spec).toString().contains("dropout"));
    assertEquals("LayerSpec[width=8, activation=relu]", spec.hidden().get(0).toString());

    ((ObjectNode) json.get("hidden").get(1)).put("dropout", 1.0);
    Exception e = assertThrows(IllegalArgumentException.class, () -> SpecJson.fromJson(json));
    assertTrue(e.getMessage().startsWith("spec.hidden[1]: dropout must be in [0, 1)"),
        e.getMessage());
    ((ObjectNode) json.get("hidden").get(1)).put("dropout", "high");
    e = assertThrows(IllegalArgumentException.class, () -> SpecJson.fromJson(json));
    assertEquals("spec.hidden[1].dropout must be a number, got \"high\"", e.getMessage());
  }
}
