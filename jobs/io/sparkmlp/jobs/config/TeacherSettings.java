package io.sparkmlp.jobs.config;

import io.sparkmlp.model.Task;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What to generate.
 *
 * @param rows       number of rows, at least 1
 * @param features   input width, at least 1
 * @param hidden     teacher hidden layer widths (each at least 1; may be empty: a linear teacher)
 * @param outputs    teacher output width: 1 for binary, the class count (at least 2) for
 *                   multiclass, the label count for multilabel, the target count for regression
 * @param task       which label the rows carry
 * @param seed       seeds the teacher and every row
 * @param partitions partitions (and part files); 0 lets the generator choose from the row count
 * @param noise      standard deviation of Gaussian noise added to the teacher outputs; 0 for none
 */
public record TeacherSettings(long rows, int features, List<Integer> hidden, int outputs, Task task,
    long seed, int partitions, double noise) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public TeacherSettings {
    Objects.requireNonNull(task, "task");
    hidden = List.copyOf(Objects.requireNonNull(hidden, "hidden"));
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be >= 1, got " + rows);
    }
    if (features < 1) {
      throw new IllegalArgumentException("features must be >= 1, got " + features);
    }
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException("hidden widths must be >= 1, got " + hidden);
      }
    }
    switch (task) {
      case BINARY -> {
        if (outputs != 1) {
          throw new IllegalArgumentException("binary needs outputs = 1, got " + outputs);
        }
      }
      case MULTICLASS -> {
        if (outputs < 2) {
          throw new IllegalArgumentException("multiclass needs outputs >= 2 (the class count), "
              + "got " + outputs);
        }
      }
      default -> {
        if (outputs < 1) {
          throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        }
      }
    }
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    }
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException("noise must be a finite number >= 0, got " + noise);
    }
  }

  /** The teacher's layer widths, input first. */
  public int[] layers() {
    int[] l = new int[hidden.size() + 2];
    l[0] = features;
    for (int i = 0; i < hidden.size(); i++) {
      l[i + 1] = hidden.get(i);
    }
    l[l.length - 1] = outputs;
    return l;
  }

  /** One line, e.g. {@code 1,000 rows x 50 features, multiclass (5 classes), teacher 50-64-32-5}. */
  public String describe() {
    StringBuilder sb = new StringBuilder(String.format("%,d rows x %d features, %s", rows,
        features, task));
    switch (task) {
      case MULTICLASS -> sb.append(" (").append(outputs).append(" classes)");
      case MULTILABEL -> sb.append(" (").append(outputs).append(" labels)");
      case REGRESSION -> sb.append(" (").append(outputs).append(outputs == 1 ? " target)"
          : " targets)");
      default -> { }
    }
    StringBuilder shape = new StringBuilder();
    for (int w : layers()) {
      shape.append(shape.length() == 0 ? "" : "-").append(w);
    }
    sb.append(", teacher ").append(shape).append(" (tanh), seed ").append(seed);
    if (noise > 0) {
      sb.append(", noise ").append(noise);
    }
    return sb.toString();
  }
}
