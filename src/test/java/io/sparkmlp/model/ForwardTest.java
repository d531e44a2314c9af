package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Forward pass against the double reference, forward-only activations, numerical stability. */
class ForwardTest {

  private static void assertForwardMatchesReference(TinyProblem p, double tol) {
    Mlp mlp = new Mlp(p.spec());
    Workspace ws = mlp.newWorkspace(p.n());
    mlp.forward(p.params(), p.x(), 0, p.n(), ws);
    ReferenceMlp.Pass ref = new ReferenceMlp(p.spec())
        .forward(ReferenceMlp.toDouble(p.params()), p.x(), p.n());
    int k = p.spec().outputWidth();
    for (int r = 0; r < p.n(); r++) {
      for (int j = 0; j < k; j++) {
        assertEquals(ref.outputs()[r][j], ws.outputs()[r * k + j], tol,
            p.spec().describe() + " output[" + r + "][" + j + "]");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void forwardMatchesReferenceForEveryActivation(Task task) {
    for (Activation.Kind kind : Activation.Kind.values()) {
      // away from 0 so that sign/step agree between float and double
      TinyProblem p = TinyProblem.awayFromKinks(task, Activation.of(kind), 7, 0.01, 6, 5, 3);
      assertForwardMatchesReference(p, 1e-5);
    }
  }

  @Test
  void softmaxOutputsAreProbabilities() {
    TinyProblem p = TinyProblem.create(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 3, 6, 5);
    Mlp mlp = new Mlp(p.spec());
    Workspace ws = mlp.newWorkspace(6);
    mlp.forward(p.params(), p.x(), 0, 6, ws);
    for (int r = 0; r < 6; r++) {
      double s = 0;
      for (int j = 0; j < 3; j++) {
        float v = ws.outputs()[r * 3 + j];
        assertTrue(v > 0f && v < 1f);
        s += v;
      }
      assertEquals(1.0, s, 1e-6);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Activation.Kind.class, names = {"SIGN", "STEP"})
  void signAndStepAreForwardOnly(Activation.Kind kind) {
    Activation act = Activation.of(kind);
    assertFalse(act.differentiable());
    float[] z = {-2f, -0.5f, 0f, 0.5f, 3f};
    float[] a = new float[5];
    ActivationKernels.forward(act, z, a, 5);
    float lo = kind == Activation.Kind.SIGN ? -1f : 0f;
    assertArrayEquals(new float[] {lo, lo, 1f, 1f, 1f}, a);

    TinyProblem p = TinyProblem.awayFromKinks(Task.BINARY, act, 11, 0.01, 6, 5, 3);
    assertForwardMatchesReference(p, 1e-5);
    Mlp mlp = new Mlp(p.spec());
    assertThrows(IllegalArgumentException.class, () -> p.spec().requireTrainable());
    float[] grad = new float[mlp.layout().size()];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, p.n(), grad,
            mlp.newWorkspace(6)));
    assertTrue(e.getMessage().contains(act.toString())
        && e.getMessage().contains("cannot be trained"), e.getMessage());
    assertArrayEquals(new float[grad.length], grad, "nothing was added to the gradient");
    // the loss alone (evaluation) still works
    double loss = mlp.loss(p.params(), p.x(), 0, p.y(), 0, p.n(), mlp.newWorkspace(6));
    assertEquals(new ReferenceMlp(p.spec()).loss(ReferenceMlp.toDouble(p.params()), p.x(), p.y(),
        p.n()), loss, 1e-5 * Math.max(1, loss));
    // the element-wise backward refuses too
    assertThrows(UnsupportedOperationException.class,
        () -> ActivationKernels.backward(act, z, a, new float[5], 5));
  }

  @Test
  void activationsAreStableForLargeInputs() {
    float[] z = {-1000f, -100f, -30f, 30f, 100f, 1000f};
    for (Activation.Kind kind : Activation.Kind.values()) {
      Activation act = Activation.of(kind);
      float[] a = new float[z.length];
      ActivationKernels.forward(act, z, a, z.length);
      for (int i = 0; i < z.length; i++) {
        assertTrue(Float.isFinite(a[i]), act + "(" + z[i] + ") = " + a[i]);
        assertEquals(ReferenceMlp.activate(act, z[i]), a[i], 1e-6 * Math.max(1, Math.abs(z[i])),
            act + "(" + z[i] + ")");
      }
      if (act.differentiable()) {
        float[] g = {1, 1, 1, 1, 1, 1};
        ActivationKernels.backward(act, z, a, g, z.length);
        for (float v : g) {
          assertTrue(Float.isFinite(v), act + " derivative not finite");
        }
      }
    }
  }

  @Test
  void lossesAreStableForExtremeLogits() {
    // one sigmoid unit with logit +-100 against the wrong label: loss ~100, gradient +-1
    float[] z = {100f, -100f};
    float[] out = new float[2];
    float[] delta = new float[2];
    double l = Losses.apply(Task.Loss.SIGMOID_CROSS_ENTROPY, z, out, new float[] {0f, 1f}, 0,
        delta, 2, 1);
    assertEquals(200.0, l, 1e-9);
    assertArrayEquals(new float[] {1f, -1f}, delta, 1e-6f);

    // softmax with huge logits: no overflow, loss = gap to the winner
    float[] zs = {1000f, 0f, -1000f};
    float[] outs = new float[3];
    float[] ds = new float[3];
    double ce = Losses.apply(Task.Loss.SOFTMAX_CROSS_ENTROPY, zs, outs, new float[] {1f}, 0, ds, 1,
        3);
    assertEquals(1000.0, ce, 1e-9);
    assertArrayEquals(new float[] {1f, -1f, 0f}, ds, 1e-6f);
  }

  @Test
  void classLabelOutOfRangeIsRejected() {
    NetworkSpec spec = NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 2, 3);
    Mlp mlp = new Mlp(spec);
    float[] params = Initializer.AUTO.initialize(mlp.layout(), 1);
    for (float bad : new float[] {3f, -1f, 0.5f}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> mlp.loss(params, new float[] {1f, 2f}, 0, new float[] {bad}, 0, 1,
              mlp.newWorkspace(1)));
      assertTrue(e.getMessage().contains("class label"), e.getMessage());
    }
  }

