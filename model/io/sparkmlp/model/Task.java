package io.sparkmlp.model;

import java.util.Locale;

/**
 * What the network predicts. The task fixes the output activation and the loss:
 *
 * <table>
 *   <caption>tasks</caption>
 *   <tr><th>task</th><th>output</th><th>loss</th><th>label per row</th></tr>
 *   <tr><td>REGRESSION</td><td>identity, k targets</td><td>squared error</td><td>k floats</td></tr>
 *   <tr><td>BINARY</td><td>sigmoid, 1 unit</td><td>binary cross-entropy</td><td>0 or 1</td></tr>
 *   <tr><td>MULTICLASS</td><td>softmax, K &gt;= 2 units</td><td>cross-entropy</td><td>class index</td></tr>
 *   <tr><td>MULTILABEL</td><td>sigmoid, L units</td><td>summed binary cross-entropy</td><td>L values 0/1</td></tr>
 *   <tr><td>AUTOENCODER</td><td>identity (or sigmoid), as many units as inputs</td>
 *       <td>squared error (or binary cross-entropy with sigmoid)</td>
 *       <td>none read: the row's own prepared features</td></tr>
 * </table>
 *
 * <p>An autoencoder is the one task with a choice: identity outputs with squared error (the
 * default, for standardized features) or sigmoid outputs with binary cross-entropy (for features in [0, 1]);
 * see {@link #allows}.
 */
public enum Task {
  /** Real-valued targets, mean squared error. */
  REGRESSION(OutputActivation.IDENTITY, Loss.SQUARED_ERROR),
  /** Two classes, one sigmoid unit. */
  BINARY(OutputActivation.SIGMOID, Loss.SIGMOID_CROSS_ENTROPY),
  /** K exclusive classes, softmax. */
  MULTICLASS(OutputActivation.SOFTMAX, Loss.SOFTMAX_CROSS_ENTROPY),
  /** L independent binary labels. */
  MULTILABEL(OutputActivation.SIGMOID, Loss.SIGMOID_CROSS_ENTROPY),
  /** Unsupervised: the network reconstructs its own (prepared) input through a bottleneck. */
  AUTOENCODER(OutputActivation.IDENTITY, Loss.SQUARED_ERROR);

  private final OutputActivation output;
  private final Loss loss;

  Task(OutputActivation output, Loss loss) {
    this.output = output;
    this.loss = loss;
  }

  /** The output activation this task uses. */
  public OutputActivation output() {
    return output;
  }

  /** The loss this task uses. */
  public Loss loss() {
    return loss;
  }

  /**
   * True if this task can use the output activation and loss: its own pair, or for an autoencoder
   * also sigmoid outputs with binary cross-entropy.
   */
  public boolean allows(OutputActivation out, Loss l) {
    if (out == output && l == loss) {
      return true;
    }
    return this == AUTOENCODER && out == OutputActivation.SIGMOID
        && l == Loss.SIGMOID_CROSS_ENTROPY;
  }

  /** Floats stored per row for the label: 1 for binary and multi-class, the output width otherwise. */
  public int labelWidth(int outputWidth) {
    return (this == BINARY || this == MULTICLASS) ? 1 : outputWidth;
  }

  /** True for the classification tasks. */
  public boolean isClassification() {
    return this != REGRESSION && this != AUTOENCODER;
  }

  /**
   * Parses {@code regression}, {@code binary}, {@code multiclass}, {@code multilabel} or
   * {@code autoencoder}.
   */
  public static Task parse(String s) {
    String n = s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    for (Task t : values()) {
      if (t.name().toLowerCase(Locale.ROOT).equals(n)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown task '" + s + "'; known: regression, binary, multiclass, multilabel, "
        + "autoencoder");
  }

  /** Lower-case name accepted by {@link #parse}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The activation of the output layer. */
  public enum OutputActivation {
    /** Raw outputs. */
    IDENTITY,
    /** Independent logistic outputs. */
    SIGMOID,
    /** Normalized exponentials over the outputs. */
    SOFTMAX;

    /** Parses a lower-case name. */
    public static OutputActivation parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown output activation '" + s + "'; known: identity, sigmoid, softmax");
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Loss functions; each is fused with its output activation for numerical stability. */
  public enum Loss {
    /** sum_k (z_k - y_k)^2 per row. */
    SQUARED_ERROR,
    /** sum_k [max(z,0) - z y + log(1 + e^-|z|)] per row, from the logits z. */
    SIGMOID_CROSS_ENTROPY,
    /** logsumexp(z) - z_y per row. */
    SOFTMAX_CROSS_ENTROPY;

    /** Parses {@code mse}/{@code squared_error}, {@code bce}/{@code binary_cross_entropy}, {@code cross_entropy}. */
    public static Loss parse(String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "mse", "squared_error" -> SQUARED_ERROR;
        case "bce", "binary_cross_entropy", "sigmoid_cross_entropy" -> SIGMOID_CROSS_ENTROPY;
        case "cross_entropy", "softmax_cross_entropy", "categorical_cross_entropy" ->
            SOFTMAX_CROSS_ENTROPY;
        default -> throw new IllegalArgumentException("unknown loss '" + s
            + "'; known: mse, binary_cross_entropy, cross_entropy");
      };
    }

    @Override
    public String toString() {
      return switch (this) {
        case SQUARED_ERROR -> "mse";
        case SIGMOID_CROSS_ENTROPY -> "binary_cross_entropy";
        case SOFTMAX_CROSS_ENTROPY -> "cross_entropy";
      };
    }
  }
}
