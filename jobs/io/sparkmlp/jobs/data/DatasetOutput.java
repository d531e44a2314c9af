package io.sparkmlp.jobs.data;

import io.sparkmlp.trainer.SparkErrors;
import io.sparkmlp.trainer.store.AtomicWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a DataFrame as a Spark output directory with {@link AtomicWrite}: Spark writes a hidden
 * temporary sibling of the target, which is renamed to the target once complete and deleted on
 * failure. An existing target is refused unless {@code overwrite}; it is then replaced only after
 * the new output is complete. Used by {@link PredictionWriter} and {@link TeacherData}.
 */
final class DatasetOutput {
  private DatasetOutput() {}

  /**
   * Writes {@code rows} as a Spark output directory {@code path}. An existing output is refused
   * unless {@code overwrite}; it is then replaced only after the new output is complete.
   *
   * @param format  Spark data source name, e.g. {@code parquet} or {@code csv}
   * @param options writer options (e.g. {@code header}); may be empty
   * @param what    what is written, for messages (e.g. {@code predictions})
   * @throws IllegalArgumentException if the path exists and not overwrite, the path is a root
   *     directory, or a task fails (the task's message, unwrapped from Spark's job failure)
   * @throws UncheckedIOException if the file system refuses the rename or the deletion
   */
  static void save(Dataset<Row> rows, String format, Map<String, String> options,
      String path, boolean overwrite, String what) {
    Path target = new Path(path);
    FileSystem fs;
    try {
      fs = target.getFileSystem(rows.sparkSession().sparkContext().hadoopConfiguration());
      target = fs.makeQualified(target);
      if (fs.exists(target) && !overwrite) {
        throw new IllegalArgumentException(path + ": output already exists (allow "
            + "overwriting to replace it)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
    if (target.getParent() == null) {
      throw new IllegalArgumentException(path + ": cannot write " + what
          + " to a root directory");
    }
    AtomicWrite.ReplaceCheck check = existing -> {
      if (!overwrite) {
        throw new OutputAppeared(path + ": output appeared while writing (allow "
            + "overwriting to replace it)");
      }
    };
    try {
      AtomicWrite.write(fs, target, what, check, tmp -> {
        DataFrameWriter<Row> writer = rows.write().format(format);
        for (Map.Entry<String, String> e : options.entrySet()) {
          writer = writer.option(e.getKey(), e.getValue());
        }
        writer.save(tmp.toString());
      });
    } catch (OutputAppeared e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
  }

  /** The target of a write that must not replace one appeared while writing. */
  private static final class OutputAppeared extends IOException {
    private static final long serialVersionUID = 1L;

    OutputAppeared(String message) {
      super(message);
    }
  }
}
