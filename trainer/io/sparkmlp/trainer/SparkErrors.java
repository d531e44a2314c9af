package io.sparkmlp.trainer;

/**
 * Turns a failed Spark job back into the user-facing error a task raised: row and value errors
 * thrown by spark-mlp code inside tasks arrive on the driver wrapped in a {@code SparkException}
 * whose message is a long stage-failure report.
 */
public final class SparkErrors {
  private SparkErrors() {}

  private static final String MARKER = "java.lang.IllegalArgumentException: ";
  private static final String ROW_MARKER = InvalidRowException.class.getName() + ": ";

  /**
   * The {@link IllegalArgumentException} a task threw, if {@code e} wraps one (an
   * {@link InvalidRowException} keeps its type); {@code e} itself if it is one; otherwise
   * {@code e} as a RuntimeException.
   */
  public static RuntimeException unwrap(Throwable e) {
    if (e instanceof IllegalArgumentException iae) {
      return iae;
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof InvalidRowException row) {
        return new InvalidRowException(row.getMessage(), e);
      }
      if (c instanceof IllegalArgumentException iae) {
        return new IllegalArgumentException(iae.getMessage(), e);
      }
    }
    String msg = e.getMessage();
    if (msg != null) {
      int r = msg.indexOf(ROW_MARKER);
      if (r >= 0) {
        return new InvalidRowException(firstLine(msg.substring(r + ROW_MARKER.length())), e);
      }
      int i = msg.indexOf(MARKER);
      if (i >= 0) {
        return new IllegalArgumentException(firstLine(msg.substring(i + MARKER.length())), e);
      }
    }
    return e instanceof RuntimeException re ? re : new IllegalStateException(msg, e);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl >= 0 ? s.substring(0, nl) : s;
  }
}
