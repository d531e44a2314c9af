package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.format.SpecJson;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The autoencoder's network: its spec rules (output width = input width, a bottleneck only for
 * autoencoders and inside the hidden layers, identity + squared error or sigmoid + cross-entropy),
 * the bottleneck in the spec's JSON, and the gradient of the sigmoid + cross-entropy
 * reconstruction loss against double-precision finite differences (the squared-error one is in
 * {@link GradientCheckTest}, which covers every task).
 */
class AutoencoderSpecTest {
  private static final Activation TANH = Activation.of(Activation.Kind.TANH);

  private static List<LayerSpec> hidden(int... widths) {
    return java.util.Arrays.stream(widths).mapToObj(w -> new LayerSpec(w, TANH)).toList();
  }

  private static NetworkSpec bce(int bottleneck) {
    return new NetworkSpec(4, hidden(3, 2, 3), 4, Task.AUTOENCODER,
        Task.OutputActivation.SIGMOID, Task.Loss.SIGMOID_CROSS_ENTROPY, bottleneck);
  }

  @Test
  void specRules() {
    NetworkSpec s = bce(1);
    assertEquals(2, s.codeWidth());
    assertEquals(4, s.labelWidth());
    assertEquals("4-3(tanh)-2(tanh, code)-3(tanh)-4(sigmoid) autoencoder", s.describe());
    assertEquals(0, NetworkSpec.of(Task.AUTOENCODER, TANH, 4, 2, 4).codeWidth());
    IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
        () -> NetworkSpec.of(Task.AUTOENCODER, TANH, 4, 2, 3));
    assertTrue(width.getMessage().contains("output width 3 must equal its input width 4"),
        width.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> bce(3));
    assertTrue(range.getMessage().contains("bottleneck 3 is not the index of a hidden layer"),
        range.getMessage());
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> new NetworkSpec(4, hidden(2), 1, Task.REGRESSION, Task.OutputActivation.IDENTITY,
            Task.Loss.SQUARED_ERROR, 0));
    assertTrue(other.getMessage().contains("only for task autoencoder"), other.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new NetworkSpec(4, hidden(2), 4,
        Task.AUTOENCODER, Task.OutputActivation.SOFTMAX, Task.Loss.SOFTMAX_CROSS_ENTROPY));
    assertThrows(IllegalArgumentException.class, () -> new NetworkSpec(4, hidden(2), 4,
        Task.AUTOENCODER, Task.OutputActivation.IDENTITY, Task.Loss.SIGMOID_CROSS_ENTROPY));
  }

  @Test
  void bottleneckRoundTripsThroughJsonAndIsOptional() {
    NetworkSpec s = bce(1);
    assertEquals(1, SpecJson.toJson(s).get("bottleneck").asInt());
    assertEquals(s, SpecJson.fromJson(SpecJson.toJson(s)));
    NetworkSpec plain = NetworkSpec.of(Task.AUTOENCODER, TANH, 4, 2, 4);
    assertTrue(!SpecJson.toJson(plain).has("bottleneck"));
    assertEquals(plain, SpecJson.fromJson(SpecJson.toJson(plain)));
  }

  @Test
  void crossEntropyReconstructionGradientMatchesFiniteDifferences() {
    NetworkSpec spec = bce(1);
    Mlp mlp = new Mlp(spec);
    ParamLayout layout = mlp.layout();
    float[] params = Initializer.XAVIER_UNIFORM.initialize(layout, 7);
    SplittableRandom rng = new SplittableRandom(7);
    for (int l = 0; l < layout.numLayers(); l++) {
      for (int o = 0; o < layout.fanOut(l); o++) {
        params[layout.biasOffset(l) + o] = (float) (rng.nextDouble() - 0.5);
      }
    }
    int n = 6;
    float[] x = new float[n * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextDouble(); // features in [0, 1]
    }
    float[] y = x.clone(); // the target of a row is the row
    float[] grad = new float[layout.size()];
    double loss = mlp.lossAndGradient(params, x, 0, y, 0, n, grad, mlp.newWorkspace(n));

    ReferenceMlp ref = new ReferenceMlp(spec);
    double[] theta = ReferenceMlp.toDouble(params);
    assertEquals(ref.loss(theta, x, y, n), loss, 1e-5 * Math.abs(loss), "summed loss");
    double h = 1e-5;
    double norm = 0;
    for (int i = 0; i < theta.length; i++) {
      double saved = theta[i];
      theta[i] = saved + h;
      double plus = ref.loss(theta, x, y, n);
      theta[i] = saved - h;
      double minus = ref.loss(theta, x, y, n);
      theta[i] = saved;
      double fd = (plus - minus) / (2 * h);
      norm += fd * fd;
      assertEquals(fd, grad[i], 1e-4 + 1e-3 * Math.abs(fd), "d loss / d param[" + i + "]");
    }
    assertTrue(Math.sqrt(norm) > 0.1, "non-vacuous gradient, norm " + Math.sqrt(norm));
  }
}
