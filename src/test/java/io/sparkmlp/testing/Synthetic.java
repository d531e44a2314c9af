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
    double[][] teacher = new double[classes][features];
    for (double[] t : teacher) {
      for (int i = 0; i < features; i++) {
        t[i] = rng.nextGaussian();
      }
    }
    List<Row> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      double[] x = new double[features];
      for (int i = 0; i < features; i++) {
        x[i] = rng.nextGaussian();
      }
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
}
