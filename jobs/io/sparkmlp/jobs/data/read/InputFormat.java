package io.sparkmlp.jobs.data.read;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.model.Task;
import org.apache.spark.sql.SparkSession;

/**
 * How one input format is read: where its rows come from and how they become features and
 * labels. There is one implementation per {@link DataSource.Format}, registered in
 * {@link DataReader}; a new format is a new {@code Format} constant declaring its keys, a new
 * implementation, and its line in {@code DataReader}.
 *
 * <p>The keys a format uses are declared on the configuration side, by
 * {@link DataSource.Format#keys()} (the configuration does not depend on the readers): the
 * configuration refuses any other input key, and an implementation reads only the
 * {@link DataSource} fields of those keys.
 */
interface InputFormat {
  /** The format read; its {@link DataSource.Format#keys() keys} are the fields read. */
  DataSource.Format format();

  /**
   * Plans reading one input: the raw rows (with {@link DataReader#FILE}), the feature and label
   * expressions, and the checks {@link Plan#execute} runs on every row. May read small metadata
   * (a schema, an IDX header) but not the rows.
   *
   * @param spark            the session
   * @param src              an input of {@link #format()} whose path exists
   * @param task             the model's task
   * @param expectedFeatures 0 to infer the feature count, else the model's input width
   * @param requireLabel     false for prediction: the label may be missing
   * @throws IllegalArgumentException with one line naming the path (or file) and what is wrong
   */
  Plan plan(SparkSession spark, DataSource src, Task task, int expectedFeatures,
      boolean requireLabel);

  /**
   * The first malformed record under {@code path} as {@code "<file>: line <n>: <problem>"}, for
   * the message when Spark fails to read it; null when the format cannot say (the default).
   */
  default String locateError(String path) {
    return null;
  }
}
