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
 * Binary-classification statistics from (score, label, weight) rows, where score is the
 * positive-class probability, label is 0 or 1 and weight the row's sample weight (1 for
 * unweighted rows): weighted confusion counts at {@link Decision#THRESHOLD}, summed weighted log
 * loss, and the exact weighted ROC AUC with ties (each positive-negative pair counts with the
 * product of their weights). With every weight 1 these are the plain counts.
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

  /**
   * Weighted positives, negatives and confusion counts, summed weighted log loss, the AUC (NaN if
   * undefined) and the number of rows.
   */
  record Result(double pos, double neg, double tp, double fp, double tn, double fn,
      double logLossSum, double auc, long rows) {
    /** The summed weight of the rows. */
    double weight() {
      return pos + neg;
    }
  }

  private BinaryScores() {}

  /**
   * Computes the statistics.
   *
   * @param scored rows with a double {@code score}, a double {@code label} (0 or 1) and a double
   *               {@code weight} (&gt;= 0)
   */
  static Result compute(Dataset<Row> scored) {
    Dataset<Row> grouped = scored.groupBy(col("score"))
        .agg(sum(col("label").multiply(col("weight"))).as("pos"), sum(col("weight")).as("n"),
            count(lit(1)).as("rows"))
        .orderBy(col("score"));
    List<double[]> parts = grouped.javaRDD().mapPartitions(BinaryScores::partition).collect();
    double pos = 0;
    double neg = 0;
    double tp = 0;
    double fp = 0;
    double loss = 0;
    double aucSum = 0;
    long rows = 0;
    for (double[] p : parts) {
      aucSum += p[5] + p[0] * neg;
      pos += p[0];
      neg += p[1];
      tp += p[2];
      fp += p[3];
      loss += p[4];
      rows += (long) p[6];
    }
    double auc = pos > 0 && neg > 0 ? aucSum / (pos * neg) : Double.NaN;
    return new Result(pos, neg, tp, fp, neg - fp, pos - tp, loss, auc, rows);
  }

  /**
   * One sorted partition of (score, weighted pos, weight, rows) groups: {pos, neg, tp, fp,
   * logLossSum, localAucSum, rows}.
   */
  private static Iterator<double[]> partition(Iterator<Row> groups) {
    double pos = 0;
    double neg = 0;
    double tp = 0;
    double fp = 0;
    double loss = 0;
    double auc = 0;
    double rows = 0;
    while (groups.hasNext()) {
      Row g = groups.next();
      double s = g.getDouble(0);
      double p = g.getDouble(1);
      double q = g.getDouble(2) - p;
      rows += g.getLong(3);
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
    out.add(new double[] {pos, neg, tp, fp, loss, auc, rows});
    return out.iterator();
  }
}
