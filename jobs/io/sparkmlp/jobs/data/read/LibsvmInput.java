package io.sparkmlp.jobs.data.read;

import static org.apache.spark.sql.functions.input_file_name;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.model.Task;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * LibSVM text ({@code label index:value ...}) through Spark's {@code libsvm} source: sparse
 * feature vectors and one label per row (binary, multi-class or regression). The feature count is
 * {@code num-features} when set, else the model's input width when given (a file may lack the
 * highest indices), else inferred from the data. A malformed line is reported with its file and
 * line number ({@link LibsvmLines}).
 */
final class LibsvmInput implements InputFormat {
  @Override
  public DataSource.Format format() {
    return DataSource.Format.LIBSVM;
  }

  @Override
  public Plan plan(SparkSession spark, DataSource src, Task task, int expectedFeatures,
      boolean requireLabel) {
    String path = src.path();
    if (!src.idColumns().isEmpty()) {
      throw new IllegalArgumentException(path + ": libsvm input has no id columns, got "
          + src.idColumns());
    }
    if (task == Task.MULTILABEL) {
      throw new IllegalArgumentException(path + ": libsvm input supports binary, multiclass and "
          + "regression labels; use csv or parquet label columns for multilabel");
    }
    int nf = src.numFeatures();
    if (nf > 0 && expectedFeatures > 0 && nf != expectedFeatures) {
      throw ReadErrors.mismatch(path, nf, expectedFeatures);
    }
    if (nf == 0) {
      int inferred = inferFeatures(spark, path);
      if (expectedFeatures > 0 && inferred > expectedFeatures) {
        throw new IllegalArgumentException(path + ": the data has feature indices up to "
            + inferred + " but the model expects " + expectedFeatures + " features");
      }
      nf = expectedFeatures > 0 ? expectedFeatures : inferred;
    }
    Dataset<Row> raw;
    try {
      raw = spark.read().format("libsvm").option("numFeatures", Integer.toString(nf)).load(path);
    } catch (Exception e) {
      throw ReadErrors.failure(path, this, nf, e);
    }
    Plan p = new Plan(raw.withColumn(DataReader.FILE, input_file_name()), path, this);
    p.features = functions.col("features");
    p.staticWidth = nf;
    p.numFeaturesOption = nf;
    // every libsvm line starts with a label; an autoencoder ignores it
    p.labelColumn = task == Task.AUTOENCODER ? null : "label";
    if (task.isClassification()) {
      p.labelKey = functions.col("label").cast(DataTypes.StringType);
    } else {
      p.label = functions.col("label");
      p.labelStaticWidth = 1;
    }
    return p;
  }

  @Override
  public String locateError(String path) {
    return LibsvmLines.firstError(path,
        SparkSession.active().sparkContext().hadoopConfiguration());
  }

  /** The highest feature index in the data (one pass of Spark's libsvm source). */
  private int inferFeatures(SparkSession spark, String path) {
    try {
      Dataset<Row> probe = spark.read().format("libsvm").load(path);
      return (int) probe.schema().apply("features").metadata().getLong("numFeatures");
    } catch (Exception e) {
      if (String.valueOf(ReadErrors.rootCause(e).getMessage()).contains("empty collection")) {
        throw new IllegalArgumentException(path + ": input is empty (no data rows)", e);
      }
      throw ReadErrors.failure(path, this, 0, e);
    }
  }
}
