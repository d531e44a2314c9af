package io.sparkmlp.jobs.data.score;

import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.jobs.report.ReportCurves;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.SparkErrors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The curves of an evaluation for {@link io.sparkmlp.jobs.report.HtmlReport}, computed with the
 * same batched forward pass as {@link Metrics} in one more pass over the rows; what reaches the
 * driver is bounded whatever the row count.
 *
 * <ul>
 *   <li>binary: every partition counts positives and negatives per score bucket ({@value #BUCKETS}
 *       buckets, equally wide in log-odds over [-{@value #MAX_LOGIT}, {@value #MAX_LOGIT}], so
 *       that scores near 0 and 1 stay apart); the driver sweeps the thresholds from high to low
 *       for the ROC and precision-recall curves and the average precision, then thins each curve
 *       to at most {@value #MAX_CURVE_POINTS} points</li>
 *   <li>regression: a seeded Bernoulli sample of at most {@value #MAX_SAMPLE} (actual, predicted)
 *       pairs of the first target</li>
 *   <li>multi-class and multi-label: nothing (the metrics JSON holds what the report draws)</li>
 * </ul>
 */
public final class EvaluationCurves {
  /** Score buckets of the binary curves. */
  static final int BUCKETS = 2000;
  /** Log-odds beyond which scores share the outermost bucket. */
  static final double MAX_LOGIT = 25;
  /** Most points kept per curve. */
  static final int MAX_CURVE_POINTS = 300;
  /** Most (actual, predicted) pairs of a regression sample. */
  static final int MAX_SAMPLE = 2000;

  private static final long SAMPLE_SEED = 0x5A3B1EL;

  private EvaluationCurves() {}

  /**
   * Computes the curves of the model on {@code prepared}.
   *
   * @param prepared  rows with {@value PreparedData#FEATURES} and {@value PreparedData#LABEL}
   * @param spec      the network
   * @param params    its flat parameters
   * @param stdOrNull the model's standardization, or null
   * @param rows      the number of rows (the metrics' {@code count}), which sizes the sample
   * @return the curves; {@link ReportCurves#none()} for multi-class and multi-label
   */
  public static ReportCurves compute(Dataset<Row> prepared, NetworkSpec spec, float[] params,
      Standardization stdOrNull, long rows) {
    return compute(prepared, spec, params, stdOrNull, rows, false);
  }

  /**
   * As {@link #compute(Dataset, NetworkSpec, float[], Standardization, long)}; when
   * {@code weighted}, the binary curves count each row with its {@value PreparedData#WEIGHT} (as
   * the metrics do); the regression sample stays a sample of rows.
   */
  public static ReportCurves compute(Dataset<Row> prepared, NetworkSpec spec, float[] params,
      Standardization stdOrNull, long rows, boolean weighted) {
    if (spec.task() != Task.BINARY && spec.task() != Task.REGRESSION) {
      return ReportCurves.none();
    }
    Dataset<Row> selected = Metrics.select(prepared, weighted);
    BatchScorer scorer = BatchScorer.of(selected, spec, params, stdOrNull);
    try {
      if (spec.task() == Task.BINARY) {
        double[] counts = new double[2 * BUCKETS];
        for (double[] p : selected.javaRDD().mapPartitions(new BucketFn(scorer)).collect()) {
          for (int i = 0; i < counts.length; i++) {
            counts[i] += p[i];
          }
        }
        return binary(counts);
      }
      double fraction = rows <= MAX_SAMPLE ? 1.0 : Math.min(1.0, 1.2 * MAX_SAMPLE / rows);
      List<double[]> pairs = selected.javaRDD().mapPartitions(new PairFn(scorer, fraction))
          .collect();
      int n = Math.min(pairs.size(), MAX_SAMPLE);
      double[] actual = new double[n];
      double[] predicted = new double[n];
      for (int i = 0; i < n; i++) {
        actual[i] = pairs.get(i)[0];
        predicted[i] = pairs.get(i)[1];
      }
      return ReportCurves.regression(actual, predicted, 0, rows);
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
  }

  /** The bucket of a positive-class probability; higher scores get higher buckets. */
  static int bucket(double score) {
    double s = Math.min(Math.max(score, 1e-300), 1.0);
    double logit = s >= 1.0 ? MAX_LOGIT : Math.log(s) - Math.log1p(-s);
    double t = (Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, logit)) + MAX_LOGIT) / (2 * MAX_LOGIT);
    return (int) Math.min(BUCKETS - 1, Math.floor(t * BUCKETS));
  }

  /**
   * The ROC and precision-recall curves of per-bucket counts {@code {pos_0, neg_0, pos_1, ...}}:
   * thresholds swept from the highest bucket down.
   */
  static ReportCurves binary(double[] counts) {
    double pos = 0;
    double neg = 0;
    for (int b = 0; b < BUCKETS; b++) {
      pos += counts[2 * b];
      neg += counts[2 * b + 1];
    }
    if (pos == 0 || neg == 0) {
      return ReportCurves.none();
    }
    List<double[]> roc = new ArrayList<>();
    List<double[]> pr = new ArrayList<>();
    roc.add(new double[] {0, 0});
    double tp = 0;
    double fp = 0;
    double ap = 0;
    double lastRecall = 0;
    for (int b = BUCKETS - 1; b >= 0; b--) {
      if (counts[2 * b] == 0 && counts[2 * b + 1] == 0) {
        continue;
      }
      tp += counts[2 * b];
      fp += counts[2 * b + 1];
      double recall = tp / pos;
      double precision = tp / (tp + fp);
      if (pr.isEmpty()) {
        pr.add(new double[] {0, precision});
      }
      ap += (recall - lastRecall) * precision;
      lastRecall = recall;
      roc.add(new double[] {fp / neg, recall});
      pr.add(new double[] {recall, precision});
    }
    double[][] r = thin(roc);
    double[][] p = thin(pr);
    return ReportCurves.binary(r[0], r[1], p[0], p[1], ap, pos / (pos + neg));
  }

  /**
   * At most {@value #MAX_CURVE_POINTS} points of {@code pts}: a point is kept when the path has
   * moved far enough (Manhattan distance in unit coordinates) since the last kept one; the first
   * and last points are always kept.
   *
   * @return {xs, ys}
   */
  static double[][] thin(List<double[]> pts) {
    double step = 0;
    List<double[]> kept = pts;
    while (kept.size() > MAX_CURVE_POINTS) {
      step = step == 0 ? 1.0 / MAX_CURVE_POINTS : step * 1.5;
      kept = new ArrayList<>();
      double[] last = pts.get(0);
      kept.add(last);
      for (int i = 1; i < pts.size() - 1; i++) {
        double[] q = pts.get(i);
        if (Math.abs(q[0] - last[0]) + Math.abs(q[1] - last[1]) >= step) {
          kept.add(q);
          last = q;
        }
      }
      kept.add(pts.get(pts.size() - 1));
    }
    double[][] out = new double[2][kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      out[0][i] = kept.get(i)[0];
      out[1][i] = kept.get(i)[1];
    }
    return out;
  }

  /** Per partition: {pos, neg} per score bucket. */
  private static final class BucketFn implements FlatMapFunction<Iterator<Row>, double[]> {
    private static final long serialVersionUID = 1L;
    private final BatchScorer scorer;

    BucketFn(BatchScorer scorer) {
      this.scorer = scorer;
    }

    @Override
    public Iterator<double[]> call(Iterator<Row> input) {
      double[] t = new double[2 * BUCKETS];
      BatchScorer.Chunks c = scorer.chunks(input);
      while (c.next()) {
        float[] out = c.outputs();
        for (int i = 0; i < c.size(); i++) {
          int label = Metrics.classIndex(c.row(i), 2);
          t[2 * bucket(out[i]) + (label == 1 ? 0 : 1)] += Metrics.weight(c.row(i));
        }
      }
      return List.of(t).iterator();
    }
  }

  /**
   * Emits (actual, predicted) of the first target for a Bernoulli sample of the rows, seeded by
   * the partition index (the same rows on a retry).
   */
  private static final class PairFn implements FlatMapFunction<Iterator<Row>, double[]> {
    private static final long serialVersionUID = 1L;
    private final BatchScorer scorer;
    private final double fraction;

    PairFn(BatchScorer scorer, double fraction) {
      this.scorer = scorer;
      this.fraction = fraction;
    }

    @Override
    public Iterator<double[]> call(Iterator<Row> input) {
      int k = scorer.spec().outputWidth();
      double[] y = new double[k];
      List<double[]> out = new ArrayList<>();
      TaskContext task = TaskContext.get();
      Random random = new Random(SAMPLE_SEED + 31L * (task == null ? 0 : task.partitionId()));
      BatchScorer.Chunks c = scorer.chunks(input);
      while (c.next()) {
        float[] o = c.outputs();
        for (int i = 0; i < c.size(); i++) {
          if (fraction < 1.0 && random.nextDouble() >= fraction) {
            continue;
          }
          Metrics.labelVector(c.row(i), y);
          out.add(new double[] {y[0], o[i * k]});
        }
      }
      return out.iterator();
    }
  }
}
