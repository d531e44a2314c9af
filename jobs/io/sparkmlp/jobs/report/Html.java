package io.sparkmlp.jobs.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Text for HTML and SVG documents: escaping of every string that comes from data or configuration,
 * and the compact number formats the report uses.
 */
public final class Html {
  private Html() {}

  /**
   * {@code text} with {@code & < > " '} replaced by character references, safe both as element
   * content and inside a double- or single-quoted attribute value; null becomes the empty string.
   *
   * @param text any text
   * @return the escaped text
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String rep = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (rep != null && sb == null) {
        sb = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (sb != null) {
        if (rep != null) {
          sb.append(rep);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? text : sb.toString();
  }

  /**
   * {@code text} cut to at most {@code max} characters (with an ellipsis when cut), then escaped.
   *
   * @param text any text
   * @param max  the longest result before escaping, at least 2
   * @return the shortened, escaped text
   */
  public static String escapeShort(String text, int max) {
    String t = text == null ? "" : text;
    return escape(t.length() <= max ? t : t.substring(0, max - 1) + "\u2026");
  }

  /**
   * A number for people: integers with thousands separators, other values with four significant
   * digits (scientific notation outside [1e-4, 1e6)); an en dash for NaN and infinities.
   *
   * @param v the value
   * @return the formatted value
   */
  public static String num(double v) {
    if (!Double.isFinite(v)) {
      return "\u2013";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    double a = Math.abs(v);
    if (a < 1e-4 || a >= 1e6) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /**
   * A coordinate for SVG attributes: one decimal, no exponent.
   *
   * @param v the coordinate in pixels
   * @return the formatted coordinate
   */
  public static String coord(double v) {
    long tenths = Math.round(v * 10);
    long abs = Math.abs(tenths);
    String s = (abs / 10) + (abs % 10 == 0 ? "" : "." + (abs % 10));
    return tenths < 0 ? "-" + s : s;
  }
}
