package io.sparkmlp.model.optim;

import io.sparkmlp.model.InvalidSettingException;

/**
 * One-line argument checks whose {@link InvalidSettingException} names the offending parameter and
 * value.
 */
final class Checks {
  private Checks() {}

  /** Requires {@code v} finite and &gt; 0. */
  static void positive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new InvalidSettingException("{} must be finite and > 0, got " + v, name);
    }
  }

  /** Requires {@code v} finite and &gt;= 0. */
  static void nonNegative(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new InvalidSettingException("{} must be finite and >= 0, got " + v, name);
    }
  }

  /** Requires {@code v} in [0, 1). */
  static void inUnitInterval(String name, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new InvalidSettingException("{} must be in [0, 1), got " + v, name);
    }
  }

  /** Requires {@code v} in (0, 1). */
  static void inOpenUnitInterval(String name, double v) {
    if (!(v > 0 && v < 1)) {
      throw new InvalidSettingException("{} must be in (0, 1), got " + v, name);
    }
  }

  /** Requires {@code v} in (0, 1]. */
  static void inHalfOpenUnitInterval(String name, double v) {
    if (!(v > 0 && v <= 1)) {
      throw new InvalidSettingException("{} must be in (0, 1], got " + v, name);
    }
  }
}
