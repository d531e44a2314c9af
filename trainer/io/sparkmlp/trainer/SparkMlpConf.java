package io.sparkmlp.trainer;

import org.apache.spark.SparkConf;

/**
 * The Spark settings spark-mlp relies on, applied to a {@link SparkConf} unless the user set them:
 * Kryo with registration required, single-threaded native BLAS in executors (Spark already runs one
 * task per core), the Vector API module so netlib's Java BLAS fallback is vectorized, task results
 * up to the RPC message size sent directly (no second round trip for the gradients of models above
 * 256k parameters), and uncompressed broadcasts (the weights do not compress).
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
    // A step's task result is the 4P-byte gradient sum. Above spark.task.maxDirectResultSize
    // (1 MiB by default: models above 256k parameters) it is not sent with the task's status
    // update but stored in the executor's block manager and fetched by the driver in a second
    // round trip. Spark caps the setting at the RPC message size; one MiB is left for the
    // message's own fields.
    conf.setIfMissing(MAX_DIRECT_RESULT_SIZE, Math.max(1, rpcMessageMaxMiB(conf) - 1) + "m");
    // The weights broadcast every step are float32 values that LZ4 does not shrink: compressing
    // them costs the driver and every task CPU for nothing.
    conf.setIfMissing("spark.broadcast.compress", "false");
    // Local files through Hadoop's raw local file system: the checksummed default names a
    // ".<name>.crc" sibling for every file, which fails on a ':' in a file name ("Relative path
    // in absolute URI"), so one such file broke the read of its whole directory. spark-mlp commits
    // its outputs by rename and needs no checksum files. The cache is off so that this setting
    // wins over a checksummed instance another part of the JVM cached before the session.
    conf.setIfMissing("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    conf.setIfMissing("spark.hadoop.fs.file.impl.disable.cache", "true");
    return conf;
  }

  /** Spark's setting for the largest task result sent with the task's status update. */
  public static final String MAX_DIRECT_RESULT_SIZE = "spark.task.maxDirectResultSize";

  /** {@code spark.rpc.message.maxSize} in MiB (Spark's default 128). */
  static int rpcMessageMaxMiB(SparkConf conf) {
    return conf.getInt("spark.rpc.message.maxSize", 128);
  }

  /**
   * The largest task result, in bytes, that {@code conf}'s executors send with the task's status
   * update: {@code spark.task.maxDirectResultSize} (default 1 MiB), capped by Spark at the RPC
   * message size. Larger results take a second round trip through the block manager.
   */
  public static long directResultBytes(SparkConf conf) {
    long direct = conf.getSizeAsBytes(MAX_DIRECT_RESULT_SIZE, "1m");
    return Math.min(direct, rpcMessageMaxMiB(conf) * 1024L * 1024L);
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
