package io.sparkmlp.model;

/**
 * Scratch buffers for one network and a maximum batch size, allocated once and reused for every
 * batch (no allocation in the training loop). Not thread-safe: one per task thread.
 */
public final class Workspace {
  final int capacity;
  /** [cap][in_0] gathered input rows. */
  final float[] x;
  /** [cap][labelWidth] gathered labels. */
  final float[] y;
  /** z[l]: [cap][out_l] pre-activations. */
  final float[][] z;
  /** a[l]: [cap][out_l] activations; a[L-1] holds the network outputs (probabilities). */
  final float[][] a;
  /** d[l]: [cap][out_l] dL/dz_l. */
  final float[][] d;
  /** [cap] ones: bias gradients are column sums, computed as a product with this vector. */
  final float[] ones;
  /** [cap] gathered row identities (content hashes), the keys of the dropout masks. */
  final long[] keys;
  /**
   * m[l]: [cap][out_l] dropout mask of hidden layer l (0 or 1 / (1 - p)), null for layers without
   * dropout and for the output layer.
   */
  final float[][] m;
  /** h[l]: [cap][out_l] dropped activations a_l * m_l, the next layer's input; null as for m. */
  final float[][] h;

  /** Allocates buffers for batches of up to {@code capacity} rows. */
  public Workspace(NetworkSpec spec, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("workspace capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    int layers = spec.numLayers();
    x = new float[Math.multiplyExact(capacity, spec.inputWidth())];
    y = new float[Math.multiplyExact(capacity, spec.labelWidth())];
    z = new float[layers][];
    a = new float[layers][];
    d = new float[layers][];
    ones = new float[capacity];
    java.util.Arrays.fill(ones, 1f);
    keys = new long[capacity];
    m = new float[layers][];
    h = new float[layers][];
    for (int l = 0; l < layers; l++) {
      int n = Math.multiplyExact(capacity, spec.fanOut(l));
      z[l] = new float[n];
      a[l] = new float[n];
      d[l] = new float[n];
      if (l < layers - 1 && spec.hidden().get(l).dropout() > 0) {
        m[l] = new float[n];
        h[l] = new float[n];
      }
    }
  }

  /** Maximum batch rows. */
  public int capacity() {
    return capacity;
  }

  /** The input gather buffer, [capacity][inputWidth]. */
  public float[] inputBuffer() {
    return x;
  }

  /**
   * Activations of hidden layer {@code l} from the last forward pass, [capacity][width of layer l]
   * (first rows valid): an autoencoder's codes when {@code l} is its bottleneck.
   */
  public float[] hiddenActivations(int l) {
    if (l < 0 || l >= a.length - 1) {
      throw new IllegalArgumentException("no hidden layer " + l);
    }
    return a[l];
  }

  /** Network outputs of the last forward pass, [capacity][outputWidth] (first rows valid). */
  public float[] outputs() {
    return a[a.length - 1];
  }
}
