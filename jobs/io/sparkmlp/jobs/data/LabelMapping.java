package io.sparkmlp.jobs.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The classes of a classification model, output index to original label. Binary: two names,
 * [negative, positive]; multi-class and multi-label: one name per output unit. This is the
 * {@code classNames} list a saved model stores.
 *
 * @param classNames the original labels, distinct and non-null, in output order
 */
public record LabelMapping(List<String> classNames) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Validates and copies the names. */
  public LabelMapping {
    Objects.requireNonNull(classNames, "classNames");
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("a label mapping needs at least one class");
    }
    for (int i = 0; i < classNames.size(); i++) {
      if (classNames.get(i) == null) {
        throw new IllegalArgumentException("class name " + i + " is null");
      }
    }
    if (new HashSet<>(classNames).size() != classNames.size()) {
      throw new IllegalArgumentException("class names are not distinct: " + classNames);
    }
    classNames = List.copyOf(classNames);
  }

  /** A mapping with the given names in output order. */
  public static LabelMapping of(String... names) {
    return new LabelMapping(List.of(names));
  }

  /** The names sorted by natural string order (the training-time order for string labels). */
  public static LabelMapping sorted(Collection<String> names) {
    List<String> l = new ArrayList<>(new HashSet<>(names));
    l.sort(null);
    return new LabelMapping(l);
  }

  /** The integer classes {@code "0" .. "k-1"}: integer labels are their own output index. */
  public static LabelMapping indices(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("number of classes must be positive, got " + k);
    }
    List<String> l = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      l.add(Integer.toString(i));
    }
    return new LabelMapping(l);
  }

  /** Number of classes. */
  public int size() {
    return classNames.size();
  }

  /**
   * The output index of {@code label}, or -1 if it is not one of the classes. An exact match wins;
   * otherwise a numeric label matches a numeric class name of equal value, so {@code "1.0"} and
   * {@code "1"} find the class {@code "+1"} or {@code "1"}.
   */
  public int indexOf(String label) {
    if (label == null) {
      return -1;
    }
    int i = classNames.indexOf(label);
    if (i >= 0) {
      return i;
    }
    double v = parseNumber(label);
    if (Double.isNaN(v)) {
      return -1;
    }
    for (int k = 0; k < classNames.size(); k++) {
      if (parseNumber(classNames.get(k)) == v) {
        return k;
      }
    }
    return -1;
  }

  /** The original label of output {@code index}. */
  public String name(int index) {
    if (index < 0 || index >= classNames.size()) {
      throw new IndexOutOfBoundsException(
          "class index " + index + " outside 0.." + (classNames.size() - 1));
    }
    return classNames.get(index);
  }

  /**
   * True when every class name is a number (for example {@code 0/1}, {@code -1/+1} or
   * {@code 1..26}): predictions of binary and multi-class models are then doubles, as Spark ML
   * users expect, rather than text.
   */
  public boolean numeric() {
    return classNames.stream().allMatch(n -> !Double.isNaN(parseNumber(n)));
  }

  /**
   * The prediction value of output {@code index}: the class name as a double when the classes are
   * {@link #numeric}, else the class name.
   */
  public Object predictionValue(int index) {
    String n = name(index);
    return numeric() ? (Object) parseNumber(n) : n;
  }

  /**
   * The finite number a label spells (after trimming), or NaN if it is not one. Accepts decimal
   * and scientific notation with an optional sign; rejects hexadecimal, type suffixes, NaN and
   * infinities.
   */
  public static double parseNumber(String s) {
    String t = s.trim();
    if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return Double.NaN;
    }
    double v = Double.parseDouble(t);
    return Double.isFinite(v) ? v : Double.NaN;
  }

  /** {@code [a, b, c]}. */
  @Override
  public String toString() {
    return classNames.toString();
  }
}
