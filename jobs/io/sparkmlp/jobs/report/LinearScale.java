package io.sparkmlp.jobs.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear map from a data interval to a pixel interval, with "nice" tick values (1, 2 or 5 times
 * a power of ten) covering the data interval.
 */
final class LinearScale {
  private final double lo;
  private final double hi;
  private final double from;
  private final double to;

  /**
   * Maps [{@code lo}, {@code hi}] to [{@code from}, {@code to}] (pixels; {@code to} may be below
   * {@code from}, as for a y axis). An empty interval is widened so that it can be drawn.
   */
  LinearScale(double lo, double hi, double from, double to) {
    if (!(hi > lo)) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      lo -= pad;
      hi += pad;
    }
    this.lo = lo;
    this.hi = hi;
    this.from = from;
    this.to = to;
  }

  /**
   * A scale over the finite values of {@code values}, padded by 5% on both sides unless a bound
   * is pinned; {@code [0, 1]} when there is no finite value.
   *
   * @param values   data values (NaN and infinities are ignored)
   * @param zeroFloor whether the lower bound is 0 when all values are non-negative
   */
  static LinearScale fit(double[][] values, boolean zeroFloor, double from, double to) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] vs : values) {
      for (double v : vs) {
        if (Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    if (min > max) {
      return new LinearScale(0, 1, from, to);
    }
    boolean floor = zeroFloor && min >= 0;
    double pad = ((max - (floor ? 0 : min)) * 0.05);
    return new LinearScale(floor ? 0 : min - pad, max + pad, from, to);
  }

  /** The lower end of the data interval. */
  double lo() {
    return lo;
  }

  /** The upper end of the data interval. */
  double hi() {
    return hi;
  }

  /** The pixel position of {@code v}. */
  double map(double v) {
    return from + (v - lo) / (hi - lo) * (to - from);
  }

  /** About {@code count} tick values inside the interval, at a 1-2-5 step. */
  List<Double> ticks(int count) {
    double raw = (hi - lo) / Math.max(1, count);
    double pow = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / pow < 1.5 ? pow : raw / pow < 3.5 ? 2 * pow : raw / pow < 7.5 ? 5 * pow
        : 10 * pow;
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
      out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return out;
  }

  /** Tick values that are whole numbers (for epoch axes): at most about {@code count}. */
  List<Double> integerTicks(int count) {
    double step = Math.max(1, Math.ceil((hi - lo) / Math.max(1, count)));
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(lo); t <= hi; t += step) {
      out.add(t);
    }
    return out;
  }
}
