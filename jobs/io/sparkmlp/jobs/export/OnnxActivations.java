package io.sparkmlp.jobs.export;

import io.sparkmlp.model.Activation;
import java.util.List;

/**
 * The ONNX form (opset {@value OnnxExport#OPSET}) of each hidden activation, computing what
 * {@link io.sparkmlp.model.ActivationKernels#forward} computes:
 *
 * <table>
 *   <caption>activations as ONNX nodes</caption>
 *   <tr><th>activation</th><th>nodes</th></tr>
 *   <tr><td>identity</td><td>none</td></tr>
 *   <tr><td>sigmoid, tanh, relu, softplus</td><td>Sigmoid, Tanh, Relu, Softplus</td></tr>
 *   <tr><td>leaky_relu(s)</td><td>LeakyRelu, alpha = s</td></tr>
 *   <tr><td>mish</td><td>z * Tanh(Softplus(z)): Softplus, Tanh, Mul (the Mish operator only
 *       exists from opset 18)</td></tr>
 *   <tr><td>sign</td><td>Where(GreaterOrEqual(z, 0), 1, -1)</td></tr>
 *   <tr><td>step</td><td>Where(GreaterOrEqual(z, 0), 1, 0)</td></tr>
 * </table>
 */
final class OnnxActivations {
  private OnnxActivations() {}

  /**
   * Appends the nodes of {@code act} applied to the value {@code z}.
   *
   * @param g      the graph
   * @param act    the activation
   * @param z      the pre-activation value's name
   * @param prefix prefix of the new value names, e.g. {@code layer0}
   * @return the name of the activated value ({@code z} itself for identity)
   */
  static String apply(GraphBuilder g, Activation act, String z, String prefix) {
    return switch (act.kind()) {
      case IDENTITY -> z;
      case SIGMOID -> g.node("Sigmoid", g.name(prefix + "_sigmoid"), List.of(z));
      case TANH -> g.node("Tanh", g.name(prefix + "_tanh"), List.of(z));
      case RELU -> g.node("Relu", g.name(prefix + "_relu"), List.of(z));
      case LEAKY_RELU -> g.node("LeakyRelu", g.name(prefix + "_leaky_relu"), List.of(z),
          GraphBuilder.floatAttr("alpha", act.slope()));
      case SOFTPLUS -> g.node("Softplus", g.name(prefix + "_softplus"), List.of(z));
      case MISH -> {
        String sp = g.node("Softplus", g.name(prefix + "_mish_softplus"), List.of(z));
        String t = g.node("Tanh", g.name(prefix + "_mish_tanh"), List.of(sp));
        yield g.node("Mul", g.name(prefix + "_mish"), List.of(z, t));
      }
      case SIGN -> threshold(g, z, prefix + "_sign", -1f);
      case STEP -> threshold(g, z, prefix + "_step", 0f);
      default -> throw new IllegalArgumentException("activation " + act
          + " has no ONNX form in this exporter");
    };
  }

  /** 1 where z &gt;= 0, {@code below} elsewhere (also for NaN, as the Java kernels do). */
  private static String threshold(GraphBuilder g, String z, String name, float below) {
    String zero = g.scalar(name + "_zero", 0f);
    String ge = g.node("GreaterOrEqual", g.name(name + "_ge"), List.of(z, zero));
    String one = g.scalar(name + "_one", 1f);
    String other = g.scalar(name + "_below", below);
    return g.node("Where", g.name(name), List.of(ge, one, other));
  }
}
