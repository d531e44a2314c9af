package io.sparkmlp.model.optim;

import java.util.Map;
import java.util.Set;

/**
 * The learning rate as a function of the number of updates already applied, plus (for
 * reduce-on-plateau) state driven by validation results. Rates are computed in double with
 * {@link StrictMath}, so they are reproducible on any JVM.
 */
interface LearningRateSchedule {

  /** The rate of the update that follows {@code t} applied updates (t = 0 for the first). */
  double rate(long t);

  /**
   * Reports a validation metric (lower is better).
   *
   * @return true if the rate was reduced; schedules that ignore validation return false
   */
  default boolean onValidation(double metric) {
    return false;
  }

  /** The names of the scalars {@link #exportState} writes and {@link #restoreState} needs. */
  default Set<String> stateKeys() {
    return Set.of();
  }

  /** Writes the mutable state, if any, into {@code out}. */
  default void exportState(Map<String, Double> out) {}

  /**
   * Restores the state written by {@link #exportState}. Validates every value before changing
   * anything.
   *
   * @throws IllegalArgumentException if a value is missing or invalid
   */
  default void restoreState(Map<String, Double> in) {}

  /**
   * The schedule {@code c} describes, starting from {@code baseRate}.
   *
   * @param totalSteps number of updates of the whole run; used (and validated) by COSINE only
   */
  static LearningRateSchedule create(ScheduleConfig c, float baseRate, long totalSteps) {
    return switch (c.kind()) {
      case CONSTANT -> new ConstantSchedule(baseRate);
      case STEP -> new StepSchedule(baseRate, c.stepSize(), c.gamma());
      case EXPONENTIAL -> new ExponentialSchedule(baseRate, c.gamma());
      case COSINE -> new CosineSchedule(baseRate, c.warmupSteps(), c.minLearningRate(), totalSteps);
      case PLATEAU -> new PlateauSchedule(baseRate, c.factor(), c.patience(), c.threshold(),
          c.minLr());
    };
  }
}
