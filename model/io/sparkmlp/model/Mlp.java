package io.sparkmlp.model;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Objects;

/**
 * The local, vectorized MLP kernel: batched forward and backward over a row-major mini-batch with
 * one sgemm per affine layer and pass. A stateless view: parameters, gradients and scratch buffers
 * are passed in, so one {@code Mlp} serves any number of parameter vectors and threads.
 *
 * <p>For a batch X [B][in]: z_l = a_{l-1} W_l^T + b_l, a_l = f_l(z_l), a_{-1} = X; the output layer's
 * activation is fused with the loss ({@link Losses}). Backward, from dL/dz_{L-1} = output delta:
 * dW_l += dz_l^T a_{l-1}; db_l += colsum(dz_l); dz_{l-1} = (dz_l W_l) * f'_{l-1}(z_{l-1}).
 * Batches larger than the workspace are processed in chunks of its capacity, in order; gradients
 * and losses are sums. {@link #forward(float[], float[], int, int, Workspace, Outputs)} and
 * {@link #loss(float[], float[], int, float[], int, int, Workspace, Outputs)} hand every chunk's
 * outputs to a callback: the one scoring loop of validation, evaluation and prediction.
 *
 * <p>Dropout ({@link Dropout}) applies only to the training passes that are given row keys and a
 * step key ({@link #lossAndGradient(float[], float[], int, float[], int, long[], int, long, int,
 * float[], Workspace)} and the gathering form): hidden layer l with rate p then feeds
 * h_l = a_l * m_l to layer l+1 instead of a_l, and backward multiplies dL/dh_l by the same m_l
 * before the activation derivative, which still uses the undropped z_l and a_l. Every other pass
 * (forward, loss, evaluation, prediction) uses the full network.
 * <p>Sparse input: the {@code *Sparse} methods take the rows in CSR form and compute the first
 * layer as a sparse x dense product ({@link SparseKernels}): z_0 = X_csr W_0^T + b_0 forward and
 * dW_0 += dz_0^T X_csr backward, touching only the columns of W_0 that the rows name; the layers
 * after it are the same as for dense input.
 */
public final class Mlp {
  /**
   * Most rows per kernel call: a workspace is sized for at most this many rows and larger batches
   * are processed in chunks.
   */
  public static final int MAX_CHUNK_ROWS = 1024;

  private final NetworkSpec spec;
  private final ParamLayout layout;

