package io.sparkmlp.jobs.data.score;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.jobs.data.prep.Standardization;
import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.model.Decision;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.trainer.SparkErrors;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Evaluates a model on prepared, labelled rows in one distributed pass (plus a sort for the binary
 * ROC AUC), with the same batched forward pass as {@link Predictor} and the same decision rules
 * (binary and multi-label: p &gt; 0.5; multi-class: the largest probability). Results are a JSON
 * object; a value that is undefined (for example the AUC of a one-class sample) is {@code null}.
 *
 * <ul>
 *   <li>binary: {@code accuracy}, {@code precision}, {@code recall}, {@code f1} of the positive
 *       class, {@code roc_auc}, {@code log_loss}, {@code per_class}, {@code macro_*},
 *       {@code confusion_matrix}</li>
 *   <li>multiclass: {@code accuracy}, {@code per_class} precision/recall/f1/support,
 *       {@code macro_*}, {@code log_loss}, {@code confusion_matrix} (K x K, rows = true class)</li>
 *   <li>multilabel: {@code per_label} precision/recall/f1/accuracy/support, {@code macro_*},
 *       {@code hamming_loss}, {@code subset_accuracy}</li>
 *   <li>regression: {@code rmse}, {@code mae}, {@code r2} over all targets and
 *       {@code per_target}</li>
 *   <li>autoencoder (no labels needed): {@code reconstruction_mse}, the mean over rows of
 *       {@link Predictor}'s {@code reconstruction_error} (squared difference per feature, in the
 *       network's input space: standardized features when the model standardizes), and
 *       {@code reconstruction_error_max}</li>
 * </ul>
 *
 * <p>Conventions (scikit-learn's): a precision or recall with a zero denominator is 0; classes
 * absent from both the labels and the predictions are left out of the macro averages of binary
 * and multi-class; the log loss clips probabilities to [1e-15, 1 - 1e-15]; R^2 of a constant
 * target is 1 for a perfect fit and 0 otherwise, and the overall R^2 is the mean over targets.
 * Every object also has {@code task} and {@code count} (rows evaluated).
 *
 * <p>Weighted rows (an input with a weight column): every statistic weighs each row by its sample
 * weight, as scikit-learn's {@code sample_weight}: accuracy, precision, recall, F1, support and
 * the confusion matrix are sums of weights, the log loss, RMSE, MAE and R^2 weighted means, the
 * ROC AUC counts each positive-negative pair with the product of their weights. The object then
 * also has {@code weight_sum}. With every weight 1 the figures are those of unweighted rows.
 */
public final class Metrics {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Metrics() {}

  /**
   * Evaluates the model on {@code prepared}.
   *
   * @param prepared  rows with {@value PreparedData#FEATURES} and {@value PreparedData#LABEL}
   *                  columns, labels encoded as {@link DataReader} does
   * @param spec      the network
   * @param params    its flat parameters
   * @param stdOrNull the model's standardization, or null
   * @param mapping   the model's classes (null for regression; for classification null names
   *                  classes by index)
   * @return the metrics
   * @throws IllegalArgumentException if the rows have no labels, no rows, labels that do not fit
   *     the network, or a metric cannot be computed (NaN or infinite outputs or labels)
   */
  public static ObjectNode evaluate(Dataset<Row> prepared, NetworkSpec spec, float[] params,
      Standardization stdOrNull, LabelMapping mapping) {
    return evaluate(prepared, spec, params, stdOrNull, mapping, false);
  }

  /**
   * Evaluates the model on {@code prepared}, weighing each row by its {@value PreparedData#WEIGHT}
   * when {@code weighted}.
   *
   * @param weighted true when the rows have a {@value PreparedData#WEIGHT} column to weigh by
   * @see #evaluate(Dataset, NetworkSpec, float[], Standardization, LabelMapping)
   */
  public static ObjectNode evaluate(Dataset<Row> prepared, NetworkSpec spec, float[] params,
      Standardization stdOrNull, LabelMapping mapping, boolean weighted) {
    if (spec.task() == Task.AUTOENCODER) {
      // reconstruction needs no label; the figures are per row, unweighted
      Dataset<Row> rows = prepared.select(PreparedData.FEATURES);
      try {
        return autoencoder(rows, BatchScorer.of(rows, spec, params, stdOrNull));
      } catch (Exception e) {
        throw SparkErrors.unwrap(e);
      }
    }
    if (!Arrays.asList(prepared.schema().fieldNames()).contains(PreparedData.LABEL)) {
      throw new IllegalArgumentException("evaluation needs labels, but the rows have no '"
          + PreparedData.LABEL + "' column");
    }
    LabelMapping classes = Predictor.classes(spec, mapping);
    Dataset<Row> rows = select(prepared, weighted);
    BatchScorer scorer = BatchScorer.of(rows, spec, params, stdOrNull);
    try {
      ObjectNode o = switch (spec.task()) {
        case BINARY -> binary(rows, scorer, classes, weighted);
        case MULTICLASS -> multiclass(sum(rows, scorer), classes, weighted);
        case MULTILABEL -> multilabel(sum(rows, scorer), classes);
        case REGRESSION -> regression(rows, scorer);
        case AUTOENCODER -> throw new IllegalStateException("handled above");
      };
      if (!weighted) {
        o.remove("weight_sum");
      }
      return o;
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
  }

  /**
   * The columns the metrics read: features, label and, when weighted, the weight (column 2).
   *
   * @throws IllegalArgumentException if weighted rows have no weight column
   */
  static Dataset<Row> select(Dataset<Row> prepared, boolean weighted) {
    if (!weighted) {
      return prepared.select(PreparedData.FEATURES, PreparedData.LABEL);
    }
    if (!Arrays.asList(prepared.schema().fieldNames()).contains(PreparedData.WEIGHT)) {
      throw new IllegalArgumentException("weighted evaluation needs the '" + PreparedData.WEIGHT
          + "' column");
    }
    return prepared.select(PreparedData.FEATURES, PreparedData.LABEL, PreparedData.WEIGHT);
  }

  /** A row's sample weight: column 2 when the rows are weighted, else 1. */
  static double weight(Row row) {
    return row.size() > 2 ? row.getDouble(2) : 1.0;
  }

  // ---------------------------------------------------------------------------------------------
  // binary

  private static ObjectNode binary(Dataset<Row> rows, BatchScorer scorer, LabelMapping classes,
      boolean weighted) {
    StructType schema = new StructType()
        .add("score", DataTypes.DoubleType, false)
        .add("label", DataTypes.DoubleType, false)
        .add("weight", DataTypes.DoubleType, false);
    Dataset<Row> scored = rows.mapPartitions(new BinaryFn(scorer), Encoders.row(schema));
    BinaryScores.Result s = BinaryScores.compute(scored);
    long rowCount = s.rows();
    requireRows(rowCount);
    double n = s.weight();
    requireWeight(n);
    double[][] cm = {{s.tn(), s.fp()}, {s.fn(), s.tp()}};
    ObjectNode o = header(Task.BINARY, rowCount);
    o.put("weight_sum", n);
    o.put("positive_class", classes.name(1));
    put(o, "accuracy", (s.tp() + s.tn()) / n);
    double p = ratio(s.tp(), s.tp() + s.fp());
    double r = ratio(s.tp(), s.tp() + s.fn());
    put(o, "precision", p);
    put(o, "recall", r);
    put(o, "f1", f1(p, r));
    if (Double.isNaN(s.auc()) && (s.pos() == 0 || s.neg() == 0)) {
      o.put("roc_auc_undefined", "the labels hold only one class (" + (s.pos() == 0
          ? classes.name(0) : classes.name(1)) + ")");
    } else {
      put(o, "roc_auc", s.auc());
    }
    put(o, "log_loss", s.logLossSum() / n);
    perClass(o, cm, classes, weighted);
    return o;
  }

  /** Emits (positive probability, label) per row. */
  private static final class BinaryFn implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final BatchScorer scorer;

    BinaryFn(BatchScorer scorer) {
      this.scorer = scorer;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      BatchScorer.Chunks c = scorer.chunks(input);
      return new Iterator<>() {
        private int pos;

        @Override
        public boolean hasNext() {
          if (pos < c.size()) {
            return true;
          }
          pos = 0;
          return c.next();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          Row in = c.row(pos);
          double score = c.outputs()[pos];
          pos++;
          return RowFactory.create(score, (double) classIndex(in, 2), weight(in));
        }
      };
    }
  }

  // ---------------------------------------------------------------------------------------------
  // multiclass and multilabel: summed per-partition statistics

  private static ObjectNode multiclass(double[] t, LabelMapping classes, boolean weighted) {
    int k = classes.size();
    long rows = (long) t[0];
    requireRows(rows);
    double n = t[t.length - 1];
    requireWeight(n);
    double[][] cm = new double[k][k];
    double correct = 0;
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        cm[a][b] = t[2 + a * k + b];
      }
      correct += cm[a][a];
    }
    ObjectNode o = header(Task.MULTICLASS, rows);
    o.put("weight_sum", n);
    put(o, "accuracy", correct / n);
    put(o, "log_loss", t[1] / n);
    perClass(o, cm, classes, weighted);
    return o;
  }

  private static ObjectNode multilabel(double[] t, LabelMapping labels) {
    int k = labels.size();
    long rows = (long) t[0];
    requireRows(rows);
    double n = t[t.length - 1];
    requireWeight(n);
    ObjectNode o = header(Task.MULTILABEL, rows);
    o.put("weight_sum", n);
    ArrayNode names = o.putArray("labels");
    labels.classNames().forEach(names::add);
    ObjectNode per = o.putObject("per_label");
    double sp = 0;
    double sr = 0;
    double sf = 0;
    double sa = 0;
    double wrong = 0;
    for (int j = 0; j < k; j++) {
      double tp = t[2 + 4 * j];
      double fp = t[3 + 4 * j];
      double fn = t[4 + 4 * j];
      double tn = t[5 + 4 * j];
      double p = ratio(tp, tp + fp);
      double r = ratio(tp, tp + fn);
      double f = f1(p, r);
      double a = (tp + tn) / n;
      ObjectNode c = per.putObject(labels.name(j));
      put(c, "precision", p);
      put(c, "recall", r);
      put(c, "f1", f);
      put(c, "accuracy", a);
      support(c, tp + fn);
      sp += p;
      sr += r;
      sf += f;
      sa += a;
      wrong += fp + fn;
    }
    put(o, "macro_precision", sp / k);
    put(o, "macro_recall", sr / k);
    put(o, "macro_f1", sf / k);
    put(o, "macro_accuracy", sa / k);
    put(o, "hamming_loss", wrong / (n * k));
    put(o, "subset_accuracy", t[1] / n);
    return o;
  }

  /** Runs {@link SumFn} and adds the partitions' statistics. */
  private static double[] sum(Dataset<Row> rows, BatchScorer scorer) {
    List<double[]> parts = rows.javaRDD().mapPartitions(new SumFn(scorer)).collect();
    double[] total = null;
    for (double[] p : parts) {
      if (total == null) {
        total = p.clone();
      } else {
        for (int i = 0; i < p.length; i++) {
          total[i] += p[i];
        }
      }
    }
    if (total == null) {
      throw new IllegalArgumentException("no rows to evaluate");
    }
    return total;
  }

  /**
   * Per-partition sums, each row counted with its sample weight w (1 when unweighted). Multi-class:
   * {n, weighted log-loss sum, weighted confusion[K][K], weight sum}. Multi-label: {n, weight of
   * the rows with every label right, then per label weighted tp, fp, fn, tn, then the weight sum}.
   */
  private static final class SumFn implements FlatMapFunction<Iterator<Row>, double[]> {
    private static final long serialVersionUID = 1L;
    private final BatchScorer scorer;

    SumFn(BatchScorer scorer) {
      this.scorer = scorer;
    }

    @Override
    public Iterator<double[]> call(Iterator<Row> input) {
      NetworkSpec spec = scorer.spec();
      int k = spec.outputWidth();
      boolean multiclass = spec.task() == Task.MULTICLASS;
      double[] t = new double[(multiclass ? 2 + k * k : 2 + 4 * k) + 1];
      int ws = t.length - 1;
      BatchScorer.Chunks c = scorer.chunks(input);
      double[] y = new double[k];
      while (c.next()) {
        float[] out = c.outputs();
        for (int i = 0; i < c.size(); i++) {
          int off = i * k;
          double w = weight(c.row(i));
          t[0]++;
          t[ws] += w;
          if (multiclass) {
            int truth = classIndex(c.row(i), k);
            int pred = Decision.predictedClass(out, off, k);
            t[1] -= w * Math.log(Math.max(out[off + truth], BinaryScores.EPS));
            t[2 + truth * k + pred] += w;
          } else {
            labelVector(c.row(i), y);
            boolean all = true;
            for (int j = 0; j < k; j++) {
              boolean truth = y[j] == 1.0;
              boolean pred = Decision.positive(out[off + j]);
              all &= truth == pred;
              t[2 + 4 * j + (truth ? (pred ? 0 : 2) : (pred ? 1 : 3))] += w;
            }
            if (all) {
              t[1] += w;
            }
          }
        }
      }
      return List.of(t).iterator();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // autoencoder

  private static ObjectNode autoencoder(Dataset<Row> rows, BatchScorer scorer) {
    double[] t = {0, 0, 0};
    for (double[] p : rows.javaRDD().mapPartitions(new ReconstructionFn(scorer)).collect()) {
      t[0] += p[0];
      t[1] += p[1];
      t[2] = Math.max(t[2], p[2]);
    }
    long n = (long) t[0];
    requireRows(n);
    ObjectNode o = header(Task.AUTOENCODER, n);
    put(o, "reconstruction_mse", t[1] / n);
    put(o, "reconstruction_error_max", t[2]);
    return o;
  }

  /** Per partition {rows, sum of the rows' reconstruction errors, largest error}. */
  private static final class ReconstructionFn
      implements FlatMapFunction<Iterator<Row>, double[]> {
    private static final long serialVersionUID = 1L;
    private final BatchScorer scorer;

    ReconstructionFn(BatchScorer scorer) {
      this.scorer = scorer;
    }

    @Override
    public Iterator<double[]> call(Iterator<Row> input) {
      double[] t = {0, 0, 0};
      BatchScorer.Chunks c = scorer.chunks(input);
      while (c.next()) {
        for (int i = 0; i < c.size(); i++) {
          double e = c.reconstructionError(i);
          if (!Double.isFinite(e)) {
            throw new IllegalArgumentException("a row's reconstruction error is " + e
                + " (NaN or infinite features or outputs)");
          }
          t[0]++;
          t[1] += e;
          t[2] = Math.max(t[2], e);
        }
      }
      return List.of(t).iterator();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // regression

  private static ObjectNode regression(Dataset<Row> rows, BatchScorer scorer) {
    int k = scorer.spec().outputWidth();
    List<double[]> parts = rows.javaRDD().mapPartitions(new RegressionFn(scorer)).collect();
    double[] t = null;
    for (double[] p : parts) {
      t = t == null ? p.clone() : mergeRegression(t, p, k);
    }
    if (t == null) {
      throw new IllegalArgumentException("no rows to evaluate");
    }
    long rowCount = (long) t[t.length - 1];
    requireRows(rowCount);
    double n = t[0];
    requireWeight(n);
    ObjectNode o = header(Task.REGRESSION, rowCount);
    o.put("weight_sum", n);
    ArrayNode per = o.putArray("per_target");
    double sse = 0;
    double sae = 0;
    double r2sum = 0;
    for (int j = 0; j < k; j++) {
      double m2 = t[2 + 4 * j];
      double e2 = t[3 + 4 * j];
      double e1 = t[4 + 4 * j];
      double r2 = m2 > 0 ? 1 - e2 / m2 : (e2 == 0 ? 1.0 : 0.0);
      ObjectNode c = per.addObject();
      put(c, "rmse", Math.sqrt(e2 / n));
      put(c, "mae", e1 / n);
      put(c, "r2", r2);
      sse += e2;
      sae += e1;
      r2sum += r2;
    }
    put(o, "rmse", Math.sqrt(sse / (n * k)));
    put(o, "mae", sae / (n * k));
    put(o, "r2", r2sum / k);
    return o;
  }

  /**
   * Chan's merge of {weight sum, per target: weighted mean, m2, sse, sae, then rows} records.
   */
  private static double[] mergeRegression(double[] a, double[] b, int k) {
    double na = a[0];
    double nb = b[0];
    if (nb == 0 || na == 0) {
      double[] out = (nb == 0 ? a : b).clone();
      out[out.length - 1] = a[a.length - 1] + b[b.length - 1];
      return out;
    }
    double n = na + nb;
    double[] out = new double[a.length];
    out[0] = n;
    out[a.length - 1] = a[a.length - 1] + b[b.length - 1];
    for (int j = 0; j < k; j++) {
      int o = 1 + 4 * j;
      double delta = b[o] - a[o];
      out[o] = a[o] + delta * nb / n;
      out[o + 1] = a[o + 1] + b[o + 1] + delta * delta * na * nb / n;
      out[o + 2] = a[o + 2] + b[o + 2];
      out[o + 3] = a[o + 3] + b[o + 3];
    }
    return out;
  }

  /**
   * Per partition, each row with its sample weight w (West's weighted update; with w = 1 it is
   * Welford's): {weight sum, per target: weighted running mean of y, weighted m2 of y, weighted
   * squared-error sum, weighted |error| sum, then the row count}.
   */
  private static final class RegressionFn implements FlatMapFunction<Iterator<Row>, double[]> {
    private static final long serialVersionUID = 1L;
    private final BatchScorer scorer;

    RegressionFn(BatchScorer scorer) {
      this.scorer = scorer;
    }

    @Override
    public Iterator<double[]> call(Iterator<Row> input) {
      int k = scorer.spec().outputWidth();
      double[] t = new double[1 + 4 * k + 1];
      double[] y = new double[k];
      BatchScorer.Chunks c = scorer.chunks(input);
      while (c.next()) {
        float[] out = c.outputs();
        for (int i = 0; i < c.size(); i++) {
          labelVector(c.row(i), y);
          double w = weight(c.row(i));
          t[t.length - 1]++;
          if (w == 0) {
            continue;
          }
          double n = t[0] += w;
          for (int j = 0; j < k; j++) {
            int o = 1 + 4 * j;
            // mean += w (y - mean) / W; m2 += w (y - mean_old)(y - mean_new)
            double delta = y[j] - t[o];
            t[o] += delta * w / n;
            t[o + 1] += w * (delta * (y[j] - t[o]));
            double e = y[j] - out[i * k + j];
            t[o + 2] += w * (e * e);
            t[o + 3] += w * Math.abs(e);
          }
        }
      }
      return List.of(t).iterator();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // shared

  /** The class index of a row's label (column 1), checked against {@code k} classes. */
  static int classIndex(Row row, int k) {
    Object v = row.get(1);
    if (!(v instanceof Number num)) {
      throw new IllegalArgumentException("class label " + v + " is not a number");
    }
    double d = num.doubleValue();
    if (d != Math.rint(d) || d < 0 || d >= k) {
      throw new IllegalArgumentException("class label " + d + " is not a class index 0.."
          + (k - 1));
    }
    return (int) d;
  }

  /** Copies a row's label (column 1: a number or a vector) into {@code y}, checking its width. */
  static void labelVector(Row row, double[] y) {
    Object v = row.get(1);
    if (v instanceof Vector vec) {
      if (vec.size() != y.length) {
        throw new IllegalArgumentException("a label has " + vec.size()
            + " values but the network has " + y.length + " outputs");
      }
      Standardization.dense(vec, y);
    } else if (v instanceof Number num && y.length == 1) {
      y[0] = num.doubleValue();
    } else {
      throw new IllegalArgumentException("label " + v + " does not fit a network with "
          + y.length + " outputs");
    }
  }

  /**
   * Per-class precision, recall, F1 and support, their macro averages, the class names and the
   * confusion matrix (rows = true class). Unweighted support and counts are written as integers.
   */
  private static void perClass(ObjectNode o, double[][] cm, LabelMapping classes,
      boolean weighted) {
    int k = cm.length;
    ObjectNode per = o.putObject("per_class");
    double sp = 0;
    double sr = 0;
    double sf = 0;
    int present = 0;
    for (int c = 0; c < k; c++) {
      double support = 0;
      double predicted = 0;
      for (int j = 0; j < k; j++) {
        support += cm[c][j];
        predicted += cm[j][c];
      }
      double p = ratio(cm[c][c], predicted);
      double r = ratio(cm[c][c], support);
      double f = f1(p, r);
      ObjectNode node = per.putObject(classes.name(c));
      put(node, "precision", p);
      put(node, "recall", r);
      put(node, "f1", f);
      support(node, support);
      if (support > 0 || predicted > 0) {
        sp += p;
        sr += r;
        sf += f;
        present++;
      }
    }
    put(o, "macro_precision", present == 0 ? Double.NaN : sp / present);
    put(o, "macro_recall", present == 0 ? Double.NaN : sr / present);
    put(o, "macro_f1", present == 0 ? Double.NaN : sf / present);
    ArrayNode names = o.putArray("classes");
    classes.classNames().forEach(names::add);
    ArrayNode m = o.putArray("confusion_matrix");
    for (double[] row : cm) {
      ArrayNode a = m.addArray();
      for (double v : row) {
        if (weighted) {
          a.add(v);
        } else {
          a.add((long) v);
        }
      }
    }
  }

  /** A support: an integer row count, or a sum of sample weights when not integral. */
  private static void support(ObjectNode node, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      node.put("support", (long) v);
    } else {
      node.put("support", v);
    }
  }

  private static ObjectNode header(Task task, long n) {
    ObjectNode o = JSON.objectNode();
    o.put("task", task.toString());
    o.put("count", n);
    return o;
  }

  private static void requireRows(long n) {
    if (n == 0) {
      throw new IllegalArgumentException("no rows to evaluate");
    }
  }

  private static void requireWeight(double w) {
    if (!(w > 0)) {
      throw new IllegalArgumentException("the weights of the evaluated rows sum to 0");
    }
  }

  private static double ratio(double num, double den) {
    return den == 0 ? 0.0 : num / den;
  }

  private static double f1(double p, double r) {
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }

  /**
   * Puts a finite number.
   *
   * @throws IllegalArgumentException naming the metric if {@code v} is NaN or infinite: it cannot
   *     be computed, and JSON has no NaN
   */
  private static void put(ObjectNode o, String key, double v) {
    if (!Double.isFinite(v)) {
      long n = o.path("count").asLong(0);
      throw new IllegalArgumentException("cannot compute " + key + " (" + v + ")"
          + (n > 0 ? " over the " + n + " rows evaluated" : "") + ": the network's outputs or the labels hold NaN or infinite values "
          + "(a diverged model, or NaN or infinite features or targets in the input)");
    }
    o.put(key, v);
  }
}
