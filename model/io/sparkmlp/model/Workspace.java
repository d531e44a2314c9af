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
  /** Sparse input only: [cap + 1] row starts of the gathered CSR rows (null for dense input). */
  final int[] rowPtr;
  /** Sparse input only: [nnz capacity] columns of the gathered CSR rows; grows as needed. */
  int[] colIdx;
  /** Sparse input only: [nnz capacity] values of the gathered CSR rows; grows as needed. */
  float[] values;

  /** Allocates buffers for dense batches of up to {@code capacity} rows. */
  public Workspace(NetworkSpec spec, int capacity) {
    this(spec, capacity, false);
  }

  /**
   * Allocates buffers for batches of up to {@code capacity} rows; with {@code sparseInput} the
   * input rows arrive in CSR form and no dense [capacity][inputWidth] buffer is allocated (with a
   * million features that buffer alone would be 4 GB at 1024 rows).
   */
  public Workspace(NetworkSpec spec, int capacity, boolean sparseInput) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("workspace capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    int layers = spec.numLayers();
    x = sparseInput ? new float[0] : new float[Math.multiplyExact(capacity, spec.inputWidth())];
    rowPtr = sparseInput ? new int[capacity + 1] : null;
    colIdx = sparseInput ? new int[Math.multiplyExact(capacity, 16)] : null;
    values = sparseInput ? new float[colIdx.length] : null;
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

  /** True if this workspace takes CSR input rows (and has no dense input buffer). */
  public boolean sparseInput() {
    return rowPtr != null;
  }

  /**
   * Makes the CSR gather buffers hold at least {@code nnz} entries. They grow (to twice the need)
   * only when a batch has more non-zeros than any before, so steady-state steps allocate nothing.
   */
  void ensureNonZeros(int nnz) {
    if (nnz > colIdx.length) {
      int cap = (int) Math.min(Integer.MAX_VALUE - 16, 2L * nnz);
      colIdx = new int[cap];
      values = new float[cap];
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
