package io.sparkmlp.jobs.report;

/**
 * Row-level results of an evaluation that the metrics JSON does not hold, already reduced to a
 * size a page can carry: the binary ROC and precision-recall curves (a few hundred points each),
 * and a sample of (actual, predicted) pairs of one regression target.
 *
 * <p>Arrays that do not apply to the task are empty.
 *
 * @param rocFpr           false positive rates of the ROC curve, from 0 to 1
 * @param rocTpr           true positive rates, one per false positive rate
 * @param prRecall         recalls of the precision-recall curve, ascending
 * @param prPrecision      precisions, one per recall
 * @param averagePrecision the area under the precision-recall curve (step-wise, as
 *                         scikit-learn's average precision), NaN if undefined
 * @param positiveShare    the share of positive rows (the precision of a random guess), NaN if
 *                         unknown
 * @param actual           sampled true values of regression target {@code target}
 * @param predicted        the predictions for them
 * @param target           index of the sampled regression target
 * @param sampledFrom      rows the regression sample was drawn from
 */
public record ReportCurves(double[] rocFpr, double[] rocTpr, double[] prRecall,
    double[] prPrecision, double averagePrecision, double positiveShare, double[] actual,
    double[] predicted, int target, long sampledFrom) {

  private static final double[] EMPTY = new double[0];

  /** Checks that paired arrays have equal lengths. */
  public ReportCurves {
    if (rocFpr.length != rocTpr.length || prRecall.length != prPrecision.length
        || actual.length != predicted.length) {
      throw new IllegalArgumentException("paired curve arrays differ in length");
    }
  }

  /** No curves: the report draws what the metrics JSON holds. */
  public static ReportCurves none() {
    return new ReportCurves(EMPTY, EMPTY, EMPTY, EMPTY, Double.NaN, Double.NaN, EMPTY, EMPTY, 0,
        0);
  }

  /**
   * Binary curves.
   *
   * @return curves with an empty regression sample
   */
  public static ReportCurves binary(double[] rocFpr, double[] rocTpr, double[] prRecall,
      double[] prPrecision, double averagePrecision, double positiveShare) {
    return new ReportCurves(rocFpr, rocTpr, prRecall, prPrecision, averagePrecision,
        positiveShare, EMPTY, EMPTY, 0, 0);
  }

  /**
   * A regression sample.
   *
   * @return curves with empty binary curves
   */
  public static ReportCurves regression(double[] actual, double[] predicted, int target,
      long sampledFrom) {
    return new ReportCurves(EMPTY, EMPTY, EMPTY, EMPTY, Double.NaN, Double.NaN, actual, predicted,
        target, sampledFrom);
  }

  /** Whether there is a ROC curve to draw. */
  public boolean hasRoc() {
    return rocFpr.length > 0;
  }

  /** Whether there is a regression sample to draw. */
  public boolean hasRegressionSample() {
    return actual.length > 0;
  }
}
