package io.sparkmlp.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid settings fail on construction with a message naming the field; parsing and defaults. */
class ConfigValidationTest {
  private static final OptimConfig ADAM = OptimConfig.defaults(OptimizerKind.ADAM, 1e-3f);

  private static Arguments bad(String field, Supplier<Object> make) {
    return Arguments.of(field, make);
  }

  static Stream<Arguments> invalidConfigs() {
    return Stream.of(
        bad("learningRate", () -> OptimConfig.defaults(OptimizerKind.SGD, 0f)),
        bad("learningRate", () -> ADAM.withLearningRate(-0.1f)),
        bad("learningRate", () -> ADAM.withLearningRate(Float.NaN)),
        bad("learningRate", () -> ADAM.withLearningRate(Float.POSITIVE_INFINITY)),
        bad("momentum", () -> ADAM.withMomentum(1f)),
        bad("momentum", () -> ADAM.withMomentum(-0.1f)),
        bad("beta1", () -> ADAM.withBeta1(1f)),
        bad("beta1", () -> ADAM.withBeta1(-0.5f)),
        bad("beta2", () -> ADAM.withBeta2(1f)),
        bad("beta2", () -> ADAM.withBeta2(Float.NaN)),
        bad("rho", () -> ADAM.withRho(1.5f)),
        bad("epsilon", () -> ADAM.withEpsilon(0f)),
        bad("epsilon", () -> ADAM.withEpsilon(-1e-8f)),
        bad("l2", () -> ADAM.withL2(-1e-4f)),
        bad("weightDecay", () -> ADAM.withWeightDecay(-0.01f)),
        bad("weightDecay", () -> ADAM.withLearningRate(2f).withWeightDecay(0.5f)),
        bad("clipNorm", () -> ADAM.withClipNorm(-1f)),
        bad("clipNorm", () -> ADAM.withClipNorm(Float.NaN)),
        bad("minLearningRate", () -> ADAM.withSchedule(ScheduleConfig.cosine(0, 0.01f))),
        bad("minLr", () -> ADAM.withSchedule(ScheduleConfig.plateau(0.5f, 1, 0f, 0.01f))),
        bad("stepSize", () -> ScheduleConfig.step(0, 0.5f)),
        bad("gamma", () -> ScheduleConfig.step(10, 0f)),
        bad("gamma", () -> ScheduleConfig.exponential(1.01f)),
        bad("warmupSteps", () -> ScheduleConfig.cosine(-1, 0f)),
        bad("minLearningRate", () -> ScheduleConfig.cosine(10, -1f)),
        bad("factor", () -> ScheduleConfig.plateau(1f, 5, 0f, 0f)),
        bad("factor", () -> ScheduleConfig.plateau(0f, 5, 0f, 0f)),
        bad("patience", () -> ScheduleConfig.plateau(0.5f, -1, 0f, 0f)),
        bad("threshold", () -> ScheduleConfig.plateau(0.5f, 5, -0.1f, 0f)),
        bad("minLr", () -> ScheduleConfig.plateau(0.5f, 5, 0f, -1f)));
  }

  @ParameterizedTest(name = "{0} #{index}")
  @MethodSource("invalidConfigs")
  void invalidValueIsRejectedNamingTheField(String field, Supplier<Object> make) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
    assertTrue(e.getMessage().startsWith(field + " ") || e.getMessage().contains(" " + field + " "),
        "message should name " + field + ": " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
  }

  @Test
  void defaultsAreTheCustomaryValues() {
    OptimConfig c = OptimConfig.defaults(OptimizerKind.ADAM, 1e-3f);
    assertEquals(1e-3f, c.learningRate());
    assertEquals(0.9f, c.momentum());
    assertEquals(0.9f, c.beta1());
    assertEquals(0.999f, c.beta2());
    assertEquals(0.9f, c.rho());
    assertEquals(1e-8f, c.epsilon());
    assertEquals(0f, c.l2());
    assertEquals(0f, c.weightDecay());
    assertFalse(c.decayBiases());
    assertEquals(0f, c.clipNorm());
    assertEquals(ScheduleKind.CONSTANT, c.schedule().kind());
    assertEquals(0.01f, OptimConfig.defaults(OptimizerKind.ADAMW, 1e-3f).weightDecay());
    for (OptimizerKind k : OptimizerKind.values()) {
      if (k != OptimizerKind.ADAMW) {
        assertEquals(0f, OptimConfig.defaults(k, 0.1f).weightDecay(), k.toString());
      }
    }
  }

  @Test
  void withMethodsChangeOnlyTheirField() {
    OptimConfig c = ADAM.withMomentum(0.5f).withClipNorm(1f).withDecayBiases(true)
        .withSchedule(ScheduleConfig.exponential(0.99f));
    assertEquals(new OptimConfig(OptimizerKind.ADAM, 1e-3f, 0.5f, 0.9f, 0.999f, 0.9f, 1e-8f, 0f, 0f,
        true, 1f, ScheduleConfig.exponential(0.99f)), c);
    assertEquals(OptimizerKind.ADAMW, c.withOptimizer(OptimizerKind.ADAMW).optimizer());
    assertEquals(0.95f, c.withBeta1(0.95f).beta1());
    assertEquals(0.98f, c.withBeta2(0.98f).beta2());
    assertEquals(0.99f, c.withRho(0.99f).rho());
    assertEquals(1e-6f, c.withEpsilon(1e-6f).epsilon());
    assertEquals(1e-4f, c.withL2(1e-4f).l2());
    assertEquals(0.1f, c.withWeightDecay(0.1f).weightDecay());
  }

  @Test
  void parseIsCaseInsensitiveAndListsKnownNames() {
    assertEquals(OptimizerKind.ADAMW, OptimizerKind.parse(" AdamW "));
    assertEquals(OptimizerKind.RMSPROP, OptimizerKind.parse("rmsprop"));
    assertEquals(ScheduleKind.COSINE, ScheduleKind.parse("Cosine"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.parse("adamax"));
    assertTrue(e.getMessage().contains("'adamax'")
        && e.getMessage().contains("sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ScheduleKind.parse("linear"));
    assertTrue(e.getMessage().contains("constant, step, exponential, cosine, plateau"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OptimizerKind.parse(null));
  }
}
