package io.sparkmlp.model.optim;

import io.sparkmlp.model.InvalidSettingException;
import java.util.Objects;

/**
 * Immutable, validated description of a learning-rate schedule. Every field is always present and
 * always validated; the fields a kind does not use keep the defaults the factories give them. In
 * the formulas {@code a} is {@link OptimConfig#learningRate()} and {@code t} is the number of
 * updates already applied (0 for the first update).
 *
 * <ul>
 *   <li>{@link ScheduleKind#CONSTANT}: a_t = a.
 *   <li>{@link ScheduleKind#STEP}: a_t = a * gamma^floor(t / stepSize).
 *   <li>{@link ScheduleKind#EXPONENTIAL}: a_t = a * gamma^t (gamma is the per-update decay rate).
 *   <li>{@link ScheduleKind#COSINE}: with W = warmupSteps, T = totalSteps and m =
 *       minLearningRate: a_t = a (t + 1) / W for t &lt; W (linear warm-up that reaches a at the
 *       last warm-up step, as in llm.c); then a_t = m + (a - m) (1 + cos(pi p)) / 2 with p = (t -
 *       W) / (T - W), so a_W = a and a_T = m; a_t = m for t &gt;= T.
 *   <li>{@link ScheduleKind#PLATEAU}: starts at a. After each validation (lower is better) the
 *       metric counts as an improvement if it is below best - threshold * |best| (relative
 *       threshold; the first finite metric always improves). After {@code patience} consecutive
 *       validations without improvement the rate is multiplied by factor, floored at minLr, and the
 *       count restarts. This is the Keras convention; PyTorch's ReduceLROnPlateau with patience p
 *       behaves like patience p + 1 here. patience = 0 reduces on every non-improving validation.
 * </ul>
 *
 * @param kind            the schedule
 * @param stepSize        STEP: updates between two decays; &gt;= 1 (default 1)
 * @param gamma           STEP, EXPONENTIAL: multiplicative decay in (0, 1] (default 1)
 * @param warmupSteps     COSINE: length of the linear warm-up, &gt;= 0 (default 0)
 * @param minLearningRate COSINE: final rate, &gt;= 0 and at most the base rate (default 0)
 * @param factor          PLATEAU: multiplier applied on a plateau, in (0, 1) (default 0.1)
 * @param patience        PLATEAU: non-improving validations tolerated, &gt;= 0 (default 10)
 * @param threshold       PLATEAU: minimum relative improvement, &gt;= 0 (default 1e-4)
 * @param minLr           PLATEAU: floor of the rate, &gt;= 0 and at most the base rate (default 0)
 */
public record ScheduleConfig(
    ScheduleKind kind,
    int stepSize, float gamma,
    int warmupSteps, float minLearningRate,
    float factor, int patience, float threshold, float minLr) implements java.io.Serializable {

  /** Default {@link #stepSize()} of schedules other than STEP. */
  public static final int DEFAULT_STEP_SIZE = 1;
  /** Default {@link #gamma()} of schedules other than STEP and EXPONENTIAL (no decay). */
  public static final float DEFAULT_GAMMA = 1f;
  /** Default {@link #factor()} (PyTorch's ReduceLROnPlateau). */
  public static final float DEFAULT_FACTOR = 0.1f;
  /** Default {@link #patience()} (PyTorch's ReduceLROnPlateau). */
  public static final int DEFAULT_PATIENCE = 10;
  /** Default {@link #threshold()} (PyTorch's ReduceLROnPlateau). */
  public static final float DEFAULT_THRESHOLD = 1e-4f;

  /** Validates every field, whatever the kind. */
  public ScheduleConfig {
    Objects.requireNonNull(kind, "schedule kind");
    if (stepSize < 1) {
      throw new InvalidSettingException("{} must be >= 1, got " + stepSize, "stepSize");
    }
    Checks.inHalfOpenUnitInterval("gamma", gamma);
    if (warmupSteps < 0) {
      throw new InvalidSettingException("{} must be >= 0, got " + warmupSteps, "warmupSteps");
    }
    Checks.nonNegative("minLearningRate", minLearningRate);
    Checks.inOpenUnitInterval("factor", factor);
    if (patience < 0) {
      throw new InvalidSettingException("{} must be >= 0, got " + patience, "patience");
    }
    Checks.nonNegative("threshold", threshold);
    Checks.nonNegative("minLr", minLr);
  }

  /** a_t = a. */
  public static ScheduleConfig constant() {
    return of(ScheduleKind.CONSTANT);
  }

  /** a_t = a * gamma^floor(t / stepSize). */
  public static ScheduleConfig step(int stepSize, float gamma) {
    return new ScheduleConfig(ScheduleKind.STEP, stepSize, gamma, 0, 0f,
        DEFAULT_FACTOR, DEFAULT_PATIENCE, DEFAULT_THRESHOLD, 0f);
  }

  /** a_t = a * gamma^t. */
  public static ScheduleConfig exponential(float gamma) {
    return new ScheduleConfig(ScheduleKind.EXPONENTIAL, DEFAULT_STEP_SIZE, gamma, 0, 0f,
        DEFAULT_FACTOR, DEFAULT_PATIENCE, DEFAULT_THRESHOLD, 0f);
  }

  /** Linear warm-up over {@code warmupSteps}, then cosine decay to {@code minLearningRate}. */
  public static ScheduleConfig cosine(int warmupSteps, float minLearningRate) {
    return new ScheduleConfig(ScheduleKind.COSINE, DEFAULT_STEP_SIZE, DEFAULT_GAMMA,
        warmupSteps, minLearningRate, DEFAULT_FACTOR, DEFAULT_PATIENCE, DEFAULT_THRESHOLD, 0f);
  }

  /** Reduce-on-plateau with the given parameters. */
  public static ScheduleConfig plateau(float factor, int patience, float threshold, float minLr) {
    return new ScheduleConfig(ScheduleKind.PLATEAU, DEFAULT_STEP_SIZE, DEFAULT_GAMMA, 0, 0f,
        factor, patience, threshold, minLr);
  }

  /** Reduce-on-plateau with PyTorch's defaults: factor 0.1, patience 10, threshold 1e-4, no floor. */
  public static ScheduleConfig plateau() {
    return plateau(DEFAULT_FACTOR, DEFAULT_PATIENCE, DEFAULT_THRESHOLD, 0f);
  }

  /** {@code kind} with every parameter at its default (STEP then never decays: gamma = 1). */
  public static ScheduleConfig of(ScheduleKind kind) {
    return new ScheduleConfig(kind, DEFAULT_STEP_SIZE, DEFAULT_GAMMA, 0, 0f,
        DEFAULT_FACTOR, DEFAULT_PATIENCE, DEFAULT_THRESHOLD, 0f);
  }
}
