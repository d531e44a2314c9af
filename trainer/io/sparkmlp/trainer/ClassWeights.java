package io.sparkmlp.trainer;

import io.sparkmlp.model.Task;
import java.util.Arrays;

/**
 * Per-class weights of the training loss (binary and multi-class tasks): each training row's
 * weight is its sample weight times the weight of its class. Either none, {@code balanced}
 * (resolved from the training rows' class counts as scikit-learn does:
 * {@code w_c = n / (k * n_c)} over the k classes present; a class without rows keeps 1), or
 * explicit weights by class index.
 *
 * <p>Class weights shape the objective: they apply to the training loss and gradient and to the
 * validation loss that early stopping and the plateau schedule watch; accuracy and every
 * evaluation metric weigh rows by their sample weights only.
 *
 * @param balanced true for {@code balanced}
 * @param perClass explicit weights by class index (finite, &gt;= 0), or null (none or balanced)
 */
public record ClassWeights(boolean balanced, float[] perClass) implements java.io.Serializable {
  /** No class weights: every class weighs 1. */
  public static final ClassWeights NONE = new ClassWeights(false, null);
  /** Balanced weights, resolved from the training rows. */
  public static final ClassWeights BALANCED = new ClassWeights(true, null);

  /** Validates: not both balanced and explicit; weights finite and &gt;= 0. */
  public ClassWeights {
    if (balanced && perClass != null) {
      throw new IllegalArgumentException("class weights are either balanced or explicit");
    }
    if (perClass != null) {
      perClass = perClass.clone();
      for (int c = 0; c < perClass.length; c++) {
        if (!Float.isFinite(perClass[c]) || perClass[c] < 0) {
          throw new IllegalArgumentException("class weight " + perClass[c] + " of class " + c
              + " is not a finite number >= 0");
        }
      }
    }
  }

  /** Explicit weights by class index (0..k-1). */
  public static ClassWeights of(float... perClass) {
    return new ClassWeights(false, perClass);
  }

  /** True when every class weighs 1 (no class weights). */
  public boolean none() {
    return !balanced && perClass == null;
  }

  /** The explicit weights by class index, or null (a copy). */
  @Override
  public float[] perClass() {
    return perClass == null ? null : perClass.clone();
  }

  /**
   * The balanced weights of classes with the given row counts: {@code n / (k * n_c)} for the k
   * classes with rows, 1 for a class without.
   */
  public static float[] balanced(long[] counts) {
    long n = 0;
    int present = 0;
    for (long c : counts) {
      n += c;
      present += c > 0 ? 1 : 0;
    }
    float[] w = new float[counts.length];
    for (int c = 0; c < counts.length; c++) {
      w[c] = counts[c] == 0 ? 1f : (float) ((double) n / ((double) present * counts[c]));
    }
    return w;
  }

  /**
   * Checks that these weights fit {@code task} with {@code classes} classes.
   *
   * @throws IllegalArgumentException for a task without classes, or explicit weights of another
   *     class count
   */
  public void requireFits(Task task, int classes) {
    if (none()) {
      return;
    }
    if (task != Task.BINARY && task != Task.MULTICLASS) {
      throw new IllegalArgumentException("class weights are for binary and multiclass tasks, not "
          + task + (task == Task.MULTILABEL ? " (weigh rows with a weight column instead)" : ""));
    }
    if (perClass != null && perClass.length != classes) {
      throw new IllegalArgumentException(perClass.length + " class weights for " + classes
          + " classes");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassWeights c && c.balanced == balanced
        && Arrays.equals(c.perClass, perClass);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(balanced) * 31 + Arrays.hashCode(perClass);
  }

  @Override
  public String toString() {
    return balanced ? "balanced" : perClass == null ? "none" : Arrays.toString(perClass);
  }
}
