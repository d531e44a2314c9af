package io.sparkmlp.jobs.data;

import io.sparkmlp.jobs.data.read.DataReader;
import io.sparkmlp.jobs.data.score.Metrics;
import io.sparkmlp.jobs.data.score.Predictor;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input read and validated by {@link DataReader}, in the shape the trainer, {@link Predictor}
 * and {@link Metrics} consume. The rows are lazy: nothing is cached.
 *
 * @param rows         columns: the id columns (original types), {@value #FEATURES} (an ML vector:
 *                     dense, or sparse for LibSVM and sparse vector columns) and, when
 *                     {@code hasLabel}, {@value #LABEL}: the class index as a double for binary and
 *                     multi-class, a dense vector of 0/1 for multi-label, a double (one target) or
 *                     a dense vector (several targets) for regression; with a weight column
 *                     and labels, {@value #WEIGHT}: the row's weight as a double
 * @param numFeatures  width of every feature vector
 * @param featureNames feature column names in vector order, or null (LibSVM, vector columns)
 * @param mapping      classification classes (derived from the data at training time, the model's
 *                     otherwise), or null for regression or when it cannot be known (no labels and
 *                     none given)
 * @param outputWidth  network output width the labels need: 1 for binary, the class count for
 *                     multi-class and multi-label, the target count for regression; 0 when unknown
 *                     (regression input without labels)
 * @param path         the input path, for messages
 * @param hasLabel     whether {@code rows} has a {@value #LABEL} column
 */
public record PreparedData(
    Dataset<Row> rows,
    int numFeatures,
    List<String> featureNames,
    LabelMapping mapping,
    int outputWidth,
    String path,
    boolean hasLabel) {

  /** The feature vector column. */
  public static final String FEATURES = "features";
  /** The encoded label column. */
  public static final String LABEL = "label";
  /**
   * The row-weight column (a double &gt;= 0), present when the input has a weight column and
   * labels are read (training and evaluation).
   */
  public static final String WEIGHT = "weight";

  /** Validates and copies the feature names. */
  public PreparedData {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(path, "path");
    if (numFeatures <= 0) {
      throw new IllegalArgumentException("numFeatures must be positive, got " + numFeatures);
    }
    if (featureNames != null) {
      featureNames = List.copyOf(featureNames);
      if (featureNames.size() != numFeatures) {
        throw new IllegalArgumentException(featureNames.size() + " feature names for "
            + numFeatures + " features");
      }
    }
    if (outputWidth < 0) {
      throw new IllegalArgumentException("outputWidth must be >= 0, got " + outputWidth);
    }
  }
}
