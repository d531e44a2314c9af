package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Spec validation, parsing and the flat parameter layout. */
class NetworkSpecTest {
  private static final Activation RELU = Activation.of(Activation.Kind.RELU);
  private static final List<LayerSpec> HIDDEN = List.of(new LayerSpec(8, RELU));

  private static void assertRejected(Executable e, String... fragments) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String f : fragments) {
      assertTrue(ex.getMessage().contains(f), "'" + ex.getMessage() + "' should mention " + f);
    }
  }

  @Test
  void widthsMustBePositive() {
    assertRejected(() -> new LayerSpec(0, RELU), "width", "0");
    assertRejected(() -> new LayerSpec(-3, RELU), "width");
    assertRejected(() -> new NetworkSpec(0, HIDDEN, 1, Task.BINARY, Task.OutputActivation.SIGMOID,
        Task.Loss.SIGMOID_CROSS_ENTROPY), "input width");
    assertRejected(() -> new NetworkSpec(4, HIDDEN, 0, Task.REGRESSION,
        Task.OutputActivation.IDENTITY, Task.Loss.SQUARED_ERROR), "output width");
    assertRejected(() -> NetworkSpec.of(Task.REGRESSION, RELU, 4, 0, 1), "width");
    assertRejected(() -> NetworkSpec.of(Task.REGRESSION, RELU, 4), "at least");
  }

  @Test
  void outputActivationAndLossMustMatchTheTask() {
    assertRejected(() -> new NetworkSpec(4, HIDDEN, 2, Task.REGRESSION,
        Task.OutputActivation.SOFTMAX, Task.Loss.SQUARED_ERROR), "softmax", "regression");
    assertRejected(() -> new NetworkSpec(4, HIDDEN, 3, Task.REGRESSION,
        Task.OutputActivation.IDENTITY, Task.Loss.SOFTMAX_CROSS_ENTROPY), "cross_entropy");
    assertRejected(() -> new NetworkSpec(4, HIDDEN, 3, Task.MULTICLASS,
        Task.OutputActivation.SIGMOID, Task.Loss.SOFTMAX_CROSS_ENTROPY), "sigmoid", "multiclass");
    assertRejected(() -> new NetworkSpec(4, HIDDEN, 3, Task.MULTICLASS,
        Task.OutputActivation.SOFTMAX, Task.Loss.SQUARED_ERROR), "mse");
    assertRejected(() -> new NetworkSpec(4, HIDDEN, 1, Task.BINARY,
        Task.OutputActivation.IDENTITY, Task.Loss.SIGMOID_CROSS_ENTROPY), "identity");
    assertRejected(() -> new NetworkSpec(4, HIDDEN, 3, Task.MULTILABEL,
        Task.OutputActivation.SOFTMAX, Task.Loss.SOFTMAX_CROSS_ENTROPY), "softmax");
  }

  @Test
  void outputWidthMustSuitTheTask() {
    assertRejected(() -> NetworkSpec.of(4, HIDDEN, 2, Task.BINARY), "binary", "2");
    assertRejected(() -> NetworkSpec.of(4, HIDDEN, 1, Task.MULTICLASS), "at least 2");
    // valid ones
    NetworkSpec.of(4, HIDDEN, 1, Task.BINARY);
    NetworkSpec.of(4, HIDDEN, 2, Task.MULTICLASS);
    NetworkSpec.of(4, HIDDEN, 1, Task.MULTILABEL);
    NetworkSpec.of(4, List.of(), 3, Task.REGRESSION);
  }

  @Test
  void nullsAreRejected() {
    assertThrows(NullPointerException.class, () -> new LayerSpec(3, null));
    assertThrows(NullPointerException.class, () -> new NetworkSpec(4, null, 1, Task.BINARY,
        Task.OutputActivation.SIGMOID, Task.Loss.SIGMOID_CROSS_ENTROPY));
  }

  @Test
  void activationNamesParse() {
    assertEquals(Activation.of(Activation.Kind.RELU), Activation.parse(" ReLU "));
    assertEquals(Activation.of(Activation.Kind.MISH), Activation.parse("mish"));
    assertEquals(Activation.leakyRelu(0.2f), Activation.parse("leaky_relu(0.2)"));
    assertEquals(Activation.DEFAULT_LEAKY_SLOPE, Activation.parse("leaky_relu").slope());
    for (Activation.Kind k : Activation.Kind.values()) {
      Activation a = Activation.of(k);
      assertEquals(a, Activation.parse(a.toString()), "round trip of " + a);
    }
    assertRejected(() -> Activation.parse("swish"), "unknown activation 'swish'", "relu", "mish");
    assertRejected(() -> Activation.parse("gelu"), "unknown activation");
    assertRejected(() -> Activation.parse("relu(0.2)"), "takes no argument");
    assertRejected(() -> Activation.parse("leaky_relu(abc)"), "not a number");
    assertRejected(() -> Activation.parse("leaky_relu(0.2"), "malformed");
    assertRejected(() -> Activation.leakyRelu(1.5f), "slope");
    assertRejected(() -> Activation.leakyRelu(-0.1f), "slope");
    assertRejected(() -> Activation.leakyRelu(Float.NaN), "slope");
  }

  @Test
  void taskLossAndOutputNamesParse() {
    assertEquals(Task.MULTICLASS, Task.parse("multi-class"));
    assertEquals(Task.MULTILABEL, Task.parse("Multi_Label"));
    assertRejected(() -> Task.parse("ranking"), "unknown task");
    assertEquals(Task.Loss.SQUARED_ERROR, Task.Loss.parse("mse"));
    assertEquals(Task.Loss.SOFTMAX_CROSS_ENTROPY, Task.Loss.parse("cross_entropy"));
    assertRejected(() -> Task.Loss.parse("hinge"), "unknown loss");
    assertEquals(Task.OutputActivation.SOFTMAX, Task.OutputActivation.parse("softmax"));
    assertRejected(() -> Task.OutputActivation.parse("relu"), "unknown output activation");
    assertEquals(1, Task.MULTICLASS.labelWidth(10));
    assertEquals(1, Task.BINARY.labelWidth(1));
    assertEquals(4, Task.MULTILABEL.labelWidth(4));
    assertEquals(2, Task.REGRESSION.labelWidth(2));
  }

  @Test
  void layoutIsWeightsRowMajorThenBiasPerLayer() {
    NetworkSpec spec = NetworkSpec.of(Task.MULTICLASS, RELU, 4, 5, 3, 3);
    ParamLayout layout = new ParamLayout(spec);
    assertEquals(4 * 5 + 5 + 5 * 3 + 3 + 3 * 3 + 3, layout.size());
    assertEquals(0, layout.weightOffset(0));
    assertEquals(20, layout.biasOffset(0));
    assertEquals(25, layout.weightOffset(1));
    assertEquals(40, layout.biasOffset(1));
    assertEquals(43, layout.weightOffset(2));
    assertEquals(52, layout.biasOffset(2));
    assertTrue(layout.isBias(20) && layout.isBias(24) && !layout.isBias(25) && layout.isBias(54));
    float[] mask = layout.weightMask();
    for (int i = 0; i < layout.size(); i++) {
      assertEquals(layout.isBias(i) ? 0f : 1f, mask[i], "mask[" + i + "]");
    }
    assertEquals("4-5(relu)-3(relu)-3(softmax) multiclass", spec.describe());
  }

  @Test
  void wrongParameterOrGradientLengthIsRejected() {
    Mlp mlp = new Mlp(NetworkSpec.of(Task.BINARY, RELU, 2, 3, 1));
    float[] p = new float[mlp.layout().size()];
    Workspace ws = mlp.newWorkspace(1);
    float[] x = {1f, 2f};
    float[] y = {1f};
    assertRejected(() -> mlp.lossAndGradient(p, x, 0, y, 0, 1, new float[3], ws), "gradient length");
    assertRejected(() -> mlp.loss(new float[3], x, 0, y, 0, 1, ws), "parameter length");
    assertRejected(() -> mlp.forward(p, x, 0, 2, ws), "does not fit");
    assertRejected(() -> mlp.newWorkspace(0), "capacity");
  }
}
