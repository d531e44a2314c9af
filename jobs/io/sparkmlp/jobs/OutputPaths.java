package io.sparkmlp.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * Checks a job's output path before the job reads any data, so that a run that cannot write its
 * result fails in seconds rather than after the work, with a message naming the path and the
 * option that allows the replacement. The writers check again when they write (the path may
 * appear in between).
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
   * Refuses an existing {@code path} unless {@code overwrite}.
   *
   * @param hadoop    the job's Hadoop configuration (resolves the file system)
   * @param path      the output path as the user gave it
   * @param overwrite whether the user allowed replacing it
   * @param how       how to allow it, e.g. {@code "pass --overwrite"}
   * @throws IllegalArgumentException if the path exists and {@code overwrite} is false
   */
  static void refuseExisting(Configuration hadoop, String path, boolean overwrite, String how) {
    if (overwrite) {
      return;
    }
    Path p = new Path(path);
    boolean exists;
    try {
      exists = p.getFileSystem(hadoop).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot check the output path: " + e.getMessage(), e);
    }
    if (exists) {
      throw new IllegalArgumentException(path + ": output already exists (" + how
          + " to replace it)");
    }
  }
}
