package io.sparkmlp.jobs.data.read;

import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.model.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns the distinct raw labels of a classification input into a {@link LabelMapping} and the
 * output index of every raw label. Pure driver-side logic; {@link DataReader} collects the labels.
 *
 * <p>At training time (no mapping given): numeric labels keep their value as the class index
 * (binary: {0, 1} gives {@code ["0", "1"]} and {-1, +1} gives {@code ["-1", "+1"]}; multi-class:
 * the integer values seen, in numeric order, written without a fraction, so labels 1..26 give the
 * 26 classes {@code "1".."26"} and no class that never occurs); any non-numeric label makes every
 * label a class name, sorted by name. At evaluate and predict time every label must map into the
 * model's mapping ({@link LabelMapping#indexOf}).
 */
final class ClassLabels {
  /** Upper bound on the number of classes, to catch a regression target read as classes. */
  static final int MAX_CLASSES = 100_000;

  private ClassLabels() {}

  /**
   * A mapping and where each raw label goes.
   *
   * @param mapping the classes
   * @param index   raw label (as read, trimmed) to output index
   */
  record Result(LabelMapping mapping, Map<String, Integer> index) {}

  /**
   * A label problem; {@code label} is the offending raw label when there is one, so that the
   * caller can name the file holding it.
   */
  static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String label;

    Problem(String label, String message) {
      super(message);
      this.label = label;
    }
  }

  /**
   * Derives or checks the mapping.
   *
   * @param labels distinct raw labels (trimmed, non-null)
   * @param task   BINARY or MULTICLASS (one label column holding one class per row)
   * @param given  the model's mapping, or null to derive one
   * @param column label column name, for messages
   * @throws Problem when a label does not fit
   */
  static Result resolve(Collection<String> labels, Task task, LabelMapping given, String column) {
    if (task != Task.BINARY && task != Task.MULTICLASS) {
      throw new IllegalArgumentException("class labels from one column need task binary or "
          + "multiclass, not " + task);
    }
    TreeSet<String> sorted = new TreeSet<>(labels);
    if (sorted.size() > MAX_CLASSES) {
      throw new Problem(null, "column '" + column + "' has more than " + MAX_CLASSES
          + " distinct labels; is this a regression target?");
    }
    if (given != null) {
      return check(sorted, given, column);
    }
    boolean numeric = sorted.stream().allMatch(s -> !Double.isNaN(LabelMapping.parseNumber(s)));
    LabelMapping mapping;
    if (numeric) {
      mapping = task == Task.BINARY ? binaryNumeric(sorted, column) : integers(sorted, column);
    } else {
      if (task == Task.BINARY && sorted.size() != 2) {
        throw new Problem(null, "binary classification needs exactly two classes, but column '"
            + column + "' has " + sorted.size() + ": " + preview(sorted));
      }
      if (sorted.size() < 2) {
        throw new Problem(null, "multiclass classification needs at least two classes, but column '"
            + column + "' has only " + sorted);
      }
      mapping = new LabelMapping(new ArrayList<>(sorted));
    }
    return check(sorted, mapping, column);
  }

  private static Result check(Collection<String> labels, LabelMapping mapping, String column) {
    Map<String, Integer> index = new LinkedHashMap<>();
    for (String s : labels) {
      int i = mapping.indexOf(s);
      if (i < 0) {
        throw new Problem(s, "label '" + s + "' in column '" + column
            + "' is not one of the model's classes " + preview(mapping.classNames()));
      }
      index.put(s, i);
    }
    return new Result(mapping, index);
  }

  private static LabelMapping binaryNumeric(Collection<String> labels, String column) {
    boolean plusMinus = labels.stream().anyMatch(s -> LabelMapping.parseNumber(s) == -1.0);
    for (String s : labels) {
      double v = LabelMapping.parseNumber(s);
      boolean ok = plusMinus ? (v == -1.0 || v == 1.0) : (v == 0.0 || v == 1.0);
      if (!ok) {
        throw new Problem(s, "binary label '" + s + "' in column '" + column
            + "' is not one of " + (plusMinus ? "-1/+1" : "0/1")
            + " (numeric binary labels are 0/1 or -1/+1)");
      }
    }
    return plusMinus ? LabelMapping.of("-1", "+1") : LabelMapping.of("0", "1");
  }

  private static LabelMapping integers(Collection<String> labels, String column) {
    TreeSet<Long> values = new TreeSet<>();
    for (String s : labels) {
      double v = LabelMapping.parseNumber(s);
      if (v != Math.rint(v)) {
        throw new Problem(s, "class label '" + s + "' in column '" + column
            + "' is not an integer (numeric class labels are integers; is this a regression "
            + "target?)");
      }
      if (Math.abs(v) >= 1e15) {
        throw new Problem(s, "class label '" + s + "' in column '" + column + "' is too large "
            + "for a class; is this a regression target?");
      }
      values.add((long) v);
    }
    if (values.size() < 2) {
      throw new Problem(null, "multiclass classification needs at least two classes, but column '"
          + column + "' has only " + values);
    }
    List<String> names = new ArrayList<>(values.size());
    values.forEach(v -> names.add(Long.toString(v)));
    return new LabelMapping(names);
  }

  /** The first few names, for messages. */
  static String preview(Collection<String> names) {
    List<String> l = new ArrayList<>();
    for (String s : names) {
      if (l.size() == 10) {
        return l + " (and " + (names.size() - 10) + " more)";
      }
      l.add(s);
    }
    return l.toString();
  }
}
