package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks {@link Mlp#lossAndGradient} against centered finite differences of EVERY parameter, for
 * every differentiable hidden activation and every task, on a 4-5-3-K network with a batch of 6.
 *
 * <p>Two independent checks per case:
 * <ol>
 *   <li>against finite differences (h = 1e-5) of a double-precision reference
 *       ({@link ReferenceMlp}): the truncation and rounding errors of the difference are ~1e-9, so
 *       the tolerance only has to absorb the kernel's float32 rounding;</li>
 *   <li>against finite differences (eps = 1e-2) of the kernel's own float32 {@link Mlp#loss}, with a
 *       tolerance sized for float rounding of the loss divided by 2 eps.</li>
 * </ol>
 * Hidden pre-activations are kept at least 0.05 away from 0 (seed chosen deterministically) so no
 * difference straddles a ReLU kink. A wrong derivative, factor or sign produces errors of order
 * 1e-1 .. 1, far above both tolerances.
 */
class GradientCheckTest {
  static final int BATCH = 6;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    Activation[] acts = {
      Activation.of(Activation.Kind.IDENTITY),
      Activation.of(Activation.Kind.SIGMOID),
      Activation.of(Activation.Kind.TANH),
      Activation.of(Activation.Kind.RELU),
      // a larger negative slope than the default so the negative side weighs in the check
      Activation.leakyRelu(0.1f),
      Activation.of(Activation.Kind.SOFTPLUS),
      Activation.of(Activation.Kind.MISH),
    };
    for (Activation a : acts) {
      for (Task t : Task.values()) {
        out.add(Arguments.of(a, t));
      }
    }
    return out.stream();
  }

  private static TinyProblem problem(Activation act, Task task) {
    return TinyProblem.awayFromKinks(task, act, 1000L + task.ordinal() * 31L, 0.05, BATCH, 5, 3);
  }

  private static float[] kernelGradient(Mlp mlp, TinyProblem p, double[] lossOut) {
    float[] grad = new float[mlp.layout().size()];
    lossOut[0] = mlp.lossAndGradient(p.params(), p.x(), 0, p.y(), 0, p.n(), grad,
        mlp.newWorkspace(p.n()));
    return grad;
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("cases")
  void gradientMatchesDoublePrecisionFiniteDifferences(Activation act, Task task) {
    TinyProblem p = problem(act, task);
    Mlp mlp = new Mlp(p.spec());
    ReferenceMlp ref = new ReferenceMlp(p.spec());
    assertEquals(ref.size(), mlp.layout().size(), "parameter count");

    double[] loss = new double[1];
    float[] grad = kernelGradient(mlp, p, loss);
    double[] theta = ReferenceMlp.toDouble(p.params());
    double refLoss = ref.loss(theta, p.x(), p.y(), p.n());
    assertEquals(refLoss, loss[0], 1e-5 * Math.max(1, Math.abs(refLoss)), "summed loss");

    double h = 1e-5;
    double fdNormSq = 0;
    for (int i = 0; i < theta.length; i++) {
      double saved = theta[i];
      theta[i] = saved + h;
      double plus = ref.loss(theta, p.x(), p.y(), p.n());
      theta[i] = saved - h;
      double minus = ref.loss(theta, p.x(), p.y(), p.n());
      theta[i] = saved;
      double fd = (plus - minus) / (2 * h);
      fdNormSq += fd * fd;
      int idx = i;
      assertTrue(Math.abs(grad[i] - fd) <= 1e-4 + 1e-3 * Math.abs(fd), () -> String.format(
          "%s / %s: d loss / d param[%d] (%s) kernel %.7g vs finite difference %.7g",
          act, task, idx, mlp.layout().isBias(idx) ? "bias" : "weight", grad[idx], fd));
    }
    // the check must not be vacuous: the gradient is far from zero
    assertTrue(Math.sqrt(fdNormSq) > 0.1, "gradient norm " + Math.sqrt(fdNormSq));
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("cases")
  void gradientMatchesFloatKernelFiniteDifferences(Activation act, Task task) {
    TinyProblem p = problem(act, task);
    Mlp mlp = new Mlp(p.spec());
    Workspace ws = mlp.newWorkspace(p.n());
    double[] loss = new double[1];
    float[] grad = kernelGradient(mlp, p, loss);
    float[] theta = p.params().clone();
    assertEquals(loss[0], mlp.loss(theta, p.x(), 0, p.y(), 0, p.n(), ws), 1e-6 * Math.abs(loss[0]),
        "loss() and lossAndGradient() agree");

    float eps = 1e-2f;
    for (int i = 0; i < theta.length; i++) {
      float saved = theta[i];
      float up = saved + eps;
      float down = saved - eps;
      theta[i] = up;
      double plus = mlp.loss(theta, p.x(), 0, p.y(), 0, p.n(), ws);
      theta[i] = down;
      double minus = mlp.loss(theta, p.x(), 0, p.y(), 0, p.n(), ws);
      theta[i] = saved;
      // the actual float step, not the nominal 2 eps
      double fd = (plus - minus) / ((double) up - (double) down);
      double tol = 2e-3 + 1e-2 * Math.abs(fd);
      int idx = i;
      assertTrue(Math.abs(grad[i] - fd) <= tol, () -> String.format(
          "%s / %s: d loss / d param[%d] kernel %.6g vs float finite difference %.6g",
          act, task, idx, grad[idx], fd));
    }
  }
}
