package io.sparkmlp.trainer;

import org.apache.spark.SparkConf;

/**
 * The Spark settings spark-mlp relies on, applied to a {@link SparkConf} unless the user set them:
 * Kryo with registration required, single-threaded native BLAS in executors (Spark already runs one
 * task per core), and the Vector API module so netlib's Java BLAS fallback is vectorized.
 */
public final class SparkMlpConf {
  private SparkMlpConf() {}

  /** JVM option that enables the Vector API for netlib's Java BLAS. */
  public static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

  /** Applies the defaults to {@code conf} (keys the user already set are left alone). */
  public static SparkConf apply(SparkConf conf) {
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    conf.setIfMissing("spark.kryo.registrator", SparkMlpKryoRegistrator.class.getName());
    conf.setIfMissing("spark.kryo.registrationRequired", "true");
    conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    conf.setIfMissing("spark.executorEnv.MKL_NUM_THREADS", "1");
    String opts = conf.get("spark.executor.extraJavaOptions", "");
    if (!opts.contains("jdk.incubator.vector")) {
      conf.set("spark.executor.extraJavaOptions", (opts + " " + VECTOR_MODULE).trim());
    }
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    return conf;
  }

  /**
   * Fails with one line when {@code conf} cannot ship spark-mlp's task results: Kryo with
   * {@code spark.kryo.registrationRequired=true} but without {@link SparkMlpKryoRegistrator}. Any
   * other serializer setting works (the shipped classes are also {@link java.io.Serializable}).
   *
   * @throws IllegalStateException naming the setting to add
   */
  public static void requireCompatible(SparkConf conf) {
    boolean kryo = conf.get("spark.serializer", "").contains("KryoSerializer");
    boolean required = conf.getBoolean("spark.kryo.registrationRequired", false);
    String registrators = conf.get("spark.kryo.registrator", "");
    if (kryo && required && !registrators.contains(SparkMlpKryoRegistrator.class.getName())) {
      throw new IllegalStateException("this SparkSession uses Kryo with "
          + "spark.kryo.registrationRequired=true but does not register spark-mlp's classes: set "
          + "spark.kryo.registrator=" + SparkMlpKryoRegistrator.class.getName()
          + (registrators.isEmpty() ? "" : "," + registrators)
          + " (or build the SparkConf with SparkMlpConf.apply)");
    }
  }
}
