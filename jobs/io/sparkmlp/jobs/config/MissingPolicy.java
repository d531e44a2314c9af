package io.sparkmlp.jobs.config;

import java.util.Locale;

/** What to do with a missing value (empty cell, null, NaN or infinite number) of a feature. */
public enum MissingPolicy {
  /** An error naming the file, the column and the data row. */
  FAIL,
  /** The row is left out of every split, of evaluate and of predict, and counted. */
  DROP,
  /** A number gets the training rows' mean or median, a category the missing category. */
  IMPUTE;

  /**
   * Parses {@code fail}, {@code drop} or {@code impute}.
   *
   * @throws IllegalArgumentException naming the known values
   */
  public static MissingPolicy parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown missing-value policy '" + s
          + "'; known: fail, drop, impute");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
