package io.sparkmlp.model;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Free functions over raw row-major arrays: the affine layer and its gradient.
 *
 * <p>Every matrix is row-major. BLAS is column-major, and a row-major [r][c] matrix is the same
 * memory as a column-major c x r matrix (its transpose), which is how each call below is derived.
 * Backward functions add into gradients (beta = 1) so that several batches can accumulate.
 */
public final class Kernels {
  private Kernels() {}

  /**
   * Affine forward: out = inp . W^T + b, i.e. out[r][o] = b[o] + sum_i inp[r][i] W[o][i].
   *
   * @param out [B][OC] output
   * @param inp [B][C] input, starting at inpOff
   * @param w   [OC][C] weights, starting at wOff
   * @param b   [OC] bias, starting at bOff
   */
  public static void affineForward(BLAS blas, float[] out, float[] inp, int inpOff,
      float[] w, int wOff, float[] b, int bOff, int batch, int c, int oc) {
    // broadcast the bias over the batch, then accumulate the product on top (beta = 1)
    for (int r = 0; r < batch; r++) {
      System.arraycopy(b, bOff, out, r * oc, oc);
    }
    // column-major: out^T (OC x B) = W (OC x C, stored as C x OC "W^T") ^T . inp^T (C x B)
    blas.sgemm("T", "N", oc, batch, c, 1f, w, wOff, c, inp, inpOff, c, 1f, out, 0, oc);
  }

  /**
   * Affine backward. Adds dW += dout^T . inp and db += column sums of dout; if {@code dinp} is
   * non-null, overwrites dinp = dout . W.
   *
   * @param dinp [B][C] gradient w.r.t. the input (overwritten), or null for the first layer
   * @param dw   [OC][C] weight gradient (accumulated), starting at dwOff
   * @param db   [OC] bias gradient (accumulated), starting at dbOff
   * @param dout [B][OC] gradient w.r.t. the output
   * @param inp  [B][C] the layer's input from the forward pass, starting at inpOff
   * @param w    [OC][C] weights, starting at wOff
   * @param ones at least B ones (see {@link Workspace}), for the bias gradient
   */
  public static void affineBackward(BLAS blas, float[] dinp, float[] dw, int dwOff, float[] db,
      int dbOff, float[] dout, float[] inp, int inpOff, float[] w, int wOff, float[] ones,
      int batch, int c, int oc) {
    // column-major: dW^T (C x OC) += inp^T (C x B) . dout (B x OC, stored as OC x B "dout^T")^T
    blas.sgemm("N", "T", c, oc, batch, 1f, inp, inpOff, c, dout, 0, oc, 1f, dw, dwOff, c);
    // db[o] += sum_r dout[r][o], i.e. column-major db (OC) += dout^T (OC x B) . ones (B). A gemv
    // rather than a Java loop: C2 does not vectorize the column-sum loop, which took 5-7x longer.
    blas.sgemv("N", oc, batch, 1f, dout, 0, oc, ones, 0, 1, 1f, db, dbOff, 1);
    if (dinp != null) {
      // column-major: dinp^T (C x B) = W^T (C x OC) . dout^T (OC x B)
      blas.sgemm("N", "N", c, batch, oc, 1f, w, wOff, c, dout, 0, oc, 0f, dinp, 0, c);
    }
  }
}
