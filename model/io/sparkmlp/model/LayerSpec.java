package io.sparkmlp.model;

import java.util.Objects;

/**
 * A hidden layer: its width (number of units), activation and dropout rate. Weight-free.
 *
 * <p>Dropout is a training setting: during training steps each unit of the layer's output is
 * dropped (set to 0) with probability {@code dropout} and the kept units are scaled by
 * 1 / (1 - dropout) (inverted dropout), so evaluation and prediction use the layer unchanged
 * ({@link Dropout}).
 *
 * @param width      number of units, positive
 * @param activation activation applied after the affine map
 * @param dropout    probability of dropping each unit during training, in [0, 1); 0 disables it
 */
public record LayerSpec(int width, Activation activation, double dropout)
    implements java.io.Serializable {
  /** Validates the width and the dropout rate. */
  public LayerSpec {
    if (width <= 0) {
      throw new IllegalArgumentException("layer width must be positive, got " + width);
    }
    Objects.requireNonNull(activation, "activation");
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
  }

  /** A layer without dropout. */
  public LayerSpec(int width, Activation activation) {
    this(width, activation, 0.0);
  }

  /**
   * The record form, with the dropout rate only when it is non-zero: layers without dropout print
   * as they always have, so descriptions that include them (checkpoint fingerprints) are unchanged.
   */
  @Override
  public String toString() {
    return "LayerSpec[width=" + width + ", activation=" + activation
        + (dropout == 0 ? "" : ", dropout=" + dropout) + "]";
  }
}
