package io.sparkmlp.jobs.data.read;

import java.io.IOException;
import java.io.UncheckedIOException;
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

  /** Throws a one-line error unless {@code path} (or, for a glob, one match) exists. */
  static void requireInput(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      FileStatus[] found = fs(spark, p).globStatus(p);
      if (found == null || found.length == 0) {
        throw new IllegalArgumentException(path + ": input path does not exist");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot list input: " + e.getMessage(), e);
    }
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
