package io.sparkmlp.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.InvalidSettingException;
import java.util.List;
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
        bad("learningRate", () -> ADAM.toBuilder().learningRate(-0.1f).build()),
        bad("learningRate", () -> ADAM.toBuilder().learningRate(Float.NaN).build()),
        bad("learningRate", () -> ADAM.toBuilder().learningRate(Float.POSITIVE_INFINITY).build()),
        bad("momentum", () -> ADAM.toBuilder().momentum(1f).build()),
        bad("momentum", () -> ADAM.toBuilder().momentum(-0.1f).build()),
        bad("beta1", () -> ADAM.toBuilder().beta1(1f).build()),
        bad("beta1", () -> ADAM.toBuilder().beta1(-0.5f).build()),
        bad("beta2", () -> ADAM.toBuilder().beta2(1f).build()),
        bad("beta2", () -> ADAM.toBuilder().beta2(Float.NaN).build()),
        bad("rho", () -> ADAM.toBuilder().rho(1.5f).build()),
        bad("epsilon", () -> ADAM.toBuilder().epsilon(0f).build()),
        bad("epsilon", () -> ADAM.toBuilder().epsilon(-1e-8f).build()),
        bad("l2", () -> ADAM.toBuilder().l2(-1e-4f).build()),
        bad("weightDecay", () -> ADAM.toBuilder().weightDecay(-0.01f).build()),
        bad("weightDecay", () -> ADAM.toBuilder().learningRate(2f).weightDecay(0.5f).build()),
        bad("clipNorm", () -> ADAM.toBuilder().clipNorm(-1f).build()),
        bad("clipNorm", () -> ADAM.toBuilder().clipNorm(Float.NaN).build()),
        bad("minLearningRate",
            () -> ADAM.toBuilder().schedule(ScheduleConfig.cosine(0, 0.01f)).build()),
        bad("minLr",
            () -> ADAM.toBuilder().schedule(ScheduleConfig.plateau(0.5f, 1, 0f, 0.01f)).build()),
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
  void builderChangesOnlyItsFields() {
    OptimConfig c = ADAM.toBuilder().momentum(0.5f).clipNorm(1f).decayBiases(true)
        .schedule(ScheduleConfig.exponential(0.99f)).build();
    assertEquals(new OptimConfig(OptimizerKind.ADAM, 1e-3f, 0.5f, 0.9f, 0.999f, 0.9f, 1e-8f, 0f, 0f,
        true, 1f, ScheduleConfig.exponential(0.99f)), c);
    assertEquals(OptimizerKind.ADAMW,
        c.toBuilder().optimizer(OptimizerKind.ADAMW).build().optimizer());
    assertEquals(0.95f, c.toBuilder().beta1(0.95f).build().beta1());
    assertEquals(0.98f, c.toBuilder().beta2(0.98f).build().beta2());
    assertEquals(0.99f, c.toBuilder().rho(0.99f).build().rho());
    assertEquals(1e-6f, c.toBuilder().epsilon(1e-6f).build().epsilon());
    assertEquals(1e-4f, c.toBuilder().l2(1e-4f).build().l2());
    assertEquals(0.1f, c.toBuilder().weightDecay(0.1f).build().weightDecay());
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

  @Test
  void errorsNameTheirSettingsForCallers() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> ADAM.toBuilder().schedule(ScheduleConfig.cosine(0, 0.01f)).build());
    assertEquals(List.of("schedule.minLearningRate", "learningRate"), e.settings());
    assertEquals("schedule minLearningRate 0.01 exceeds learningRate 0.001", e.getMessage());
    assertEquals("<schedule.minLearningRate> 0.01 exceeds <learningRate> 0.001",
        e.message(s -> "<" + s + ">"));
  }
}
