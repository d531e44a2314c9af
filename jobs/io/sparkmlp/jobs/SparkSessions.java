package io.sparkmlp.jobs;

import io.sparkmlp.trainer.SparkMlpConf;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the job's SparkSession with spark-mlp's required settings. Under {@code spark-submit} the
 * master comes from spark-submit; a local run ({@code scripts/spark-mlp}, which sets
 * {@code -Dspark.mlp.local=true}) defaults to {@code local[*]}.
 */
public final class SparkSessions {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkSessions.class);

  private SparkSessions() {}

  /**
   * Stops {@code spark} unless it existed before the job started (a caller such as a test or a
   * notebook owns it then).
   */
  public static void release(SparkSession spark, boolean owned) {
    if (owned) {
      spark.stop();
    }
  }

  /** True if no SparkSession is active yet, i.e. the session the job creates is its own. */
  public static boolean noneActive() {
    return SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
  }

  /** A session named {@code appName}, with an optional master and extra Spark settings. */
  public static SparkSession create(String appName, Optional<String> master,
      Map<String, String> extra) {
    SparkConf conf = new SparkConf().setAppName(appName);
    extra.forEach(conf::set);
    if (master.isPresent()) {
      conf.setMaster(master.get());
    } else if (!conf.contains("spark.master") && Boolean.getBoolean("spark.mlp.local")) {
      conf.setMaster("local[*]");
    }
    if (conf.get("spark.master", "").startsWith("local")) {
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.sql.shuffle.partitions", "8");
    }
    SparkMlpConf.apply(conf);
    requireLocalHeap(conf);
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    scala.Option<String> ui = spark.sparkContext().uiWebUrl();
    if (ui.isDefined()) {
      LOG.info("Spark UI: {}", ui.get());
    }
    return spark;
  }

  /** Spark's minimum heap for a local driver: 1.5 x its 300 MiB reserved memory. */
  static final long SPARK_MIN_HEAP = 450L << 20;

  /**
   * A local Spark refuses a heap under 450 MiB with advice about {@code --driver-memory}, which a
   * run through {@code scripts/spark-mlp} does not have: say which setting sizes its heap instead.
   */
  static void requireLocalHeap(SparkConf conf) {
    long heap = Runtime.getRuntime().maxMemory();
    if (Boolean.getBoolean("spark.mlp.local") && conf.get("spark.master", "").startsWith("local")
        && !conf.contains("spark.testing.memory") && SparkSession.getActiveSession().isEmpty()
        && heap < SPARK_MIN_HEAP) {
      throw new IllegalStateException("the JVM heap (" + (heap >> 20) + " MiB) is below the "
          + (SPARK_MIN_HEAP >> 20) + " MiB Spark needs: raise SPARK_MLP_HEAP (e.g. "
          + "SPARK_MLP_HEAP=4g scripts/spark-mlp ...)");
    }
  }

  /**
   * Where the job will run, for its first line: the master given to the job, else the one
   * spark-submit passed, else {@code local[*]} for a local run.
   */
  public static String describeMaster(Optional<String> master) {
    if (master.isPresent()) {
      return "master " + master.get();
    }
    String submitted = System.getProperty("spark.master");
    if (submitted != null) {
      return "master " + submitted;
    }
    return Boolean.getBoolean("spark.mlp.local") ? "master local[*]"
        : "master from the environment";
  }
}
