package io.sparkmlp.jobs.data.write;

import io.sparkmlp.trainer.SparkErrors;
import io.sparkmlp.trainer.store.AtomicWrite;
import io.sparkmlp.trainer.store.ConcurrentWriteException;
import io.sparkmlp.trainer.store.OutputKind;
import io.sparkmlp.trainer.store.OutputOwnership;
import io.sparkmlp.trainer.store.OutputRefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a DataFrame as a Spark output directory with {@link AtomicWrite}: Spark writes a hidden
 * temporary sibling of the target, marked with its {@link OutputKind} ({@link OutputOwnership}),
 * which is renamed to the target once complete and deleted on failure. An existing target is
 * refused unless {@code overwrite} and it is a spark-mlp output of the same kind; it is then
 * replaced only after the new output is complete. Used by {@link PredictionWriter} and
 * {@link io.sparkmlp.jobs.data.generate.TeacherData}.
 */
public final class DatasetOutput {
  private DatasetOutput() {}

  /**
   * Writes {@code rows} as a Spark output directory {@code path}. An existing output is refused
   * unless {@code overwrite}; it is then replaced only after the new output is complete.
   *
   * @param format  Spark data source name, e.g. {@code parquet} or {@code csv}
   * @param options writer options (e.g. {@code header}); may be empty
   * @param kind    what is written (e.g. {@link OutputKind#PREDICTIONS})
   * @throws IllegalArgumentException if the path exists and not overwrite, is not spark-mlp
   *     output of the same kind, is being written by another run, is a root directory, or a task
   *     fails (the task's message, unwrapped from Spark's job failure)
   * @throws UncheckedIOException if the file system refuses the rename or the deletion
   */
  public static void save(Dataset<Row> rows, String format, Map<String, String> options,
      String path, boolean overwrite, OutputKind kind) {
    Path target = new Path(path);
    FileSystem fs;
    Configuration conf = rows.sparkSession().sparkContext().hadoopConfiguration();
    AtomicWrite.ReplaceCheck check = OutputOwnership.replaceable(conf, kind, overwrite,
        "allow overwriting", path);
    try {
      fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      if (target.getParent() == null) {
        throw new IllegalArgumentException(path + ": cannot write " + kind.label()
            + " to a root directory");
      }
      if (fs.exists(target)) {
        check.check(target);
      }
    } catch (FileAlreadyExistsException | OutputRefusedException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
    FileSystem marking = fs;
    try {
      AtomicWrite.write(fs, target, kind.label(), check, tmp -> {
        DataFrameWriter<Row> writer = rows.write().format(format);
        for (Map.Entry<String, String> e : options.entrySet()) {
          writer = writer.option(e.getKey(), e.getValue());
        }
        writer.save(tmp.toString());
        OutputOwnership.mark(marking, tmp, kind);
      });
    } catch (FileAlreadyExistsException | OutputRefusedException
        | ConcurrentWriteException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw SparkErrors.unwrap(e);
    }
  }
}
