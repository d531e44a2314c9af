package io.sparkmlp.model;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A configuration value that a record of this library rejects, naming the settings it is about so
 * that a caller can name them in its own terms: the message is a template with one {@code {}} per
 * setting, and {@link #message} fills them in with any naming (a job uses its configuration keys).
 *
 * <p>Settings are named by their path from the record that is validated, e.g. {@code learningRate}
 * or {@code schedule.minLearningRate} for an optimizer configuration; the default message shows a
 * path with spaces for dots ({@code schedule minLearningRate}).
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private static final String HOLE = "{}";

  private final String template;
  private final List<String> settings;

  /**
   * An error about {@code settings}, the first of which is the one to blame.
   *
   * @param template the message with {@code {}} where each setting is named, in order
   */
  public InvalidSettingException(String template, String... settings) {
    super(fill(template, List.of(settings), s -> s.replace('.', ' ')));
    this.template = template;
    this.settings = List.of(settings);
  }

  /** The settings the message names, the one to blame first. */
  public List<String> settings() {
    return settings;
  }

  /** The message with every setting named by {@code naming}. */
  public String message(UnaryOperator<String> naming) {
    return fill(template, settings, naming);
  }

  private static String fill(String template, List<String> settings, UnaryOperator<String> naming) {
    StringBuilder sb = new StringBuilder();
    int from = 0;
    for (String s : settings) {
      int at = template.indexOf(HOLE, from);
      if (at < 0) {
        throw new IllegalStateException("template '" + template + "' names fewer settings than "
            + settings);
      }
      sb.append(template, from, at).append(naming.apply(s));
      from = at + HOLE.length();
    }
    return sb.append(template.substring(from)).toString();
  }
}
