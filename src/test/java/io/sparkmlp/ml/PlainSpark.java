package io.sparkmlp.ml;

import io.sparkmlp.testing.SharedSpark;
import org.apache.spark.sql.SparkSession;

/**
 * An ordinary {@code local[2]} SparkSession (Java serialization, none of spark-mlp's settings), as
 * a Spark ML user has it: MLlib's own stages and evaluators ship classes that the shared session's
 * Kryo registration requirement would refuse. Started in place of the shared session and stopped
 * after the test class.
 */
final class PlainSpark {
  private PlainSpark() {}

  /** Stops the shared session and starts (or returns) the plain one. */
  static SparkSession start() {
    SharedSpark.stop();
    return SparkSession.builder().master("local[2]").appName("spark-mlp-ml-tests")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
  }

  /** Stops the plain session, so the next test class can start the shared one. */
  static void stop() {
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }
}
