package io.sparkmlp.model.optim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Learning-rate schedules. {@code t} is the number of updates already applied (0 for the first
 * update) and {@code a} the configured base rate; see {@link ScheduleConfig} for the parameters.
 */
public enum ScheduleKind {
  /** a_t = a. */
  CONSTANT,
  /** a_t = a * gamma^floor(t / stepSize). */
  STEP,
  /** a_t = a * gamma^t. */
  EXPONENTIAL,
  /** Linear warm-up to a, then half a cosine down to minLearningRate at totalSteps. */
  COSINE,
  /** a multiplied by factor whenever the validation loss stops improving; driven by the trainer. */
  PLATEAU;

  /**
   * Parses a name such as {@code cosine} (case-insensitive, surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the known schedules if {@code s} is not one of them
   */
  public static ScheduleKind parse(String s) {
    if (s != null) {
      String key = s.trim().toUpperCase(Locale.ROOT);
      for (ScheduleKind k : values()) {
        if (k.name().equals(key)) {
          return k;
        }
      }
    }
    throw new IllegalArgumentException("unknown learning-rate schedule '" + s + "'; known: "
        + Arrays.stream(values()).map(ScheduleKind::toString).collect(Collectors.joining(", ")));
  }

  /** Lower-case name, as accepted by {@link #parse(String)}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
