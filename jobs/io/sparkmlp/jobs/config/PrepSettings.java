package io.sparkmlp.jobs.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How table features are prepared before training: the {@code data.missing},
 * {@code data.categorical} and {@code data.standardize-target} keys. What is learned with these
 * settings is a {@link Preparation}.
 *
 * @param missing         default missing-value policy
 * @param columnPolicies  per-column policies overriding {@code missing}
 * @param median          impute numbers with the median (else the mean)
 * @param indicator       add a 0/1 missing-indicator feature after every imputed numeric column
 *                        that has missing values in the training rows
 * @param autoDetect      encode text columns without their being declared
 * @param maxCategories   at most this many categories per column
 * @param minFrequency    categories seen in fewer training rows go to the other slot
 * @param standardizeTarget regression: train on standardized targets
 */
public record PrepSettings(MissingPolicy missing, Map<String, MissingPolicy> columnPolicies,
    boolean median, boolean indicator, boolean autoDetect, int maxCategories, int minFrequency,
    boolean standardizeTarget) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The defaults: fail on missing values, auto-detect text, 100 categories, scale targets. */
  public static final PrepSettings DEFAULTS =
      new PrepSettings(MissingPolicy.FAIL, Map.of(), false, false, true, 100, 1, true);

  /** Validates and copies the per-column policies. */
  public PrepSettings {
    Objects.requireNonNull(missing, "missing");
    if (maxCategories < 1) {
      throw new IllegalArgumentException("maxCategories must be >= 1, got " + maxCategories);
    }
    if (minFrequency < 1) {
      throw new IllegalArgumentException("minFrequency must be >= 1, got " + minFrequency);
    }
    columnPolicies = Collections.unmodifiableMap(
        new LinkedHashMap<>(columnPolicies == null ? Map.of() : columnPolicies));
  }

  /** The policy of {@code column}: its own, else the default. */
  public MissingPolicy policy(String column) {
    return columnPolicies.getOrDefault(column, missing);
  }
}
