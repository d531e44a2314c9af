package io.sparkmlp.jobs.data.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import io.sparkmlp.trainer.store.AtomicWrite;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Existence checks on Hadoop paths (local, HDFS, S3A; globs allowed), with one-line errors. */
public final class HadoopPaths {
  private HadoopPaths() {}

  /** The Hadoop configuration of {@code spark}. */
  static Configuration conf(SparkSession spark) {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** The file system of {@code p}. */
  public static FileSystem fs(SparkSession spark, Path p) {
    try {
      return p.getFileSystem(conf(spark));
    } catch (IOException e) {
      throw new UncheckedIOException(p + ": cannot open its file system: " + e.getMessage(), e);
    }
  }

  /** The characters Hadoop's globbing (and so Spark's file sources) treats as a pattern. */
  private static final String GLOB_CHARS = "\\{}[]*?";

  /**
   * Throws a one-line error unless {@code path} (or, for a glob, one match) exists, and returns
   * the path to hand Spark's file sources. A path that names an existing file or directory is
   * taken literally: with {@code spark} set, its glob characters ({@code [ ] { } * ? \}) are
   * escaped, so that {@code a[1].csv} or {@code q?.csv} reads that file (unescaped, Spark would
   * expand it as a pattern). A missing path whose spark-mlp output is set aside by an interrupted
   * replace is put back first ({@link AtomicWrite#readable}).
   *
   * @param spark the session (its Hadoop configuration)
   * @param path  the input path as the user gave it
   * @param forSparkSource whether the returned path is read by a Spark file source (which globs)
   * @return the path to read: {@code path}, escaped for Spark if it names an existing file
   */
  static String requireInput(SparkSession spark, String path, boolean forSparkSource) {
    Path p = new Path(path);
    try {
      FileSystem fs = fs(spark, p);
      Path literal = fs.makeQualified(p);
      Path readable = AtomicWrite.readable(fs, literal, "input");
      if (!readable.equals(literal)) {
        throw new IllegalArgumentException(path + ": input path does not exist; an interrupted "
            + "replace left the earlier output at " + readable + " (rename it to " + path + ")");
      }
      if (fs.exists(literal)) {
        return forSparkSource ? escapeGlob(path) : path;
      }
      FileStatus[] found = fs.globStatus(p);
      if (found == null || found.length == 0) {
        throw new IllegalArgumentException(path + ": input path does not exist");
      }
      return path;
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot list input: " + e.getMessage(), e);
    }
  }

  /** {@code path} with each glob character preceded by a backslash (Hadoop's escape). */
  static String escapeGlob(String path) {
    StringBuilder b = new StringBuilder(path.length() + 8);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (GLOB_CHARS.indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  /** True if {@code path} exists (no globbing). */
  static boolean exists(SparkSession spark, Path path) {
    try {
      return fs(spark, path).exists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot check existence: " + e.getMessage(), e);
    }
  }
}
