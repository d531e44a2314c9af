package io.sparkmlp.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A hidden-layer activation function: a kind plus, for {@link Kind#LEAKY_RELU}, its negative slope.
 *
 * <p>Immutable and weight-free, so it is cheap to ship to executors. The element-wise kernels live in
 * {@link ActivationKernels}.
 *
 * @param kind  which function
 * @param slope negative-side slope for {@link Kind#LEAKY_RELU}; ignored (0) for the others
 */
public record Activation(Kind kind, float slope) implements java.io.Serializable {

  /** Default negative slope of a leaky ReLU (as in PyTorch and Keras). */
  public static final float DEFAULT_LEAKY_SLOPE = 0.01f;

  /** The supported functions. */
  public enum Kind {
    /** f(z) = z. */
    IDENTITY,
    /** f(z) = 1 / (1 + e^-z). */
    SIGMOID,
    /** f(z) = tanh(z). */
    TANH,
    /** f(z) = max(0, z). */
    RELU,
    /** f(z) = z for z &gt; 0, slope * z otherwise. */
    LEAKY_RELU,
    /** f(z) = log(1 + e^z). */
    SOFTPLUS,
    /** f(z) = z * tanh(softplus(z)) (Misra 2019). */
    MISH,
    /** Classic perceptron sign: +1 for z &gt;= 0, -1 otherwise. Forward only. */
    SIGN,
    /** Heaviside step: 1 for z &gt;= 0, 0 otherwise. Forward only. */
    STEP
  }

  /** Validates the slope. */
  public Activation {
    Objects.requireNonNull(kind, "activation kind");
    if (kind == Kind.LEAKY_RELU) {
      if (!(slope >= 0f && slope < 1f)) {
        throw new IllegalArgumentException(
            "leaky_relu slope must be in [0, 1), got " + slope);
      }
    } else {
      slope = 0f;
    }
  }

  /** An activation without parameters. */
  public static Activation of(Kind kind) {
    return new Activation(kind, kind == Kind.LEAKY_RELU ? DEFAULT_LEAKY_SLOPE : 0f);
  }

  /** Leaky ReLU with the given negative slope. */
  public static Activation leakyRelu(float slope) {
    return new Activation(Kind.LEAKY_RELU, slope);
  }

  /** True when the derivative is usable for gradient descent (everything except sign and step). */
  public boolean differentiable() {
    return kind != Kind.SIGN && kind != Kind.STEP;
  }

  /**
   * Parses a name such as {@code relu}, {@code tanh}, {@code leaky_relu} or {@code leaky_relu(0.2)}
   * (case-insensitive).
   *
   * @throws IllegalArgumentException naming the unknown activation and listing the known ones
   */
  public static Activation parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    float slope = DEFAULT_LEAKY_SLOPE;
    int paren = s.indexOf('(');
    if (paren >= 0) {
      if (!s.endsWith(")")) {
        throw new IllegalArgumentException("malformed activation '" + text + "'");
      }
      String arg = s.substring(paren + 1, s.length() - 1).trim();
      s = s.substring(0, paren).trim();
      if (!s.equals("leaky_relu")) {
        throw new IllegalArgumentException("activation '" + s + "' takes no argument");
      }
      try {
        slope = Float.parseFloat(arg);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("leaky_relu slope '" + arg + "' is not a number");
      }
    }
    for (Kind k : Kind.values()) {
      if (k.name().toLowerCase(Locale.ROOT).equals(s)) {
        return k == Kind.LEAKY_RELU ? leakyRelu(slope) : of(k);
      }
    }
    throw new IllegalArgumentException("unknown activation '" + text + "'; known: identity, sigmoid, "
        + "tanh, relu, leaky_relu, leaky_relu(<slope>), softplus, mish, sign, step");
  }

  /** The name {@link #parse} accepts. */
  @Override
  public String toString() {
    String n = kind.name().toLowerCase(Locale.ROOT);
    return kind == Kind.LEAKY_RELU ? n + "(" + slope + ")" : n;
  }
}