  /** A kernel for {@code spec}. */
  public Mlp(NetworkSpec spec) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.layout = new ParamLayout(spec);
  }

  /** The network description. */
  public NetworkSpec spec() {
    return spec;
  }

  /** The flat parameter layout. */
  public ParamLayout layout() {
    return layout;
  }

  /** A workspace for batches of up to {@code capacity} rows. */
  public Workspace newWorkspace(int capacity) {
    return new Workspace(spec, capacity);
  }

  /** A workspace for batches of up to {@code capacity} CSR rows (no dense input buffer). */
  public Workspace newSparseWorkspace(int capacity) {
    return new Workspace(spec, capacity, true);
  }

  /**
   * Forward pass over n &lt;= ws.capacity() rows; the outputs (probabilities for classification, raw
   * values for regression) are left in {@link Workspace#outputs()}.
   *
   * @param params [P] flat parameters
   * @param x      [n][in] rows, starting at xOff
   */
  public void forward(float[] params, float[] x, int xOff, int n, Workspace ws) {
    checkChunk(n, ws);
    hiddenForward(params, x, xOff, null, 0, null, null, n, ws, null, 0, 0L);
    int last = layout.numLayers() - 1;
    Losses.activate(spec.outputActivation(), ws.z[last], ws.a[last], n, spec.outputWidth());
  }

  /** Receives the outputs of one chunk of rows. */
  @FunctionalInterface
  public interface Outputs {
    /**
     * The outputs of rows {@code first .. first + rows - 1} of the batch.
     *
     * @param outputs [rows][outputWidth] row-major (the workspace's buffer, valid until the next
     *                chunk)
     */
    void accept(int first, int rows, float[] outputs);
  }

  /**
   * Forward pass over n rows (any n; chunked by the workspace), handing each chunk's outputs
   * (probabilities for classification, values for regression) to {@code sink}.
   *
   * @param x [n][in] rows starting at xOff
   */
  public void forward(float[] params, float[] x, int xOff, int n, Workspace ws, Outputs sink) {
    int in = spec.inputWidth();
    for (int start = 0; start < n; start += ws.capacity) {
      int m = Math.min(ws.capacity, n - start);
      forward(params, x, xOff + start * in, m, ws);
      sink.accept(start, m, ws.outputs());
    }
  }

  /**
   * Summed loss over n rows (any n; chunked by the workspace), forward only, handing each chunk's
   * outputs to {@code sink}.
   *
   * @param x [n][in] rows starting at xOff
   * @param y [n][labelWidth] labels starting at yOff
   */
  public double loss(float[] params, float[] x, int xOff, float[] y, int yOff, int n,
      Workspace ws, Outputs sink) {
    return run(params, x, xOff, y, yOff, null, 0, null, 0, 0L, n, null, ws, sink);
  }

  /**
   * Summed weighted loss sum_r w_r L_r over n rows (any n; chunked by the workspace), forward
   * only, handing each chunk's outputs to {@code sink}.
   *
   * @param x [n][in] rows starting at xOff
   * @param y [n][labelWidth] labels starting at yOff
   * @param w [n] row weights starting at wOff, or null for all ones
   */
  public double loss(float[] params, float[] x, int xOff, float[] y, int yOff, float[] w,
      int wOff, int n, Workspace ws, Outputs sink) {
    return run(params, x, xOff, y, yOff, w, wOff, null, 0, 0L, n, null, ws, sink);
  }

  /**
   * Summed loss over n rows (any n; chunked by the workspace), forward only.
   *
   * @param x [n][in] rows starting at xOff
   * @param y [n][labelWidth] labels starting at yOff
   */
  public double loss(float[] params, float[] x, int xOff, float[] y, int yOff, int n,
      Workspace ws) {
    return run(params, x, xOff, y, yOff, null, 0, null, 0, 0L, n, null, ws, null);
  }

  /**
   * Forward and backward over n rows (any n; chunked by the workspace): adds the summed gradient
   * into {@code grad} and returns the summed loss.
   *
   * @param params [P] flat parameters
   * @param x      [n][in] rows starting at xOff
   * @param y      [n][labelWidth] labels starting at yOff
   * @param grad   [P] gradient accumulator, same layout as params (added into)
   */
  public double lossAndGradient(float[] params, float[] x, int xOff, float[] y, int yOff, int n,
      float[] grad, Workspace ws) {
    return lossAndGradient(params, x, xOff, y, yOff, null, 0, null, 0, 0L, n, grad, ws);
  }

  /**
   * Forward and backward over n weighted rows (any n; chunked by the workspace): adds the gradient
   * of sum_r w_r L_r into {@code grad} and returns that weighted loss sum.
   *
   * @param params [P] flat parameters
   * @param x      [n][in] rows starting at xOff
   * @param y      [n][labelWidth] labels starting at yOff
   * @param w      [n] non-negative row weights starting at wOff, or null for all ones
   * @param grad   [P] gradient accumulator, same layout as params (added into)
   */
  public double lossAndGradient(float[] params, float[] x, int xOff, float[] y, int yOff,
      float[] w, int wOff, int n, float[] grad, Workspace ws) {
    return lossAndGradient(params, x, xOff, y, yOff, w, wOff, null, 0, 0L, n, grad, ws);
  }

  /**
   * Forward and backward of a training step over n rows (any n; chunked by the workspace), with
   * the dropout of the spec's hidden layers: the masks of row r are those of
   * {@code rowKeys[keyOff + r]} and {@code stepKey} ({@link Dropout#masks}). Adds the summed
   * gradient into {@code grad} and returns the summed loss. With {@code rowKeys} null, or no
   * hidden layer with dropout, this is exactly the full-network
   * {@link #lossAndGradient(float[], float[], int, float[], int, int, float[], Workspace)}.
   *
   * @param params  [P] flat parameters
   * @param x       [n][in] rows starting at xOff
   * @param y       [n][labelWidth] labels starting at yOff
   * @param rowKeys [n] row identities (content hashes) starting at keyOff, or null for no dropout
   * @param stepKey {@link Dropout#stepKey} of the training step
   * @param grad    [P] gradient accumulator, same layout as params (added into)
   */
  public double lossAndGradient(float[] params, float[] x, int xOff, float[] y, int yOff,
      long[] rowKeys, int keyOff, long stepKey, int n, float[] grad, Workspace ws) {
    return lossAndGradient(params, x, xOff, y, yOff, null, 0, rowKeys, keyOff, stepKey, n, grad,
        ws);
  }

  /**
   * Forward and backward of a training step over n weighted rows with dropout: the gradient of
   * sum_r w_r L_r (w null: all ones) with the masks of {@code rowKeys} and {@code stepKey}
   * (rowKeys null: no dropout) added into {@code grad}; returns the weighted loss sum.
   *
   * @param params  [P] flat parameters
   * @param x       [n][in] rows starting at xOff
   * @param y       [n][labelWidth] labels starting at yOff
   * @param w       [n] non-negative row weights starting at wOff, or null for all ones
   * @param rowKeys [n] row identities (content hashes) starting at keyOff, or null for no dropout
   * @param stepKey {@link Dropout#stepKey} of the training step
   * @param grad    [P] gradient accumulator, same layout as params (added into)
   */
  public double lossAndGradient(float[] params, float[] x, int xOff, float[] y, int yOff,
      float[] w, int wOff, long[] rowKeys, int keyOff, long stepKey, int n, float[] grad,
      Workspace ws) {
    Objects.requireNonNull(grad, "grad");
    if (grad.length != layout.size()) {
      throw new IllegalArgumentException(
          "gradient length " + grad.length + " != parameter count " + layout.size());
    }
    spec.requireTrainable();
    return run(params, x, xOff, y, yOff, w, wOff, rowKeys, keyOff, stepKey, n, grad, ws, null);
  }

  /**
   * Gathers the rows {@code rows[from .. from+n)} of a packed block (features [R][in], labels
   * [R][labelWidth]) into the workspace and runs forward and backward on them, adding into grad.
   * n must not exceed the workspace capacity.
   *
   * @return the summed loss of the gathered rows
   */
  public double lossAndGradientGather(float[] params, float[] features, float[] labels,
      int[] rows, int from, int n, float[] grad, Workspace ws) {
    return lossAndGradientGather(params, features, labels, null, rows, from, n, 0L, null, 0,
        grad, ws);
  }

  /**
   * As {@link #lossAndGradientGather(float[], float[], float[], int[], int, int, float[],
   * Workspace)}, with the dropout of a training step (all rows weighing 1).
   *
   * @param rowKeys [R] the block's row identities (content hashes), or null for no dropout
   * @param stepKey {@link Dropout#stepKey} of the training step
   */
  public double lossAndGradientGather(float[] params, float[] features, float[] labels,
      long[] rowKeys, int[] rows, int from, int n, long stepKey, float[] grad, Workspace ws) {
    return lossAndGradientGather(params, features, labels, rowKeys, rows, from, n, stepKey, null,
        0, grad, ws);
  }

  /**
   * As {@link #lossAndGradientGather(float[], float[], float[], int[], int, int, float[],
   * Workspace)}, with the dropout of a training step and row weights: the block's row keys [R] are
   * gathered along with the rows and key their masks (see
   * {@link #lossAndGradient(float[], float[], int, float[], int, long[], int, long, int, float[],
   * Workspace)}), and the i-th gathered row is weighted by {@code w[wOff + i]}.
   *
   * @param rowKeys [R] the block's row identities (content hashes), or null for no dropout
   * @param stepKey {@link Dropout#stepKey} of the training step
   * @param w       [n] weights of the gathered rows, in gather order, or null for all ones
   * @return the summed weighted loss of the gathered rows
   */
  public double lossAndGradientGather(float[] params, float[] features, float[] labels,
      long[] rowKeys, int[] rows, int from, int n, long stepKey, float[] w, int wOff, float[] grad,
      Workspace ws) {
    checkChunk(n, ws);
    int in = spec.inputWidth();
    int lw = spec.labelWidth();
    for (int i = 0; i < n; i++) {
      int r = rows[from + i];
      System.arraycopy(features, r * in, ws.x, i * in, in);
      System.arraycopy(labels, r * lw, ws.y, i * lw, lw);
    }
    if (rowKeys != null) {
      for (int i = 0; i < n; i++) {
        ws.keys[i] = rowKeys[rows[from + i]];
      }
    }
    return lossAndGradient(params, ws.x, 0, ws.y, 0, w, wOff, rowKeys == null ? null : ws.keys, 0,
        stepKey, n, grad, ws);
  }

  // ---------------------------------------------------------------------------------------------
  // Sparse input: the first layer's input in CSR form (see SparseKernels). Rows hold column
  // indices in [0, inputWidth), distinct within a row; the other layers (activations, dropout,
  // loss with row weights, backward) are the same code as for dense input.

  /**
   * Forward pass over n &lt;= ws.capacity() CSR rows; the outputs are left in
   * {@link Workspace#outputs()}.
   *
   * @param rowPtr row starts: row r holds entries [rowPtr[rowOff + r], rowPtr[rowOff + r + 1])
   * @param colIdx [nnz] column of each entry
   * @param values [nnz] value of each entry
   */
  public void forwardSparse(float[] params, int[] rowPtr, int rowOff, int[] colIdx,
      float[] values, int n, Workspace ws) {
    checkChunk(n, ws);
    if (params.length != layout.size()) {
      throw new IllegalArgumentException(
          "parameter length " + params.length + " != parameter count " + layout.size());
    }
    hiddenForward(params, null, 0, rowPtr, rowOff, colIdx, values, n, ws, null, 0, 0L);
    int last = layout.numLayers() - 1;
    Losses.activate(spec.outputActivation(), ws.z[last], ws.a[last], n, spec.outputWidth());
  }

  /**
   * Summed loss over the n CSR rows 0..n-1 of (rowPtr, colIdx, values) (any n; chunked by the
   * workspace), forward only, handing each chunk's outputs to {@code sink} (may be null).
   *
   * @param rowPtr [n + 1] row starts
   * @param y      [n][labelWidth] labels starting at yOff
   */
  public double lossSparse(float[] params, int[] rowPtr, int[] colIdx, float[] values,
      float[] y, int yOff, int n, Workspace ws, Outputs sink) {
    return lossSparse(params, rowPtr, colIdx, values, y, yOff, null, 0, n, ws, sink);
  }

  /**
   * Summed weighted loss sum_r w_r L_r over the n CSR rows 0..n-1 (any n; chunked by the
   * workspace), forward only, handing each chunk's outputs to {@code sink} (may be null).
   *
   * @param rowPtr [n + 1] row starts
   * @param y      [n][labelWidth] labels starting at yOff
   * @param w      [n] row weights starting at wOff, or null for all ones
   */
  public double lossSparse(float[] params, int[] rowPtr, int[] colIdx, float[] values,
      float[] y, int yOff, float[] w, int wOff, int n, Workspace ws, Outputs sink) {
    return run(params, null, 0, rowPtr, colIdx, values, y, yOff, w, wOff, null, 0, 0L, n, null,
        ws, sink);
  }

  /**
   * Forward and backward over the n CSR rows 0..n-1 (any n; chunked by the workspace): adds the
   * summed gradient into {@code grad} and returns the summed loss. The first layer's weight
   * gradient changes only in the columns that some row names.
   *
   * @param rowPtr [n + 1] row starts
   * @param y      [n][labelWidth] labels starting at yOff
   * @param grad   [P] gradient accumulator (added into)
   */
  public double lossAndGradientSparse(float[] params, int[] rowPtr, int[] colIdx,
      float[] values, float[] y, int yOff, int n, float[] grad, Workspace ws) {
    return lossAndGradientSparse(params, rowPtr, colIdx, values, y, yOff, null, 0, null, 0, 0L,
        n, grad, ws);
  }

  /**
   * Forward and backward of a training step over the n weighted CSR rows 0..n-1 with dropout: the
   * gradient of sum_r w_r L_r (w null: all ones) with the masks of {@code rowKeys} and
   * {@code stepKey} (rowKeys null: no dropout) added into {@code grad}; returns the weighted loss
   * sum. Same masks and weighting as the dense
   * {@link #lossAndGradient(float[], float[], int, float[], int, float[], int, long[], int, long,
   * int, float[], Workspace)}.
   *
   * @param rowPtr  [n + 1] row starts
   * @param y       [n][labelWidth] labels starting at yOff
   * @param w       [n] non-negative row weights starting at wOff, or null for all ones
   * @param rowKeys [n] row identities (content hashes) starting at keyOff, or null for no dropout
   * @param stepKey {@link Dropout#stepKey} of the training step
   * @param grad    [P] gradient accumulator (added into)
   */
  public double lossAndGradientSparse(float[] params, int[] rowPtr, int[] colIdx,
      float[] values, float[] y, int yOff, float[] w, int wOff, long[] rowKeys, int keyOff,
      long stepKey, int n, float[] grad, Workspace ws) {
    requireGradient(grad);
    return run(params, null, 0, rowPtr, colIdx, values, y, yOff, w, wOff, rowKeys, keyOff,
        stepKey, n, grad, ws, null);
  }

  /**
   * Gathers the rows {@code rows[from .. from+n)} of a CSR block (row starts [R + 1], columns and
   * values [nnz], labels [R][labelWidth]) into the workspace and runs forward and backward on
   * them, adding into grad. n must not exceed the workspace capacity, which must take sparse
   * input.
   *
   * @return the summed loss of the gathered rows
   */
  public double lossAndGradientGatherSparse(float[] params, int[] rowPtr, int[] colIdx,
      float[] values, float[] labels, int[] rows, int from, int n, float[] grad, Workspace ws) {
    return lossAndGradientGatherSparse(params, rowPtr, colIdx, values, labels, null, rows, from,
        n, 0L, null, 0, grad, ws);
  }

  /**
   * As {@link #lossAndGradientGatherSparse(float[], int[], int[], float[], float[], int[], int,
   * int, float[], Workspace)}, with the dropout of a training step and row weights, exactly as the
   * dense {@link #lossAndGradientGather(float[], float[], float[], long[], int[], int, int, long,
   * float[], int, float[], Workspace)}: the block's row keys are gathered with the rows and key
   * their masks, and the i-th gathered row is weighted by {@code w[wOff + i]}.
   *
   * @param rowKeys [R] the block's row identities (content hashes), or null for no dropout
   * @param stepKey {@link Dropout#stepKey} of the training step
   * @param w       [n] weights of the gathered rows, in gather order, or null for all ones
   * @return the summed weighted loss of the gathered rows
   */
  public double lossAndGradientGatherSparse(float[] params, int[] rowPtr, int[] colIdx,
      float[] values, float[] labels, long[] rowKeys, int[] rows, int from, int n, long stepKey,
      float[] w, int wOff, float[] grad, Workspace ws) {
    checkChunk(n, ws);
    if (!ws.sparseInput()) {
      throw new IllegalArgumentException("the workspace does not take sparse input");
    }
    requireGradient(grad);
    int lw = spec.labelWidth();
    long nnz = 0;
    for (int i = 0; i < n; i++) {
      int r = rows[from + i];
      nnz += rowPtr[r + 1] - rowPtr[r];
    }
    ws.ensureNonZeros(Math.toIntExact(nnz));
    int k = 0;
    ws.rowPtr[0] = 0;
    for (int i = 0; i < n; i++) {
      int r = rows[from + i];
      int len = rowPtr[r + 1] - rowPtr[r];
      System.arraycopy(colIdx, rowPtr[r], ws.colIdx, k, len);
      System.arraycopy(values, rowPtr[r], ws.values, k, len);
      k += len;
      ws.rowPtr[i + 1] = k;
      System.arraycopy(labels, r * lw, ws.y, i * lw, lw);
    }
    if (rowKeys != null) {
      for (int i = 0; i < n; i++) {
        ws.keys[i] = rowKeys[rows[from + i]];
      }
    }
    return run(params, null, 0, ws.rowPtr, ws.colIdx, ws.values, ws.y, 0, w, wOff,
        rowKeys == null ? null : ws.keys, 0, stepKey, n, grad, ws, null);
  }

  private void requireGradient(float[] grad) {
    Objects.requireNonNull(grad, "grad");
    if (grad.length != layout.size()) {
      throw new IllegalArgumentException(
          "gradient length " + grad.length + " != parameter count " + layout.size());
    }
    spec.requireTrainable();
  }

  private double run(float[] params, float[] x, int xOff, float[] y, int yOff, float[] w,
      int wOff, long[] keys, int keyOff, long stepKey, int n, float[] grad, Workspace ws,
      Outputs sink) {
    return run(params, x, xOff, null, null, null, y, yOff, w, wOff, keys, keyOff, stepKey, n,
        grad, ws, sink);
  }

  /**
   * Chunks n rows through forward (and backward if grad is non-null), with row weights w (null:
   * ones) and dropout keys (null: none). The input is dense ({@code x} non-null: [n][in] from
   * xOff) or CSR ({@code x} null: rows 0..n-1 of rowPtr, colIdx, values).
   */
  private double run(float[] params, float[] x, int xOff, int[] rowPtr, int[] colIdx,
      float[] values, float[] y, int yOff, float[] w, int wOff, long[] keys, int keyOff,
      long stepKey, int n, float[] grad, Workspace ws, Outputs sink) {
    if (params.length != layout.size()) {
      throw new IllegalArgumentException(
          "parameter length " + params.length + " != parameter count " + layout.size());
    }
    int in = spec.inputWidth();
    int lw = spec.labelWidth();
    double sum = 0;
    for (int start = 0; start < n; start += ws.capacity) {
      int m = Math.min(ws.capacity, n - start);
      sum += chunk(params, x, x == null ? 0 : xOff + start * in, rowPtr, start, colIdx, values,
          y, yOff + start * lw, w, w == null ? 0 : wOff + start, keys, keyOff + start, stepKey, m,
          grad, ws);
      if (sink != null) {
        sink.accept(start, m, ws.outputs());
      }
    }
    return sum;
  }

  private double chunk(float[] params, float[] x, int xOff, int[] rowPtr, int rowOff,
      int[] colIdx, float[] values, float[] y, int yOff, float[] w, int wOff, long[] keys,
      int keyOff, long stepKey, int n, float[] grad, Workspace ws) {
    hiddenForward(params, x, xOff, rowPtr, rowOff, colIdx, values, n, ws, keys, keyOff, stepKey);
    int last = layout.numLayers() - 1;
    int k = spec.outputWidth();
    double loss = Losses.apply(spec.loss(), ws.z[last], ws.a[last], y, yOff, w, wOff,
        grad == null ? null : ws.d[last], n, k);
    if (grad != null) {
      backward(params, x, xOff, rowPtr, rowOff, colIdx, values, n, grad, ws, keys != null);
    }
    return loss;
  }

  /**
   * z_l and a_l for the hidden layers, and z_{L-1} for the output layer. The first layer reads
   * dense rows x (from xOff) or, when x is null, CSR rows rowOff.. of (rowPtr, colIdx, values).
   * With {@code keys}, each hidden layer with dropout also gets its mask m_l and h_l = a_l * m_l,
   * which feeds layer l+1.
   */
  private void hiddenForward(float[] params, float[] x, int xOff, int[] rowPtr, int rowOff,
      int[] colIdx, float[] values, int n, Workspace ws, long[] keys, int keyOff, long stepKey) {
    BLAS blas = Blas.get();
    int layers = layout.numLayers();
    float[] inp = x;
    int inpOff = xOff;
    for (int l = 0; l < layers; l++) {
      int c = layout.fanIn(l);
      int oc = layout.fanOut(l);
      if (l == 0 && x == null) {
        SparseKernels.affineForward(ws.z[0], rowPtr, rowOff, colIdx, values, params,
            layout.weightOffset(0), params, layout.biasOffset(0), n, c, oc);
      } else {
        Kernels.affineForward(blas, ws.z[l], inp, inpOff, params, layout.weightOffset(l),
            params, layout.biasOffset(l), n, c, oc);
      }
      if (l < layers - 1) {
        LayerSpec h = spec.hidden().get(l);
        ActivationKernels.forward(h.activation(), ws.z[l], ws.a[l], n * oc);
        inp = ws.a[l];
        inpOff = 0;
        if (keys != null && ws.m[l] != null) {
          Dropout.masks(ws.m[l], keys, keyOff, n, oc, h.dropout(), stepKey, l);
          Dropout.apply(ws.a[l], ws.m[l], ws.h[l], n * oc);
          inp = ws.h[l];
        }
      }
    }
  }

  /**
   * Backward from the output delta ws.d[L-1], adding into grad (input as in hiddenForward). With
   * {@code dropped}, the hidden layers with dropout use the forward's masks: layer l's input was
   * h_{l-1} (its weight gradient uses it), and dL/da_{l-1} = (dz_l W_l) * m_{l-1} before the
   * activation derivative.
   */
  private void backward(float[] params, float[] x, int xOff, int[] rowPtr, int rowOff,
      int[] colIdx, float[] values, int n, float[] grad, Workspace ws, boolean dropped) {
    BLAS blas = Blas.get();
    for (int l = layout.numLayers() - 1; l >= 0; l--) {
      int c = layout.fanIn(l);
      int oc = layout.fanOut(l);
      if (l == 0 && x == null) {
        // First layer of CSR input: dW_0 += dz_0^T X_csr, db_0 += colsum(dz_0); no dL/dX needed.
        SparseKernels.affineBackward(blas, grad, layout.weightOffset(0), grad,
            layout.biasOffset(0), ws.d[0], rowPtr, rowOff, colIdx, values, ws.ones, n, c, oc);
        continue;
      }
      boolean drop = dropped && l > 0 && ws.m[l - 1] != null;
      float[] inp = l == 0 ? x : drop ? ws.h[l - 1] : ws.a[l - 1];
      int inpOff = l == 0 ? xOff : 0;
      float[] dinp = l == 0 ? null : ws.d[l - 1];
      Kernels.affineBackward(blas, dinp, grad, layout.weightOffset(l), grad, layout.biasOffset(l),
          ws.d[l], inp, inpOff, params, layout.weightOffset(l), ws.ones, n, c, oc);
      if (l > 0) {
        if (drop) {
          Dropout.backward(ws.d[l - 1], ws.m[l - 1], n * c);
        }
        ActivationKernels.backward(spec.hidden().get(l - 1).activation(), ws.z[l - 1],
            ws.a[l - 1], ws.d[l - 1], n * c);
      }
    }
  }

  private static void checkChunk(int n, Workspace ws) {
    if (n < 0 || n > ws.capacity) {
      throw new IllegalArgumentException(
          "batch of " + n + " rows does not fit a workspace of " + ws.capacity);
    }
  }
}
