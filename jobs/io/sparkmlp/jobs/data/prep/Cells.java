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
  /** The strict number syntax; {@link #isNumber} is its hand-written, allocation-free matcher. */
  static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private Cells() {}

  /**
   * Whether {@code s} matches {@link #NUMBER}: {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}
   * with ASCII digits. A scan instead of a regex: every cell of a table goes through it (millions
   * per read), and the regex cost about as much as the rest of the per-cell work together.
   */
  static boolean isNumber(String s) {
    return shape(s) != NOT_A_NUMBER;
  }

  /** {@link #shape}: not a number ({@link #isNumber} false). */
  static final int NOT_A_NUMBER = 0;
  /** {@link #shape}: a number whose text says nothing of its size (it has an exponent). */
  static final int NUMBER_ANY_SIZE = 1;
  /**
   * {@link #shape}: a number without an exponent and with at most {@link #SMALL_INT_DIGITS}
   * integer digits: |x| &lt; 1e38, finite and within the float range (+-3.4e38).
   */
  static final int NUMBER_SMALL = 2;
  /** Integer digits of a {@link #NUMBER_SMALL} number. */
  static final int SMALL_INT_DIGITS = 38;

  /**
   * What {@code s} is as a number, in the one scan of {@link #isNumber}: {@link #NOT_A_NUMBER},
   * {@link #NUMBER_SMALL} (no exponent, at most 38 integer digits, so |x| &lt; 10^38 with no need
   * to parse it) or {@link #NUMBER_ANY_SIZE}.
   */
  static int shape(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int intDigits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      intDigits++;
    }
    int fracDigits = 0;
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        fracDigits++;
      }
    }
    // \d+\.?\d* needs an integer digit; \.\d+ needs a fraction digit
    if (intDigits == 0 && fracDigits == 0) {
      return NOT_A_NUMBER;
    }
    boolean exponent = false;
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      exponent = true;
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int expDigits = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        expDigits++;
      }
      if (expDigits == 0) {
        return NOT_A_NUMBER;
      }
    }
    if (i != n) {
      return NOT_A_NUMBER;
    }
    // without an exponent, d integer digits bound |x| below 10^d
    return !exponent && intDigits <= SMALL_INT_DIGITS ? NUMBER_SMALL : NUMBER_ANY_SIZE;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** True if {@code v} (a Double, a String or null) is a missing value whatever the column kind. */
  static boolean blank(Object v) {
    if (v == null) {
      return true;
    }
    if (v instanceof Double d) {
      return d.isNaN();
    }
    return blankText(v.toString().trim());
  }

  /** True if trimmed cell text {@code s} is a missing value: empty or {@code NaN} in any case. */
  static boolean blankText(String s) {
    return s.isEmpty() || (s.length() == 3 && s.toLowerCase(Locale.ROOT).equals("nan"));
  }

  /** The text of a categorical cell (trimmed), or null when missing. */
  static String category(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Double d) {
      double x = d;
      if (Double.isNaN(x)) {
        return null;
      }
      return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
    String s = v.toString().trim();
    return blankText(s) ? null : s;
  }

  /**
   * The number in a numeric cell: a finite double, {@code NaN} when missing (blank, NaN or
   * infinite), or null when the cell holds text that is not a number.
   */
  static Double number(Object v) {
    if (v == null) {
      return Double.NaN;
    }
    if (v instanceof Double d) {
      return Double.isFinite(d) ? d : Double.NaN;
    }
    String s = v.toString().trim();
    if (blankText(s)) {
      return Double.NaN;
    }
    return numberOfText(s);
  }

  /**
   * {@link #number} of a text cell already trimmed and known not to be blank (so that a caller
   * that also needs the text trims it once): a finite double, {@code NaN} for an infinite number
   * (a spelling of infinity, or a number beyond the double range), null for text that is not a
   * number.
   */
  static Double numberOfText(String s) {
    int shape = shape(s);
    if (shape == NOT_A_NUMBER) {
      String lower = s.toLowerCase(Locale.ROOT).replace("+", "").replace("-", "");
      return lower.equals("inf") || lower.equals("infinity") ? Double.NaN : null;
    }
    double x = shape == NUMBER_SMALL ? parseSmall(s) : Double.parseDouble(s);
    return Double.isFinite(x) ? x : Double.NaN;
  }

  /** Digits of a significand that {@link #parseSmall} converts itself (10^15 &lt; 2^53). */
  private static final int EXACT_DIGITS = 15;
  /** 10^0 .. 10^15, each exactly a double. */
  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
      1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

  /**
   * {@link Double#parseDouble} of a number of shape {@link #NUMBER_SMALL} (no exponent), the same
   * bits, without its general algorithm for the common case (Clinger's fast path): with at most
   * 15 digits, the digits read as an integer m &lt; 10^15 &lt; 2^53 are exactly a double, and
   * so is 10^f for the f digits after the point; the decimal's value is m / 10^f, and one IEEE
   * division of exact operands rounds it correctly to the nearest double, which is what
   * {@code parseDouble} returns (the sign negates the rounded value exactly, -0 included).
   * More digits go to {@code parseDouble}.
   */
  static double parseSmall(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    char c0 = s.charAt(0);
    if (c0 == '+' || c0 == '-') {
      negative = c0 == '-';
      i++;
    }
    long m = 0;
    int digits = 0;
    int frac = 0;
    boolean point = false;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        point = true;
        continue;
      }
      if (++digits > EXACT_DIGITS) {
        return Double.parseDouble(s);
      }
      m = m * 10 + (c - '0');
      if (point) {
        frac++;
      }
    }
    double x = (double) m / POW10[frac];
    return negative ? -x : x;
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
