package io.sparkmlp.trainer;

/**
 * Turns a failed Spark job back into the user-facing error a task raised: row and value errors
 * thrown by spark-mlp code inside tasks arrive on the driver wrapped in a {@code SparkException}
 * whose message is a long stage-failure report.
 */
public final class SparkErrors {
  private SparkErrors() {}

  private static final String MARKER = "java.lang.IllegalArgumentException: ";

  /**
   * The {@link IllegalArgumentException} a task threw, if {@code e} wraps one; otherwise
   * {@code e} itself (as a RuntimeException).
   */
  public static RuntimeException unwrap(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof IllegalArgumentException iae) {
        return new IllegalArgumentException(iae.getMessage(), e);
      }
    }
    String msg = e.getMessage();
    if (msg != null) {
      int i = msg.indexOf(MARKER);
      if (i >= 0) {
        String rest = msg.substring(i + MARKER.length());
        int nl = rest.indexOf('\n');
        return new IllegalArgumentException(nl >= 0 ? rest.substring(0, nl) : rest, e);
      }
    }
    return e instanceof RuntimeException re ? re : new IllegalStateException(msg, e);
  }
}
