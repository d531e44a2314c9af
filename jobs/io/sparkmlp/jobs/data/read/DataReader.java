package io.sparkmlp.jobs.data.read;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.model.Task;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads a {@link DataSource} into {@link PreparedData}: checks the input in one distributed pass
 * (row count, every numeric cell, the label values) and fails with a one-line message naming the
 * path or file, the column and the value; then returns the lazy, encoded rows.
 *
 * <p>Each format has its own {@link InputFormat}, which reads only the keys its
 * {@link DataSource.Format#keys() Format} declares: {@link LibsvmInput}, {@link CsvInput} and
 * {@link ParquetInput} (table columns, {@link TabularInput}), {@link IdxInput}. This class picks
 * the format's reader and runs the checks every format shares ({@link Plan#execute}).
 *
 * <p>Labels: binary and multi-class labels become the class index as a double (see
 * {@link ClassLabels} for how the mapping is derived or checked); multi-label labels a dense 0/1
 * vector; regression labels a double, or a dense vector for several targets.
 */
public final class DataReader {
  /** Internal column holding {@code input_file_name()}, for messages; never in the output. */
  static final String FILE = "__sparkmlp_input_file";

  /** The reader of every format. */
  private static final Map<DataSource.Format, InputFormat> FORMATS =
      formats(new LibsvmInput(), new CsvInput(), new ParquetInput(), new IdxInput());

  private DataReader() {}

  /**
   * Reads and validates one input.
   *
   * @param spark            the session
   * @param src              where the data is and how its columns map
   * @param task             the model's task
   * @param mapping          null at training time (derived from the data), or the model's classes
   *                         at evaluate and predict time (every label must map into it); must be
   *                         null for regression
   * @param expectedFeatures 0 to infer the feature count, else the model's input width
   * @param requireLabel     false for prediction: a missing label column is then allowed (a
   *                         label column that is present is still read and checked)
   * @return the prepared rows and what was learned about them
   * @throws IllegalArgumentException with a one-line message naming the path (or file), and the
   *     column and value when known: missing path, empty input, missing column, non-numeric cell,
   *     label outside the model's classes, non-integer class label, feature count mismatch
   */
  public static PreparedData read(SparkSession spark, DataSource src, Task task,
      LabelMapping mapping, int expectedFeatures, boolean requireLabel) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(task, "task");
    if (expectedFeatures < 0) {
      throw new IllegalArgumentException("expectedFeatures must be >= 0, got " + expectedFeatures);
    }
    checkMapping(task, mapping);
    src = src.withPath(HadoopPaths.requireInput(spark, src.path(),
        src.format() != DataSource.Format.IDX));
    Plan plan = input(src.format()).plan(spark, src, task, expectedFeatures,
        requireLabel && task != Task.AUTOENCODER);
    return plan.execute(task, mapping, expectedFeatures);
  }

  /**
   * Reads and checks a CSV or Parquet input whose features are table columns, without turning
   * them into numbers: the labels are read and checked as by {@link #read}, the feature columns
   * are kept as they are (numbers as doubles, text and booleans as text) in one struct column,
   * for a {@link io.sparkmlp.jobs.data.prep.Preparation} to handle missing values and categories.
   *
   * @param spark        the session
   * @param src          a {@link DataSource#tabular() tabular} source
   * @param task         the model's task
   * @param mapping      null at training time, else the model's classes
   * @param columns      the feature columns to read (a model's input columns), or null to take
   *                     the source's own (feature-columns, or every column but the label, id and
   *                     excluded columns)
   * @param requireLabel false for prediction
   * @return the raw rows
   * @throws IllegalArgumentException with a one-line message naming the path or file and the
   *     column: missing column, label problems, a column type that is neither number nor text
   */
  public static RawTable readTable(SparkSession spark, DataSource src, Task task,
      LabelMapping mapping, List<String> columns, boolean requireLabel) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(src, "src");
    if (!src.tabular()) {
      throw new IllegalArgumentException(src.path() + ": " + src.format()
          + " input with a features vector column has no table columns to prepare");
    }
    checkMapping(task, mapping);
    src = src.withPath(HadoopPaths.requireInput(spark, src.path(), true));
    Plan plan = table(src).planTable(spark, src, task, requireLabel && task != Task.AUTOENCODER,
        columns == null ? List.of() : columns);
    PreparedData d = plan.execute(task, mapping, 0);
    return new RawTable(d.rows(), plan.featureNames, plan.textColumns, d.mapping(),
        d.outputWidth(), src, d.hasLabel());
  }

  /**
   * The input as Spark reads it, before any column mapping: CSV cells as text (header, delimiter,
   * skipped lines and reader options applied), Parquet as stored.
   *
   * @param spark the session
   * @param src   a CSV or Parquet source
   * @return the rows as read
   * @throws IllegalArgumentException naming the path if Spark cannot read it, or if the source
   *     is not a table
   */
  public static Dataset<Row> frame(SparkSession spark, DataSource src) {
    return table(src).frame(spark, src);
  }

  /**
   * A column reference that tolerates dots and spaces in the name (backquoted, backquotes
   * doubled).
   *
   * @param name a column name as it is in the data
   * @return the column
   */
  public static Column quoted(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }

  /** The reader of format {@code f}. */
  static InputFormat input(DataSource.Format f) {
    return FORMATS.get(f);
  }

  /** The reader of a source whose rows are table columns (CSV, Parquet). */
  private static TabularInput table(DataSource src) {
    if (input(src.format()) instanceof TabularInput t) {
      return t;
    }
    throw new IllegalArgumentException(src.path() + ": " + src.format()
        + " input has no table columns (csv or parquet)");
  }

  private static Map<DataSource.Format, InputFormat> formats(InputFormat... readers) {
    Map<DataSource.Format, InputFormat> m = new EnumMap<>(DataSource.Format.class);
    for (InputFormat r : readers) {
      if (m.put(r.format(), r) != null) {
        throw new IllegalStateException("two readers of " + r.format());
      }
    }
    for (DataSource.Format f : DataSource.Format.values()) {
      if (!m.containsKey(f)) {
        throw new IllegalStateException("no reader of " + f);
      }
    }
    return m;
  }

  private static void checkMapping(Task task, LabelMapping mapping) {
    if (mapping == null) {
      return;
    }
    switch (task) {
      case REGRESSION -> throw new IllegalArgumentException(
          "a label mapping is only for classification, not regression");
      case BINARY -> {
        if (mapping.size() != 2) {
          throw new IllegalArgumentException(
              "a binary label mapping has two classes [negative, positive], got " + mapping);
        }
      }
      case MULTICLASS -> {
        if (mapping.size() < 2) {
          throw new IllegalArgumentException(
              "a multiclass label mapping needs at least two classes, got " + mapping);
        }
      }
      default -> { }
    }
  }
}
