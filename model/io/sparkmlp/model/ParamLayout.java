package io.sparkmlp.model;

import java.util.Objects;

/**
 * Offsets of every layer's parameters inside one contiguous {@code float[]}.
 *
 * <p>Layout, for affine layers l = 0 .. L-1 in order, each with fan-in {@code in_l} and fan-out
 * {@code out_l}:
 * <pre>
 *   [ W_0 : out_0 x in_0, row-major ([out][in]) | b_0 : out_0 | W_1 | b_1 | ... | W_{L-1} | b_{L-1} ]
 * </pre>
 * so {@code W_l[o][i] = params[weightOffset(l) + o * in_l + i]} and
 * {@code b_l[o] = params[biasOffset(l) + o]}. Gradients, optimizer moments, broadcasts and reductions
 * all use this same layout, which makes each of them a single array operation.
 */
public final class ParamLayout {
  private final NetworkSpec spec;
  private final int[] weightOffset;
  private final int[] biasOffset;
  private final int size;

  /** Computes the layout of {@code spec}. */
  public ParamLayout(NetworkSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    int layers = spec.numLayers();
    weightOffset = new int[layers];
    biasOffset = new int[layers];
    long off = 0;
    for (int l = 0; l < layers; l++) {
      weightOffset[l] = (int) off;
      off += (long) spec.fanIn(l) * spec.fanOut(l);
      biasOffset[l] = (int) off;
      off += spec.fanOut(l);
      if (off > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "network has more than 2^31 parameters: " + spec.describe());
      }
    }
    size = (int) off;
  }

  /** The spec this layout was computed from. */
  public NetworkSpec spec() {
    return spec;
  }

  /** Total number of parameters (length of the flat arrays). */
  public int size() {
    return size;
  }

  /** Number of affine layers. */
  public int numLayers() {
    return weightOffset.length;
  }

  /** Offset of W_l, an [out_l][in_l] row-major block. */
  public int weightOffset(int l) {
    return weightOffset[l];
  }

  /** Offset of b_l, an [out_l] block. */
  public int biasOffset(int l) {
    return biasOffset[l];
  }

  /** Fan-in of layer l. */
  public int fanIn(int l) {
    return spec.fanIn(l);
  }

  /** Fan-out of layer l. */
  public int fanOut(int l) {
    return spec.fanOut(l);
  }

  /** True if flat index {@code i} is a bias. */
  public boolean isBias(int i) {
    for (int l = 0; l < biasOffset.length; l++) {
      if (i >= biasOffset[l] && i < biasOffset[l] + spec.fanOut(l)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A mask over the flat layout with 1 for weights and 0 for biases; optimizers multiply weight
   * decay by it so that biases are not decayed.
   */
  public float[] weightMask() {
    float[] m = new float[size];
    for (int l = 0; l < numLayers(); l++) {
      java.util.Arrays.fill(m, weightOffset[l], biasOffset[l], 1f);
    }
    return m;
  }
}
