package io.sparkmlp.jobs.config;

/**
 * An invalid job configuration: an unknown key, a value of the wrong type or out of range, a
 * missing required key, or an incompatible combination of keys. The message is one line: the
 * origin of the offending value (the config file, or {@code --set} for a command-line override)
 * when known, then the problem, which names the key, for example
 * {@code conf/x.conf: train.optimizer.learning-rate must be > 0, got -0.1}.
 */
public class ConfigError extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String origin;
  private final String key;
  private final String problem;

  /**
   * An error about {@code key}.
   *
   * @param origin  where the offending value comes from (file name or {@code --set}); null if unknown
   * @param key     the key concerned, null if none applies (e.g. a syntax error)
   * @param problem what is wrong, naming the key; flattened to one line
   */
  public ConfigError(String origin, String key, String problem) {
    super(message(origin, problem));
    this.origin = origin;
    this.key = key;
    this.problem = oneLine(problem);
  }

  private static String message(String origin, String problem) {
    String p = oneLine(problem);
    return origin == null || origin.isEmpty() ? p : origin + ": " + p;
  }

  private static String oneLine(String s) {
    return s == null ? "invalid configuration" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  /** Where the offending value comes from (a file name or {@code --set}), or null. */
  public String origin() {
    return origin;
  }

  /** The key concerned, or null. */
  public String key() {
    return key;
  }

  /** The message without the origin prefix. */
  public String problem() {
    return problem;
  }
}
