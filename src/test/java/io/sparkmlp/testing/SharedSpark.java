package io.sparkmlp.testing;

import io.sparkmlp.trainer.SparkMlpConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One SparkSession in {@code local[2]} shared by every test class in the JVM (starting Spark costs
 * seconds), configured like production: Kryo with registration required.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  /** The shared session, created on first use. */
  public static synchronized SparkSession session() {
    if (session != null && session.sparkContext().isStopped()) {
      session = null; // a job run through Main stops the session it used
    }
    if (session == null) {
      SparkConf conf = SparkMlpConf.apply(new SparkConf()
          .setMaster("local[2]")
          .setAppName("spark-mlp-tests")
          .set("spark.ui.enabled", "false")
          .set("spark.sql.shuffle.partitions", "4")
          .set("spark.driver.host", "127.0.0.1")
          .set("spark.sql.adaptive.enabled", "false"));
      session = SparkSession.builder().config(conf).getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(SharedSpark::stop));
    }
    return session;
  }

  /** The shared session's Java context. */
  public static JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
  }

  /** Stops the shared session (a test that needs its own SparkContext calls this first). */
  public static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }

  /** The reference data folder ({@code ../shared/data}); fails clearly if it is missing. */
  public static Path dataDir() {
    Path p = Paths.get(System.getProperty("sparkmlp.data.dir", "../shared/data"));
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("reference data folder " + p.toAbsolutePath()
          + " not found (set -Dsparkmlp.data.dir)");
    }
    return p;
  }
}
