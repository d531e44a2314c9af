package io.sparkmlp.model;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Free functions for a first layer whose input is a sparse matrix in CSR form (compressed sparse
 * rows): the affine layer as a sparse x dense product and its weight and bias gradient.
 *
 * <p>CSR of a [B][C] matrix X: row r holds the entries {@code k} in
 * {@code [rowPtr[rowOff + r], rowPtr[rowOff + r + 1])}, each the value {@code values[k]} at column
 * {@code colIdx[k]}; every other X[r][j] is 0. Column indices inside a row are distinct (their
 * order does not matter). The cost of each function is O(nnz x OC) instead of O(B x C x OC) for the
 * dense product, and the memory it touches is the nnz entries and the columns of W they name.
 *
 * <p>There is no input gradient: the first layer's input is data, so dX is never needed. As in
 * {@link Kernels}, W is [OC][C] row-major and backward adds into the gradients.
 */
public final class SparseKernels {
  private SparseKernels() {}

  /**
   * Sparse affine forward: out = X . W^T + b with X in CSR, i.e.
   * out[r][o] = b[o] + sum_{k in row r} values[k] * W[o][colIdx[k]].
   *
   * @param out    [B][OC] output (overwritten)
   * @param rowPtr [rowOff + B + 1] row starts into colIdx/values
   * @param rowOff first row of the batch in rowPtr
   * @param colIdx [nnz] column of each entry, in [0, C)
   * @param values [nnz] value of each entry
   * @param w      [OC][C] weights, starting at wOff
   * @param b      [OC] bias, starting at bOff
   */
  public static void affineForward(float[] out, int[] rowPtr, int rowOff, int[] colIdx,
      float[] values, float[] w, int wOff, float[] b, int bOff, int batch, int c, int oc) {
    for (int r = 0; r < batch; r++) {
      int o0 = r * oc;
      // z[r][:] = b, then add each non-zero's column of W scaled by its value: z[r][o] += v W[o][j]
      System.arraycopy(b, bOff, out, o0, oc);
      for (int k = rowPtr[rowOff + r], end = rowPtr[rowOff + r + 1]; k < end; k++) {
        int j = wOff + colIdx[k];
        float v = values[k];
        for (int o = 0; o < oc; o++) {
          out[o0 + o] += v * w[j + o * c];
        }
      }
    }
  }

  /**
   * Sparse affine backward for the first layer: dW += dout^T . X and db += column sums of dout.
   * Only the columns of W named by some entry of X change:
   * dW[o][j] += sum_r dout[r][o] * X[r][j] = sum over entries k of row r with colIdx[k] = j of
   * dout[r][o] * values[k].
   *
   * @param dw     [OC][C] weight gradient (accumulated), starting at dwOff
   * @param db     [OC] bias gradient (accumulated), starting at dbOff
   * @param dout   [B][OC] gradient w.r.t. the output
   * @param rowPtr [rowOff + B + 1] row starts of X into colIdx/values
   * @param rowOff first row of the batch in rowPtr
   * @param colIdx [nnz] column of each entry
   * @param values [nnz] value of each entry
   * @param ones   at least B ones (see {@link Workspace}), for the bias gradient
   */
  public static void affineBackward(BLAS blas, float[] dw, int dwOff, float[] db, int dbOff,
      float[] dout, int[] rowPtr, int rowOff, int[] colIdx, float[] values, float[] ones,
      int batch, int c, int oc) {
    for (int r = 0; r < batch; r++) {
      int o0 = r * oc;
      for (int k = rowPtr[rowOff + r], end = rowPtr[rowOff + r + 1]; k < end; k++) {
        int j = dwOff + colIdx[k];
        float v = values[k];
        for (int o = 0; o < oc; o++) {
          dw[j + o * c] += dout[o0 + o] * v;
        }
      }
    }
    // db[o] += sum_r dout[r][o], the same gemv as the dense layer (Kernels.affineBackward), so the
    // bias gradient does not depend on how the input is stored
    blas.sgemv("N", oc, batch, 1f, dout, 0, oc, ones, 0, 1, 1f, db, dbOff, 1);
  }
}
