package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** End-to-end learning with plain full-batch gradient descent written here: params -= lr grad / n. */
class TrainingTest {

  /** Runs {@code steps} of full-batch gradient descent on the mean loss; returns the final mean loss. */
  private static double gradientDescent(Mlp mlp, float[] params, float[] x, float[] y, int n,
      float lr, int steps) {
    Workspace ws = mlp.newWorkspace(n);
    float[] grad = new float[params.length];
    double loss = Double.NaN;
    for (int s = 0; s < steps; s++) {
      java.util.Arrays.fill(grad, 0f);
      loss = mlp.lossAndGradient(params, x, 0, y, 0, n, grad, ws) / n;
      for (int i = 0; i < params.length; i++) {
        params[i] -= lr * grad[i] / n;
      }
    }
    return loss;
  }

  private static float[] predict(Mlp mlp, float[] params, float[] x, int n) {
    Workspace ws = mlp.newWorkspace(n);
    mlp.forward(params, x, 0, n, ws);
    return java.util.Arrays.copyOf(ws.outputs(), n * mlp.spec().outputWidth());
  }

  @Test
  void xorIsLearnedByA241Network() {
    float[] x = {0, 0, 0, 1, 1, 0, 1, 1};
    float[] y = {0, 1, 1, 0};
    Mlp mlp = new Mlp(NetworkSpec.of(Task.BINARY, Activation.of(Activation.Kind.TANH), 2, 4, 1));
    float[] params = Initializer.XAVIER_UNIFORM.initialize(mlp.layout(), 1);
    double before = mlp.loss(params, x, 0, y, 0, 4, mlp.newWorkspace(4)) / 4;
    double after = gradientDescent(mlp, params, x, y, 4, 0.5f, 3000);
    float[] p = predict(mlp, params, x, 4);
    for (int i = 0; i < 4; i++) {
      int predicted = p[i] > 0.5f ? 1 : 0;
      assertEquals((int) y[i], predicted, "XOR(" + x[2 * i] + ", " + x[2 * i + 1] + "), p = " + p[i]);
    }
    assertTrue(after < 0.1 && after < before / 5, "mean BCE " + before + " -> " + after);
  }

  @Test
  void linearRegressionByGradientDescentMatchesNormalEquations() {
    int n = 200;
    int d = 5;
    SplittableRandom rng = new SplittableRandom(2024);
    double[] trueW = {1.5, -2.0, 0.5, 3.0, -1.0};
    double trueB = 0.7;
    float[] x = new float[n * d];
    float[] y = new float[n];
    for (int r = 0; r < n; r++) {
      double t = trueB;
      for (int j = 0; j < d; j++) {
        x[r * d + j] = (float) (rng.nextGaussian() + 0.3 * j);
        t += trueW[j] * x[r * d + j];
      }
      y[r] = (float) (t + 0.5 * rng.nextGaussian());
    }

    // normal equations in double on [X 1]: (A^T A) beta = A^T y
    int m = d + 1;
    double[][] ata = new double[m][m + 1];
    for (int r = 0; r < n; r++) {
      double[] a = new double[m];
      for (int j = 0; j < d; j++) {
        a[j] = x[r * d + j];
      }
      a[d] = 1;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          ata[i][j] += a[i] * a[j];
        }
        ata[i][m] += a[i] * y[r];
      }
    }
    double[] beta = solve(ata);

    Mlp mlp = new Mlp(NetworkSpec.of(d, List.of(), 1, Task.REGRESSION));
    assertEquals(m, mlp.layout().size());
    float[] params = new float[m];
    gradientDescent(mlp, params, x, y, n, 0.05f, 3000);

    // layout: W [1][5] then b
    double errSq = 0;
    double normSq = 0;
    for (int i = 0; i < m; i++) {
      errSq += (params[i] - beta[i]) * (params[i] - beta[i]);
      normSq += beta[i] * beta[i];
    }
    double rel = Math.sqrt(errSq / normSq);
    assertTrue(rel < 1e-3, "relative error " + rel + " vs normal equations "
        + java.util.Arrays.toString(beta) + ", GD " + java.util.Arrays.toString(params));
    assertEquals(trueW[3], beta[3], 0.1, "sanity: the data follow the generating model");
  }

  /** Gauss-Jordan with partial pivoting on an augmented m x (m+1) matrix. */
  private static double[] solve(double[][] a) {
    int m = a.length;
    for (int c = 0; c < m; c++) {
      int piv = c;
      for (int r = c + 1; r < m; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
          piv = r;
        }
      }
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      for (int r = 0; r < m; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k <= m; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[] x = new double[m];
    for (int i = 0; i < m; i++) {
      x[i] = a[i][m] / a[i][i];
    }
    return x;
  }

  /** A bundled CSV (header line, label last) as floats: features [n][d] and labels [n]. */
  record Table(float[] x, float[] y, int n, int d) {}

  static Table readCsv(String resource) throws IOException {
    InputStream in = TrainingTest.class.getResourceAsStream(resource);
    assertNotNull(in, "test resource " + resource);
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      r.readLine(); // header
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          rows.add(line.split(","));
        }
      }
    }
    int n = rows.size();
    int d = rows.get(0).length - 1;
    float[] x = new float[n * d];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i * d + j] = Float.parseFloat(rows.get(i)[j]);
      }
      y[i] = Float.parseFloat(rows.get(i)[d]);
    }
    return new Table(x, y, n, d);
  }

  /** Standardizes each column in place to mean 0 and standard deviation 1. */
  static void standardize(float[] x, int n, int d) {
    for (int j = 0; j < d; j++) {
      double s = 0;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        s += x[i * d + j];
        ss += (double) x[i * d + j] * x[i * d + j];
      }
      double mean = s / n;
      double std = Math.sqrt(Math.max(ss / n - mean * mean, 1e-12));
      for (int i = 0; i < n; i++) {
        x[i * d + j] = (float) ((x[i * d + j] - mean) / std);
      }
    }
  }

  @Test
  void logisticRegressionOnBreastCancer() throws IOException {
    Table t = readCsv("/data/breast_cancer.csv");
    assertEquals(569, t.n());
    assertEquals(30, t.d());
    standardize(t.x(), t.n(), t.d());
    Mlp mlp = new Mlp(NetworkSpec.of(t.d(), List.of(), 1, Task.BINARY));
    float[] params = new float[mlp.layout().size()];
    double loss = gradientDescent(mlp, params, t.x(), t.y(), t.n(), 0.5f, 500);
    float[] p = predict(mlp, params, t.x(), t.n());
    int correct = 0;
    for (int i = 0; i < t.n(); i++) {
      correct += (p[i] > 0.5f ? 1f : 0f) == t.y()[i] ? 1 : 0;
    }
    double acc = (double) correct / t.n();
    assertTrue(acc >= 0.95, "training accuracy " + acc + ", mean BCE " + loss);
  }
}
