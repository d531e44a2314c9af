package io.sparkmlp.model.format;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable named float32 tensor: a name, a shape and its elements in row-major (C) order, as
 * stored in a safetensors file.
 *
 * <p>The public constructor and {@link #data()} copy the element array, so an instance can be shared
 * freely; the codecs of this package use a package-private view to avoid extra copies.
 */
public final class FloatTensor {
  private final String name;
  private final List<Integer> shape;
  private final float[] data;

  /**
   * A tensor holding a copy of {@code data}.
   *
   * @param name  non-empty tensor name, such as {@code layers.0.weight}
   * @param shape dimensions, outermost first; each non-negative (empty for a scalar)
   * @param data  elements in row-major order; its length must be the product of the dimensions
   * @throws IllegalArgumentException if the shape and the element count disagree
   */
  public FloatTensor(String name, List<Integer> shape, float[] data) {
    this(name, shape, data, true);
  }

  private FloatTensor(String name, List<Integer> shape, float[] data, boolean copy) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tensor name must not be empty");
    }
    long count = elementCount(name, shape);
    if (count != data.length) {
      throw new IllegalArgumentException("tensor '" + name + "' has shape " + shape + " ("
          + count + " elements) but " + data.length + " values");
    }
    this.name = name;
    this.shape = List.copyOf(shape);
    this.data = copy ? data.clone() : data;
  }

  /** Wraps {@code data} without copying; the caller hands over ownership of the array. */
  static FloatTensor wrap(String name, List<Integer> shape, float[] data) {
    return new FloatTensor(name, shape, data, false);
  }

  /**
   * Number of elements of {@code shape}, checking that every dimension is non-negative.
   *
   * @throws IllegalArgumentException naming the tensor on a negative dimension or overflow
   */
  static long elementCount(String name, List<Integer> shape) {
    long count = 1;
    for (Integer d : shape) {
      if (d == null || d < 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' has an invalid dimension in shape " + shape);
      }
      count *= d;
      if (count > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tensor '" + name + "' with shape " + shape
            + " has more elements than a Java array can hold");
      }
    }
    return count;
  }

  /** The tensor name. */
  public String name() {
    return name;
  }

  /** The dimensions, outermost first (unmodifiable). */
  public List<Integer> shape() {
    return shape;
  }

  /** Number of elements. */
  public int size() {
    return data.length;
  }

  /** A copy of the elements in row-major order. */
  public float[] data() {
    return data.clone();
  }

  /** The elements without copying; callers in this package must not modify them. */
  float[] view() {
    return data;
  }

  /** Equal when name, shape and every element's bit pattern (as {@link Arrays#equals}) agree. */
  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t
        && name.equals(t.name) && shape.equals(t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, shape, Arrays.hashCode(data));
  }

  /** Name and shape, such as {@code layers.0.weight[64, 30]}. */
  @Override
  public String toString() {
    return name + shape;
  }
}
