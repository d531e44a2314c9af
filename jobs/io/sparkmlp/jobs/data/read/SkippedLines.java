package io.sparkmlp.jobs.data.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads CSV files whose first lines are not part of the table (a preamble such as
 * scikit-learn's {@code n_samples,n_features,...} line): every file's first {@code n} lines are
 * dropped by line number, then the rest is parsed by Spark's CSV reader with the job's options.
 * Each file is read as its own text dataset so that line numbers start at each file's beginning;
 * the file name is kept in {@link DataReader#FILE} for messages.
 */
final class SkippedLines {
  private SkippedLines() {}

  /**
   * The CSV rows of every file at {@code path} (a file, a directory or a glob) after skipping
   * {@code n} lines of each.
   *
   * @throws IllegalArgumentException naming the path if it matches no file
   * @throws IOException if the file system cannot be listed
   */
  static Dataset<Row> read(SparkSession spark, DataFrameReader csv, String path, int n)
      throws IOException {
    List<String> files = files(spark, path);
    if (files.isEmpty()) {
      throw new IllegalArgumentException(path + ": no input files");
    }
    Dataset<Row> all = null;
    for (String f : files) {
      var lines = spark.read().textFile(f).javaRDD().zipWithIndex()
          .filter(t -> t._2() >= n).map(t -> t._1());
      Dataset<Row> one = csv.csv(spark.createDataset(lines.rdd(), Encoders.STRING()))
          .withColumn(DataReader.FILE, functions.lit(f));
      all = all == null ? one : all.unionByName(one, true);
    }
    return all;
  }

  /** The data files at {@code path}, sorted; hidden files (starting with . or _) are left out. */
  private static List<String> files(SparkSession spark, String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    FileStatus[] matched = fs.globStatus(p);
    List<String> out = new ArrayList<>();
    if (matched == null) {
      return out;
    }
    for (FileStatus st : matched) {
      if (st.isDirectory()) {
        for (FileStatus child : fs.listStatus(st.getPath())) {
          String name = child.getPath().getName();
          if (child.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
            out.add(child.getPath().toString());
          }
        }
      } else {
        out.add(st.getPath().toString());
      }
    }
    out.sort(null);
    return out;
  }
}
