package io.sparkmlp.jobs;

import io.sparkmlp.trainer.store.AtomicWrite;
import io.sparkmlp.trainer.store.OutputKind;
import io.sparkmlp.trainer.store.OutputOwnership;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * Checks a job's output path before the job reads any data, so that a run that cannot write its
 * result fails in seconds rather than after the work, with a message naming the path and the
 * reason (exists and not allowed, not a spark-mlp output of the same kind, one of the job's inputs,
 * not writable). The writers check again when they write (the path may appear in between).
 */
final class OutputPaths {
  private OutputPaths() {}

  /**
   * The Hadoop configuration the job's SparkContext will have (Hadoop's defaults and site files,
   * plus the {@code spark.hadoop.*} settings from spark-submit and {@code extra}), built without
   * starting Spark, so that outputs can be checked in the first second of a run.
   */
  static Configuration hadoopConf(Map<String, String> extra) {
    SparkConf conf = new SparkConf();
    extra.forEach(conf::set);
    return SparkHadoopUtil.get().newConfiguration(conf);
  }

  /**
   * Checks that the job may write {@code kind} at {@code path}, before it reads any data: puts
   * back or removes what an interrupted write of the path left ({@link AtomicWrite#recover}),
   * refuses an existing output unless {@code overwrite} and it is spark-mlp {@code kind}
   * ({@link OutputOwnership}), and creates and removes a probe file where the output will go.
   *
   * @param hadoop    the job's Hadoop configuration (resolves the file system)
   * @param path      the output path as the user gave it
   * @param kind      what the job writes there
   * @param overwrite whether the user allowed replacing an output
   * @param how       how to allow it, e.g. {@code "pass --overwrite"}
   * @throws IllegalArgumentException naming the path and the reason if it cannot be written
   */
  static void check(Configuration hadoop, String path, OutputKind kind, boolean overwrite,
      String how) {
    try {
      FileSystem fs = fileSystem(hadoop, path);
      Path p = fs.makeQualified(new Path(path));
      if (p.getParent() == null) {
        throw new IllegalArgumentException(path + ": cannot write " + kind.label()
            + " to a root directory");
      }
      probe(fs, path, p.getParent());
      AtomicWrite.recover(fs, p, kind.label());
      if (fs.exists(p)) {
        OutputOwnership.check(fs, p, path, kind, overwrite, how);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith(path) ? e.getMessage()
          : path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses an output that is, contains or lies inside one of the job's inputs (its data or its
   * model): writing it would replace or mix with what the job reads.
   *
   * @param hadoop the job's Hadoop configuration
   * @param output the output path as given
   * @param option how the output was given, e.g. {@code --output}
   * @param inputs how each input was given (e.g. {@code --model}) to its path; null paths are
   *               skipped
   * @throws IllegalArgumentException naming both paths
   */
  static void refuseOverlap(Configuration hadoop, String output, String option,
      Map<String, String> inputs) {
    try {
      String out = qualified(hadoop, output);
      for (Map.Entry<String, String> in : inputs.entrySet()) {
        String inPath = in.getValue() == null ? null : qualifiedOrNull(hadoop, in.getValue());
        if (inPath == null) {
          continue;
        }
        String relation = out.equals(inPath) ? "is"
            : out.startsWith(inPath + "/") ? "is inside"
            : inPath.startsWith(out + "/") ? "contains" : null;
        if (relation != null) {
          throw new IllegalArgumentException(output + ": the output (" + option + ") "
              + relation + " the input " + in.getValue() + " (" + in.getKey()
              + "); choose another path");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(output + ": " + e.getMessage(), e);
    }
  }

  /** The qualified input path; null if its file system is unknown (its reader says so). */
  private static String qualifiedOrNull(Configuration hadoop, String path) {
    try {
      return qualified(hadoop, path);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String qualified(Configuration hadoop, String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(hadoop).makeQualified(p).toString();
  }

  /** The file system of {@code path}; for local paths the raw one (no {@code .crc} files). */
  private static FileSystem fileSystem(Configuration hadoop, String path) throws IOException {
    FileSystem fs = new Path(path).getFileSystem(hadoop);
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /** Creates and deletes a file in the nearest existing ancestor of the output. */
  private static void probe(FileSystem fs, String path, Path parent) throws IOException {
    Path dir = parent;
    while (dir != null && !fs.exists(dir)) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return;
    }
    if (!fs.getFileStatus(dir).isDirectory()) {
      throw new IOException(path + ": cannot write there: " + dir + " is a file");
    }
    Path probe = new Path(dir, ".spark-mlp-probe-" + UUID.randomUUID());
    try {
      fs.create(probe, false).close();
    } catch (IOException e) {
      throw new IOException(path + ": cannot write in " + dir + ": " + e.getMessage(), e);
    }
    fs.delete(probe, false);
  }
}
