package io.sparkmlp.model.optim;

/** One-line argument checks whose messages name the offending parameter and value. */
final class Checks {
  private Checks() {}

  /** Requires {@code v} finite and &gt; 0. */
  static void positive(String name, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
    }
  }

  /** Requires {@code v} finite and &gt;= 0. */
  static void nonNegative(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
    }
  }

  /** Requires {@code v} in [0, 1). */
  static void inUnitInterval(String name, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
    }
  }

  /** Requires {@code v} in (0, 1). */
  static void inOpenUnitInterval(String name, double v) {
    if (!(v > 0 && v < 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1), got " + v);
    }
  }

  /** Requires {@code v} in (0, 1]. */
  static void inHalfOpenUnitInterval(String name, double v) {
    if (!(v > 0 && v <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1], got " + v);
    }
  }
}
