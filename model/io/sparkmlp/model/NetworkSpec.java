package io.sparkmlp.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable description of a multilayer perceptron: input width, hidden layers, output layer and
 * loss. Weight-free: this is what is shipped to executors; the weights live in one flat
 * {@code float[]} laid out by {@link ParamLayout}.
 *
 * <p>Validated on construction: positive widths, a loss and output activation compatible with the
 * task (softmax only with multi-class cross-entropy, identity only with squared error, a single
 * sigmoid unit for binary), and at least two classes for multi-class.
 *
 * @param inputWidth       number of input features
 * @param hidden           hidden layers, input side first (may be empty: a linear/logistic model)
 * @param outputWidth      number of output units
 * @param task             what is predicted
 * @param outputActivation activation of the output layer; must be the task's
 * @param loss             loss; must be the task's (an autoencoder may also use sigmoid
 *                         outputs with binary cross-entropy: {@link Task#allows})
 * @param bottleneck       index into {@code hidden} of an autoencoder's code layer, or -1
 *                         (none; the only value for the other tasks)
 */
public record NetworkSpec(
    int inputWidth,
    List<LayerSpec> hidden,
    int outputWidth,
    Task task,
    Task.OutputActivation outputActivation,
    Task.Loss loss,
    int bottleneck) implements java.io.Serializable {

  /** A spec without a bottleneck layer. */
  public NetworkSpec(int inputWidth, List<LayerSpec> hidden, int outputWidth, Task task,
      Task.OutputActivation outputActivation, Task.Loss loss) {
    this(inputWidth, hidden, outputWidth, task, outputActivation, loss, -1);
  }

  /** Validates the spec. */
  public NetworkSpec {
    Objects.requireNonNull(hidden, "hidden");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(outputActivation, "outputActivation");
    Objects.requireNonNull(loss, "loss");
    if (inputWidth <= 0) {
      throw new IllegalArgumentException("input width must be positive, got " + inputWidth);
    }
    if (outputWidth <= 0) {
      throw new IllegalArgumentException("output width must be positive, got " + outputWidth);
    }
    hidden = List.copyOf(hidden);
    if (task == Task.AUTOENCODER && task.allows(outputActivation, loss)) {
      if (outputWidth != inputWidth) {
        throw new IllegalArgumentException("an autoencoder's output width " + outputWidth
            + " must equal its input width " + inputWidth);
      }
    } else if (outputActivation != task.output()) {
      throw new IllegalArgumentException("output activation " + outputActivation
          + " is incompatible with task " + task + " (which needs " + task.output() + ")");
    } else if (loss != task.loss()) {
      throw new IllegalArgumentException(
          "loss " + loss + " is incompatible with task " + task + " (which needs " + task.loss() + ")");
    }
    if (bottleneck != -1 && task != Task.AUTOENCODER) {
      throw new IllegalArgumentException("a bottleneck layer is only for task autoencoder, not "
          + task);
    }
    if (bottleneck < -1 || bottleneck >= hidden.size()) {
      throw new IllegalArgumentException("bottleneck " + bottleneck + " is not the index of a "
          + "hidden layer (0.." + (hidden.size() - 1) + ")");
    }
    if (task == Task.BINARY && outputWidth != 1) {
      throw new IllegalArgumentException(
          "binary classification has one sigmoid output unit, got output width " + outputWidth);
    }
    if (task == Task.MULTICLASS && outputWidth < 2) {
      throw new IllegalArgumentException(
          "multiclass classification needs at least 2 output units, got " + outputWidth);
    }
  }

  /** A spec whose output activation and loss are the task's defaults. */
  public static NetworkSpec of(int inputWidth, List<LayerSpec> hidden, int outputWidth, Task task) {
    return new NetworkSpec(inputWidth, hidden, outputWidth, task, task.output(), task.loss());
  }

  /**
   * Shorthand for tests and examples: all hidden layers share one activation.
   *
   * @param widths input, hidden..., output widths
   */
  public static NetworkSpec of(Task task, Activation hiddenActivation, int... widths) {
    if (widths.length < 2) {
      throw new IllegalArgumentException("need at least input and output widths");
    }
    List<LayerSpec> h = new ArrayList<>();
    for (int i = 1; i < widths.length - 1; i++) {
      h.add(new LayerSpec(widths[i], hiddenActivation));
    }
    return of(widths[0], h, widths[widths.length - 1], task);
  }

  /** Width of the bottleneck layer (an autoencoder's code), or 0 when there is none. */
  public int codeWidth() {
    return bottleneck < 0 ? 0 : hidden.get(bottleneck).width();
  }

  /**
   * This spec with dropout rate {@code p} on every hidden layer (0 removes it).
   *
   * @throws IllegalArgumentException if p is not in [0, 1), or p &gt; 0 and there is no hidden
   *     layer (dropout applies to hidden layers only, never to the output layer)
   */
  public NetworkSpec withDropout(double p) {
    if (p > 0 && hidden.isEmpty()) {
      throw new IllegalArgumentException("dropout " + p + " needs hidden layers: it applies to "
          + "hidden layers only, not to the output layer");
    }
    List<LayerSpec> h = new ArrayList<>();
    for (LayerSpec l : hidden) {
      h.add(new LayerSpec(l.width(), l.activation(), p));
    }
    return new NetworkSpec(inputWidth, h, outputWidth, task, outputActivation, loss,
        bottleneck);
  }

  /** True if some hidden layer has a non-zero dropout rate. */
  public boolean hasDropout() {
    return hidden.stream().anyMatch(l -> l.dropout() > 0);
  }

  /** Number of affine layers (hidden layers plus the output layer). */
  public int numLayers() {
    return hidden.size() + 1;
  }

  /** Width of the input of affine layer {@code l} (0-based). */
  public int fanIn(int l) {
    return l == 0 ? inputWidth : hidden.get(l - 1).width();
  }

  /** Width of the output of affine layer {@code l} (0-based). */
  public int fanOut(int l) {
    return l == hidden.size() ? outputWidth : hidden.get(l).width();
  }

  /** Floats per row of the packed label: see {@link Task#labelWidth}. */
  public int labelWidth() {
    return task.labelWidth(outputWidth);
  }

  /** Throws a clear error if a hidden layer uses a forward-only activation. */
  public void requireTrainable() {
    for (int i = 0; i < hidden.size(); i++) {
      Activation a = hidden.get(i).activation();
      if (!a.differentiable()) {
        throw new IllegalArgumentException("hidden layer " + i + " uses " + a
            + ", whose derivative is zero almost everywhere: it cannot be trained by gradient "
            + "descent (use it only for forward evaluation)");
      }
    }
  }

  /**
   * Compact description such as {@code 30-64(relu)-32(relu, dropout 0.2)-1(sigmoid) binary}
   * (dropout shown only where it is non-zero).
   */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(inputWidth);
    for (int i = 0; i < hidden.size(); i++) {
      LayerSpec h = hidden.get(i);
      sb.append('-').append(h.width()).append('(').append(h.activation());
      if (h.dropout() > 0) {
        sb.append(", dropout ").append(h.dropout());
      }
      sb.append(i == bottleneck ? ", code" : "").append(')');
    }
    return sb.append('-').append(outputWidth).append('(').append(outputActivation).append(") ")
        .append(task).toString();
  }
}
