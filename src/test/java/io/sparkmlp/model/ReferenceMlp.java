package io.sparkmlp.model;

/**
 * A deliberately naive double-precision MLP written from the definitions (no BLAS, no shared code
 * with the kernel except the spec), used as the oracle in the kernel tests.
 *
 * <p>Layout (documented in {@link ParamLayout}, recomputed here independently): for each affine
 * layer, W [out][in] row-major, then b [out].
 */
final class ReferenceMlp {
  private final NetworkSpec spec;
  private final int[] wOff;
  private final int[] bOff;
  private final int size;

  ReferenceMlp(NetworkSpec spec) {
    this.spec = spec;
    int layers = spec.hidden().size() + 1;
    wOff = new int[layers];
    bOff = new int[layers];
    int off = 0;
    for (int l = 0; l < layers; l++) {
      int in = l == 0 ? spec.inputWidth() : spec.hidden().get(l - 1).width();
      int out = l == layers - 1 ? spec.outputWidth() : spec.hidden().get(l).width();
      wOff[l] = off;
      off += in * out;
      bOff[l] = off;
      off += out;
    }
    size = off;
  }

  int size() {
    return size;
  }

  int weightOffset(int l) {
    return wOff[l];
  }

  int biasOffset(int l) {
    return bOff[l];
  }

  /** Result of a reference forward pass over a batch. */
  record Pass(double[][] logits, double[][] outputs, double minAbsHiddenPreActivation) {}

  /** Forward over n rows of x (row-major [n][in]). */
  Pass forward(double[] p, float[] x, int n) {
    return forward(p, x, n, null);
  }

  /**
   * Forward over n rows of x with fixed dropout masks: the output of hidden layer l of row r is
   * multiplied by masks[l][r * width_l + u] (masks or masks[l] null: no dropout).
   */
  Pass forward(double[] p, float[] x, int n, float[][] masks) {
    int layers = wOff.length;
    double[][] logits = new double[n][];
    double[][] outputs = new double[n][];
    double minAbsZ = Double.POSITIVE_INFINITY;
    for (int r = 0; r < n; r++) {
      double[] a = new double[spec.inputWidth()];
      for (int i = 0; i < a.length; i++) {
        a[i] = x[r * a.length + i];
      }
      for (int l = 0; l < layers; l++) {
        int in = a.length;
        int out = l == layers - 1 ? spec.outputWidth() : spec.hidden().get(l).width();
        double[] z = new double[out];
        for (int o = 0; o < out; o++) {
          double s = p[bOff[l] + o];
          for (int i = 0; i < in; i++) {
            s += p[wOff[l] + o * in + i] * a[i];
          }
          z[o] = s;
        }
        if (l < layers - 1) {
          Activation act = spec.hidden().get(l).activation();
          for (int o = 0; o < out; o++) {
            minAbsZ = Math.min(minAbsZ, Math.abs(z[o]));
            z[o] = activate(act, z[o]);
            if (masks != null && masks[l] != null) {
              z[o] *= masks[l][r * out + o];
            }
          }
          a = z;
        } else {
          logits[r] = z;
          outputs[r] = outputActivation(spec.outputActivation(), z);
        }
      }
    }
    return new Pass(logits, outputs, minAbsZ);
  }

  /** Summed loss over n rows; labels y packed [n][labelWidth] as the kernel expects. */
  double loss(double[] p, float[] x, float[] y, int n) {
    return loss(p, x, y, n, null);
  }

  /** Summed loss over n rows with fixed dropout masks (see {@link #forward(double[], float[], int,
   * float[][])}). */
  double loss(double[] p, float[] x, float[] y, int n, float[][] masks) {
    Pass pass = forward(p, x, n, masks);
    int k = spec.outputWidth();
    int lw = spec.labelWidth();
    double sum = 0;
    for (int r = 0; r < n; r++) {
      double[] z = pass.logits()[r];
      // an autoencoder's loss is regression's squared error or multi-label's cross-entropy
      Task kind = spec.task() != Task.AUTOENCODER ? spec.task()
          : spec.loss() == Task.Loss.SQUARED_ERROR ? Task.REGRESSION : Task.MULTILABEL;
      switch (kind) {
        case REGRESSION -> {
          for (int j = 0; j < k; j++) {
            double d = z[j] - y[r * lw + j];
            sum += d * d;
          }
        }
        case BINARY, MULTILABEL -> {
          for (int j = 0; j < k; j++) {
            double t = y[r * lw + j];
            // -[t log s(z) + (1-t) log(1 - s(z))], with log s(z) = -softplus(-z)
            sum += t * softplus(-z[j]) + (1 - t) * softplus(z[j]);
          }
        }
        case MULTICLASS -> {
          int c = (int) y[r * lw];
          double m = Double.NEGATIVE_INFINITY;
          for (double v : z) {
            m = Math.max(m, v);
          }
          double s = 0;
          for (double v : z) {
            s += Math.exp(v - m);
          }
          sum += Math.log(s) + m - z[c];
        }
        default -> throw new IllegalStateException();
      }
    }
    return sum;
  }

  static double activate(Activation act, double z) {
    return switch (act.kind()) {
      case IDENTITY -> z;
      case SIGMOID -> 1 / (1 + Math.exp(-z));
      case TANH -> Math.tanh(z);
      case RELU -> Math.max(z, 0);
      case LEAKY_RELU -> z > 0 ? z : act.slope() * z;
      case SOFTPLUS -> softplus(z);
      case MISH -> z * Math.tanh(softplus(z));
      case SIGN -> z >= 0 ? 1 : -1;
      case STEP -> z >= 0 ? 1 : 0;
    };
  }

  static double softplus(double z) {
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  }

  static double[] outputActivation(Task.OutputActivation act, double[] z) {
    double[] out = new double[z.length];
    switch (act) {
      case IDENTITY -> System.arraycopy(z, 0, out, 0, z.length);
      case SIGMOID -> {
        for (int j = 0; j < z.length; j++) {
          out[j] = 1 / (1 + Math.exp(-z[j]));
        }
      }
      case SOFTMAX -> {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : z) {
          m = Math.max(m, v);
        }
        double s = 0;
        for (int j = 0; j < z.length; j++) {
          out[j] = Math.exp(z[j] - m);
          s += out[j];
        }
        for (int j = 0; j < z.length; j++) {
          out[j] /= s;
        }
      }
      default -> throw new IllegalStateException();
    }
    return out;
  }

  static double[] toDouble(float[] p) {
    double[] d = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = p[i];
    }
    return d;
  }
}
