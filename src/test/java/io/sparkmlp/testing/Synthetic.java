package io.sparkmlp.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Small synthetic datasets with a known structure, from a fixed seed. */
public final class Synthetic {
  private Synthetic() {}

  /**
   * Rows (features vector, class label) whose class is the argmax of a random linear teacher,
   * so a network can learn them well.
   */
  public static List<Row> classification(int rows, int features, int classes, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] teacher = new double[classes][];
    for (int c = 0; c < classes; c++) {
      teacher[c] = gaussians(rng, features);
    }
    List<Row> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      double[] x = gaussians(rng, features);
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double s = 0;
        for (int i = 0; i < features; i++) {
          s += teacher[c][i] * x[i];
        }
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      out.add(RowFactory.create(Vectors.dense(x), (double) best));
    }
    return out;
  }

  /**
   * Rows (features vector, label vector) where label j is 1 when a random linear teacher's score
   * j (with a bias, so labels differ in frequency) is positive, else 0: any subset of the labels,
   * learnable by a network.
   */
  public static List<Row> multilabel(int rows, int features, int labels, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] teacher = new double[labels][];
    for (int j = 0; j < labels; j++) {
      teacher[j] = gaussians(rng, features + 1);
    }
    List<Row> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      double[] x = gaussians(rng, features);
      double[] y = new double[labels];
      for (int j = 0; j < labels; j++) {
        double s = teacher[j][features];
        for (int i = 0; i < features; i++) {
          s += teacher[j][i] * x[i];
        }
        y[j] = s > 0 ? 1.0 : 0.0;
      }
      out.add(RowFactory.create(Vectors.dense(x), Vectors.dense(y)));
    }
    return out;
  }

  /** {@code n} standard normal draws. */
  private static double[] gaussians(SplittableRandom rng, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextGaussian();
    }
    return v;
  }
}
