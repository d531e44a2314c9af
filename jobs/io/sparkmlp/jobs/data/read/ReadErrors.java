package io.sparkmlp.jobs.data.read;

/** The one-line errors every input format shares: unreadable data and a feature-count mismatch. */
final class ReadErrors {
  private ReadErrors() {}

  /** The data's feature count differs from the model's input width. */
  static IllegalArgumentException mismatch(String path, int actual, int expected) {
    return new IllegalArgumentException(path + ": the data has " + actual
        + " features but the model expects " + expected);
  }

  /**
   * Spark (or the file system) could not read the input: a feature index beyond the feature
   * count, else the format's own located error ({@link InputFormat#locateError}), else Spark's
   * first message line.
   *
   * @param path  the input path
   * @param input the format being read
   * @param nf    the feature count read with (for the index message), or 0
   * @param e     what Spark threw
   */
  static IllegalArgumentException failure(String path, InputFormat input, int nf, Throwable e) {
    String msg = String.valueOf(rootCause(e).getMessage());
    if (msg.contains("out of bounds for vector of size")) {
      return new IllegalArgumentException(path + ": a feature index is beyond the " + nf
          + " features (numFeatures or the model's input width)", e);
    }
    String located = input.locateError(path);
    if (located != null) {
      return new IllegalArgumentException(located, e);
    }
    int nl = msg.indexOf('\n');
    return new IllegalArgumentException(path + ": cannot read " + input.format() + " data: "
        + (nl >= 0 ? msg.substring(0, nl).trim() : msg), e);
  }

  /** The innermost cause of {@code e}. */
  static Throwable rootCause(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }
}
