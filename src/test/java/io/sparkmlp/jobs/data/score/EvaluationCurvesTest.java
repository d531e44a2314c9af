package io.sparkmlp.jobs.data.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.report.ReportCurves;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Report curves: bucketing, the threshold sweep, thinning, and both Spark passes. */
class EvaluationCurvesTest {

  private static Dataset<Row> data(List<Row> rows, int partitions) {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.DoubleType);
    return SharedSpark.session().createDataFrame(
        SharedSpark.jsc().parallelize(rows, partitions), schema);
  }

  private static NetworkSpec linear(Task task) {
    return NetworkSpec.of(task, Activation.of(Activation.Kind.RELU), 1, 1);
  }

  /** Trapezoid area under a curve given by ascending x. */
  private static double area(double[] x, double[] y) {
    double a = 0;
    for (int i = 1; i < x.length; i++) {
      a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
    }
    return a;
  }

  @Test
  void bucketsAreOrderedAndCoverTheUnitInterval() {
    assertEquals(0, EvaluationCurves.bucket(0.0));
    assertEquals(EvaluationCurves.BUCKETS - 1, EvaluationCurves.bucket(1.0));
    assertEquals(EvaluationCurves.BUCKETS / 2, EvaluationCurves.bucket(0.5));
    int last = -1;
    for (double s = 1e-12; s < 1; s += 0.001) {
      int b = EvaluationCurves.bucket(s);
      assertTrue(b >= last, "monotone at " + s);
      last = b;
    }
    assertTrue(EvaluationCurves.bucket(0.999) > EvaluationCurves.bucket(0.99));
    assertTrue(EvaluationCurves.bucket(0.001) < EvaluationCurves.bucket(0.01));
  }

  @Test
  void separatedScoresGiveAPerfectCurve() {
    double[] counts = new double[2 * EvaluationCurves.BUCKETS];
    counts[2 * 1900] = 30; // positives score high
    counts[2 * 100 + 1] = 70; // negatives score low
    ReportCurves c = EvaluationCurves.binary(counts);
    assertEquals(1.0, c.averagePrecision(), 1e-12);
    assertEquals(0.3, c.positiveShare(), 1e-12);
    assertEquals(1.0, area(c.rocFpr(), c.rocTpr()), 1e-12);
    assertEquals(0.0, c.rocFpr()[0]);
    assertEquals(1.0, c.rocTpr()[c.rocTpr().length - 1]);
  }

  @Test
  void manyThresholdsAreThinnedToAFewHundredPoints() {
    double[] counts = new double[2 * EvaluationCurves.BUCKETS];
    Random rnd = new Random(3);
    for (int b = 0; b < EvaluationCurves.BUCKETS; b++) {
      counts[2 * b] = rnd.nextInt(5) + (b > 1000 ? 3 : 0);
      counts[2 * b + 1] = rnd.nextInt(5) + (b < 1000 ? 3 : 0);
    }
    ReportCurves c = EvaluationCurves.binary(counts);
    assertTrue(c.rocFpr().length <= EvaluationCurves.MAX_CURVE_POINTS, "" + c.rocFpr().length);
    assertTrue(c.prRecall().length <= EvaluationCurves.MAX_CURVE_POINTS, "" + c.prRecall().length);
    assertTrue(c.rocFpr().length > 50, "thinning keeps the shape: " + c.rocFpr().length);
    assertEquals(1.0, c.rocFpr()[c.rocFpr().length - 1], 1e-12);
    assertEquals(1.0, c.prRecall()[c.prRecall().length - 1], 1e-12);
    double auc = area(c.rocFpr(), c.rocTpr());
    assertTrue(auc > 0.7 && auc < 1, "AUC " + auc);
  }

  @Test
  void oneClassHasNoCurve() {
    double[] counts = new double[2 * EvaluationCurves.BUCKETS];
    counts[2 * 5] = 10;
    assertTrue(!EvaluationCurves.binary(counts).hasRoc());
  }

  @Test
  void binaryCurveAgreesWithTheExactAuc() {
    Random rnd = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      double label = rnd.nextDouble() < 0.4 ? 1 : 0;
      rows.add(RowFactory.create(Vectors.dense(rnd.nextGaussian() + 1.2 * label), label));
    }
    Dataset<Row> d = data(rows, 3);
    NetworkSpec spec = linear(Task.BINARY);
    float[] params = {1.5f, -0.5f};
    double exact = Metrics.evaluate(d, spec, params, null, null).get("roc_auc").asDouble();
    ReportCurves c = EvaluationCurves.compute(d, spec, params, null, rows.size());
    assertEquals(exact, area(c.rocFpr(), c.rocTpr()), 0.005);
    assertTrue(c.averagePrecision() > 0.4 && c.averagePrecision() < 1);
  }

  @Test
  void regressionSampleIsBoundedAndPaired() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      rows.add(RowFactory.create(Vectors.dense(i / 1000.0), 2.0 * i / 1000.0));
    }
    ReportCurves c = EvaluationCurves.compute(data(rows, 4), linear(Task.REGRESSION),
        new float[] {2f, 0f}, null, rows.size());
    int n = c.actual().length;
    assertTrue(n > 1000 && n <= EvaluationCurves.MAX_SAMPLE, "sample of " + n);
    for (int i = 0; i < n; i++) {
      assertEquals(c.actual()[i], c.predicted()[i], 1e-5, "prediction of the exact network");
    }
    assertEquals(5000, c.sampledFrom());
  }
}
