package io.sparkmlp.jobs.config;

/**
 * An interval of allowed numeric values, each bound inclusive or exclusive; infinite bounds mean
 * unbounded. Used by {@link ConfigKey} both to document and to enforce a key's range.
 *
 * @param min          lower bound, or {@code Double.NEGATIVE_INFINITY}
 * @param minInclusive whether {@code min} itself is allowed
 * @param max          upper bound, or {@code Double.POSITIVE_INFINITY}
 * @param maxInclusive whether {@code max} itself is allowed
 */
public record ValueRange(double min, boolean minInclusive, double max, boolean maxInclusive) {

  /** Values &gt;= {@code min}. */
  public static ValueRange atLeast(double min) {
    return new ValueRange(min, true, Double.POSITIVE_INFINITY, false);
  }

  /** Values &gt; {@code min}. */
  public static ValueRange above(double min) {
    return new ValueRange(min, false, Double.POSITIVE_INFINITY, false);
  }

  /** Values in [min, max]. */
  public static ValueRange closed(double min, double max) {
    return new ValueRange(min, true, max, true);
  }

  /** Values in [min, max). */
  public static ValueRange closedOpen(double min, double max) {
    return new ValueRange(min, true, max, false);
  }

  /** Values in (min, max]. */
  public static ValueRange openClosed(double min, double max) {
    return new ValueRange(min, false, max, true);
  }

  /** Values in (min, max). */
  public static ValueRange open(double min, double max) {
    return new ValueRange(min, false, max, false);
  }

  /** True if {@code v} lies in the range (NaN never does). */
  public boolean contains(double v) {
    boolean lo = minInclusive ? v >= min : v > min;
    boolean hi = maxInclusive ? v <= max : v < max;
    return lo && hi;
  }

  /** The range as a phrase completing "must be ...", e.g. {@code >= 1} or {@code in [0, 1)}. */
  public String describe() {
    boolean noMax = max == Double.POSITIVE_INFINITY;
    boolean noMin = min == Double.NEGATIVE_INFINITY;
    if (noMax && noMin) {
      return "a number";
    }
    if (noMax) {
      return (minInclusive ? ">= " : "> ") + format(min);
    }
    if (noMin) {
      return (maxInclusive ? "<= " : "< ") + format(max);
    }
    return "in " + (minInclusive ? "[" : "(") + format(min) + ", " + format(max)
        + (maxInclusive ? "]" : ")");
  }

  /** A number without a trailing {@code .0} when integral. */
  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
