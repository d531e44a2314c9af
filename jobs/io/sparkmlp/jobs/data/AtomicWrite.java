package io.sparkmlp.jobs.data;

import io.sparkmlp.trainer.SparkErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a DataFrame as a Spark output directory atomically: Spark writes a hidden temporary
 * sibling of the target ({@code .<name>.tmp-<uuid>}), which is renamed to the target once complete
 * and deleted on failure. An existing target is refused unless {@code overwrite}; it is then
 * replaced only after the new output is complete. Used by {@link PredictionWriter} and
 * {@link TeacherData}.
 */
final class AtomicWrite {
  private AtomicWrite() {}

  /**
   * Writes {@code rows} to {@code path}.
   *
   * @param rows      what to write
   * @param format    Spark data source name, e.g. {@code parquet} or {@code csv}
   * @param options   writer options (e.g. {@code header}); may be empty
   * @param path      output directory (any Hadoop file system)
   * @param overwrite replace an existing output
   * @param what      what is written, for messages (e.g. {@code predictions})
   * @throws IllegalArgumentException if the path exists and not overwrite, the path is a root
   *     directory, or a task fails (the task's message, unwrapped from Spark's job failure)
   * @throws UncheckedIOException if the file system refuses the rename or the deletion
   */
  static void save(Dataset<Row> rows, String format, Map<String, String> options, String path,
      boolean overwrite, String what) {
    SparkSession spark = rows.sparkSession();
    Path target = new Path(path);
    FileSystem fs = HadoopPaths.fs(spark, target);
    target = fs.makeQualified(target);
    if (HadoopPaths.exists(spark, target) && !overwrite) {
      throw new IllegalArgumentException(path + ": output already exists (allow "
          + "overwriting to replace it)");
    }
    Path parent = target.getParent();
    if (parent == null) {
      throw new IllegalArgumentException(path + ": cannot write " + what
          + " to a root directory");
    }
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
    boolean done = false;
    try {
      DataFrameWriter<Row> writer = rows.write().format(format);
      for (Map.Entry<String, String> e : options.entrySet()) {
        writer = writer.option(e.getKey(), e.getValue());
      }
      writer.save(tmp.toString());
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new IllegalArgumentException(path + ": output appeared while writing (allow "
              + "overwriting to replace it)");
        }
        if (!fs.delete(target, true)) {
          throw new IOException("cannot delete the existing output " + target);
        }
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
      done = true;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    } finally {
      if (!done) {
        try {
          fs.delete(tmp, true);
        } catch (IOException ignored) {
          // the temporary directory is hidden; a failed clean-up leaves no visible output
        }
      }
    }
  }
}
