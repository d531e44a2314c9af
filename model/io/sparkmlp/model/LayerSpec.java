package io.sparkmlp.model;

import java.util.Objects;

/**
 * A hidden layer: its width (number of units) and activation. Weight-free.
 *
 * @param width      number of units, positive
 * @param activation activation applied after the affine map
 */
public record LayerSpec(int width, Activation activation) implements java.io.Serializable {
  /** Validates the width. */
  public LayerSpec {
    if (width <= 0) {
      throw new IllegalArgumentException("layer width must be positive, got " + width);
    }
    Objects.requireNonNull(activation, "activation");
  }
}
