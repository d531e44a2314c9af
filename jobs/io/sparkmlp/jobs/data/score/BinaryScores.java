package io.sparkmlp.jobs.data.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.sparkmlp.model.Decision;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Binary-classification statistics from (score, label) rows, where score is the positive-class
 * probability and label is 0 or 1: confusion counts at {@link Decision#THRESHOLD}, summed log
 * loss, and the exact ROC AUC with ties.
 *
 * <p>AUC is the Mann-Whitney statistic: the probability that a random positive scores above a
 * random negative, ties counting one half. Rows are grouped by distinct score (one shuffle) and
 * the groups sorted by score (range partitioning); each sorted partition returns its counts and
 * its local sum of {@code pos_s * (negatives below s in the partition + neg_s / 2)}; the driver adds
 * the negatives of all earlier partitions. No row-level data reaches the driver.
 */
final class BinaryScores {
  /** Probabilities are clipped to [EPS, 1 - EPS] for the log loss (as scikit-learn). */
  static final double EPS = 1e-15;

  /** Positives, negatives, confusion counts, summed log loss and the AUC (NaN if undefined). */
  record Result(long pos, long neg, long tp, long fp, long tn, long fn, double logLossSum,
      double auc) {
    long count() {
      return pos + neg;
    }
  }

  private BinaryScores() {}

  /**
   * Computes the statistics.
   *
   * @param scored rows with a double {@code score} and a double {@code label} (0 or 1)
   */
  static Result compute(Dataset<Row> scored) {
    Dataset<Row> grouped = scored.groupBy(col("score"))
        .agg(sum(col("label")).as("pos"), count(lit(1)).as("n"))
        .orderBy(col("score"));
    List<double[]> parts = grouped.javaRDD().mapPartitions(BinaryScores::partition).collect();
    double pos = 0;
    double neg = 0;
    double tp = 0;
    double fp = 0;
    double loss = 0;
    double aucSum = 0;
    for (double[] p : parts) {
      aucSum += p[5] + p[0] * neg;
      pos += p[0];
      neg += p[1];
      tp += p[2];
      fp += p[3];
      loss += p[4];
    }
    double auc = pos > 0 && neg > 0 ? aucSum / (pos * neg) : Double.NaN;
    long fn = (long) pos - (long) tp;
    long tn = (long) neg - (long) fp;
    return new Result((long) pos, (long) neg, (long) tp, (long) fp, tn, fn, loss, auc);
  }

  /**
   * One sorted partition of (score, pos, n) groups: {pos, neg, tp, fp, logLossSum, localAucSum}.
   */
  private static Iterator<double[]> partition(Iterator<Row> groups) {
    double pos = 0;
    double neg = 0;
    double tp = 0;
    double fp = 0;
    double loss = 0;
    double auc = 0;
    while (groups.hasNext()) {
      Row g = groups.next();
      double s = g.getDouble(0);
      double p = g.getDouble(1);
      double q = g.getLong(2) - p;
      auc += p * (neg + q / 2);
      pos += p;
      neg += q;
      if (Decision.positive(s)) {
        tp += p;
        fp += q;
      }
      double clipped = Math.min(Math.max(s, EPS), 1 - EPS);
      loss += -(p * Math.log(clipped) + q * Math.log(1 - clipped));
    }
    List<double[]> out = new ArrayList<>(1);
    out.add(new double[] {pos, neg, tp, fp, loss, auc});
    return out.iterator();
  }
}