  @Test
  void reluFamilyDerivativesAtAndAroundZero() {
    float[] z = {-3f, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, 1e-30f, 2f, Float.MAX_VALUE,
        Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
    float[] expectedRelu = {0, 0, 0, 0, 1, 1, 1, 1, 0, 1};
    for (int i = 0; i < z.length; i++) {
      assertEquals(expectedRelu[i], ActivationKernels.positive(z[i]), "positive(" + z[i] + ")");
    }
    Activation relu = Activation.of(Activation.Kind.RELU);
    Activation leaky = Activation.leakyRelu(0.2f);
    float[] a = new float[z.length];
    float[] g = new float[z.length];
    java.util.Arrays.fill(g, -1.5f);
    ActivationKernels.forward(relu, z, a, z.length);
    ActivationKernels.backward(relu, z, a, g, z.length);
    for (int i = 0; i < z.length; i++) {
      assertEquals(Math.max(z[i], 0f), a[i]);
      assertEquals(-1.5f * expectedRelu[i], g[i], 0f, "relu'(" + z[i] + ")");
    }
    java.util.Arrays.fill(g, -1.5f);
    ActivationKernels.forward(leaky, z, a, z.length);
    ActivationKernels.backward(leaky, z, a, g, z.length);
    for (int i = 0; i < z.length; i++) {
      assertEquals(z[i] > 0f ? z[i] : 0.2f * z[i], a[i], "leaky(" + z[i] + ")");
      assertEquals(z[i] > 0f ? -1.5f : -1.5f * 0.2f, g[i], 0f, "leaky'(" + z[i] + ")");
    }
    assertTrue(Float.isNaN(ActivationKernels.positive(Float.NaN)), "a NaN is not hidden");
  }

  @Test
  void reluDerivativeIsTheExactMaskedGradient() {
    // the vectorized mask must give the bits of "g if z > 0 else g * 0" for every finite z,
    // subnormals included, over arrays long enough for the JIT's SIMD loop
    java.util.Random r = new java.util.Random(7);
    int n = 4099;
    float[] z = new float[n];
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(4);
      z[i] = kind == 0 ? (float) r.nextGaussian()
          : kind == 1 ? Float.intBitsToFloat(r.nextInt(0x00800000) | (r.nextBoolean() ? 0 : 1 << 31))
          : kind == 2 ? (r.nextBoolean() ? 0f : -0f)
          : (float) (r.nextGaussian() * 1e30);
      g[i] = (float) r.nextGaussian();
    }
    Activation relu = Activation.of(Activation.Kind.RELU);
    for (int rep = 0; rep < 200; rep++) { // long enough to run the C2-compiled loop too
      float[] out = g.clone();
      ActivationKernels.backward(relu, z, new float[n], out, n);
      for (int i = 0; i < n; i++) {
        float want = z[i] > 0f ? g[i] : g[i] * 0f;
        if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(out[i])) {
          throw new AssertionError("relu'(" + z[i] + ") * " + g[i] + ": got " + out[i]
              + ", want " + want);
        }
      }
    }
  }
}
