package io.sparkmlp.jobs.data.prep;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How one raw table cell reads: missing, a finite number, or text. Missing means null, blank,
 * {@code NaN} in any spelling, and (for numeric columns) an infinite number. Numbers in text are
 * parsed strictly (decimal or scientific notation with an optional sign; no hexadecimal or type
 * suffixes).
 */
final class Cells {
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private Cells() {}

  /** True if {@code v} (a Double, a String or null) is a missing value whatever the column kind. */
  static boolean blank(Object v) {
    if (v == null) {
      return true;
    }
    if (v instanceof Double d) {
      return d.isNaN();
    }
    String s = v.toString().trim();
    return s.isEmpty() || s.toLowerCase(Locale.ROOT).equals("nan");
  }

  /** The text of a categorical cell (trimmed), or null when missing. */
  static String category(Object v) {
    if (blank(v)) {
      return null;
    }
    if (v instanceof Double d) {
      double x = d;
      return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
    return v.toString().trim();
  }

  /**
   * The number in a numeric cell: a finite double, {@code NaN} when missing (blank, NaN or
   * infinite), or null when the cell holds text that is not a number.
   */
  static Double number(Object v) {
    if (blank(v)) {
      return Double.NaN;
    }
    double x;
    if (v instanceof Double d) {
      x = d;
    } else {
      String s = v.toString().trim();
      String lower = s.toLowerCase(Locale.ROOT).replace("+", "").replace("-", "");
      if (lower.equals("inf") || lower.equals("infinity")) {
        return Double.NaN;
      }
      if (!NUMBER.matcher(s).matches()) {
        return null;
      }
      x = Double.parseDouble(s);
    }
    return Double.isFinite(x) ? x : Double.NaN;
  }

  /** A short description of why a missing cell is missing, for messages. */
  static String why(Object v) {
    if (v == null) {
      return "an empty cell or null";
    }
    if (v instanceof Double d) {
      return d.isNaN() ? "NaN" : "an infinite value";
    }
    String s = v.toString().trim();
    return s.isEmpty() ? "a blank cell" : "'" + s + "'";
  }
}
