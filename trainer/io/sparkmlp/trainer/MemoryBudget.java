package io.sparkmlp.trainer;

import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.optim.OptimizerKind;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;

/**
 * Estimates the memory a training run needs before it allocates it, so that a network or an input
 * too large for the heap fails at once with one line naming the cause, the estimate and the setting
 * to change, instead of an {@link OutOfMemoryError} (or Spark's exit 52) minutes later.
 *
 * <p>With P parameters (4 bytes each), optimizer slots S (0 for SGD, 1 for momentum, Nesterov,
 * Adagrad and RMSProp, 2 for Adam and AdamW), batch B and layer widths w_0..w_L:
 * <ul>
 *   <li>driver: 4P x (4 + S): the parameters, the summed gradient, the best-epoch copy, the
 *       serialized broadcast, and the optimizer's slots;</li>
 *   <li>executor: 4P for the broadcast parameters, and per concurrent task 4P for its partial
 *       gradient plus the scratch of a batch, 4B x (w_1 + ... + w_L) x 2 (activations and their
 *       gradients; the input rows are read in place);</li>
 *   <li>packed data, per task: rows x features x 4 bytes, checked while a partition is packed
 *       ({@link #checkBlock}).</li>
 * </ul>
 * In local mode driver and executor share one heap ({@link Runtime#maxMemory}); on a cluster the
 * executor part is compared with {@code spark.executor.memory}. Spark's reserved 300 MiB are left
 * out of every heap. The estimates are lower bounds: a run that passes may still need more.
 */
public final class MemoryBudget {
  /** Spark's reserved system memory, never available to a job. */
  static final long SPARK_RESERVED = 300L << 20;

  private MemoryBudget() {}

  /** The optimizer's per-parameter state arrays. */
  static int slots(OptimizerKind kind) {
    return switch (kind) {
      case SGD -> 0;
      case MOMENTUM, NESTEROV, ADAGRAD, RMSPROP -> 1;
      case ADAM, ADAMW -> 2;
    };
  }

  /** The parameter count of {@code spec}, as a long (it may exceed an int). */
  static long parameters(NetworkSpec spec) {
    long p = 0;
    for (int l = 0; l < spec.numLayers(); l++) {
      p += (long) spec.fanIn(l) * spec.fanOut(l) + spec.fanOut(l);
    }
    return p;
  }

  /**
   * The setting that sizes the heap of the driver ({@code executor} false) or of an executor:
   * {@code SPARK_MLP_HEAP} for a run through {@code scripts/spark-mlp} (which sets
   * {@code -Dspark.mlp.local=true}: driver and executors share its JVM).
   */
  public static String heapSetting(boolean executor) {
    if (Boolean.getBoolean("spark.mlp.local")) {
      return "SPARK_MLP_HEAP (the heap of scripts/spark-mlp)";
    }
    return executor ? "spark.executor.memory" : "spark.driver.memory (--driver-memory)";
  }

  /**
   * Refuses a network whose parameters, optimizer state and per-task scratch do not fit the
   * driver's or the executors' heap.
   *
   * @param spec            the network
   * @param optimizer       the optimizer (its slots)
   * @param batchSize       rows per step
   * @param local           whether driver and executors share this JVM
   * @param concurrentTasks tasks running at once per executor (local: the local threads)
   * @param conf            the Spark configuration ({@code spark.executor.memory} on a cluster)
   * @throws IllegalArgumentException naming the estimate, the heap and the settings to change
   */
  public static void checkModel(NetworkSpec spec, OptimizerKind optimizer, int batchSize,
      boolean local, int concurrentTasks, SparkConf conf) {
    long p = parameters(spec);
    long widths = 0; // the input rows are read from the packed block, not copied
    for (int l = 0; l < spec.numLayers(); l++) {
      widths += spec.fanOut(l);
    }
    long driver = 4L * p * (4 + slots(optimizer));
    long perTask = 4L * p + 8L * batchSize * widths;
    long executor = 4L * p + concurrentTasks * perTask;
    long driverHeap = Runtime.getRuntime().maxMemory() - SPARK_RESERVED;
    String what = "the network " + spec.describe() + " (" + p + " parameters, " + optimizer
        + ", batch " + batchSize + ")";
    String change = "reduce network.hidden (or the input features) or train.batch-size, or raise ";
    if (local) {
      long need = driver + executor;
      if (need > driverHeap) {
        throw new IllegalArgumentException(what + " needs about " + bytes(need)
            + " of memory (parameters, gradients, optimizer state and the scratch of "
            + concurrentTasks + " tasks) but the heap holds " + bytes(driverHeap) + ": "
            + change + heapSetting(false));
      }
      return;
    }
    if (driver > driverHeap) {
      throw new IllegalArgumentException(what + " needs about " + bytes(driver)
          + " on the driver (parameters, gradients, optimizer state) but its heap holds "
          + bytes(driverHeap) + ": " + change + heapSetting(false));
    }
    long executorHeap = JavaUtils.byteStringAsBytes(conf.get("spark.executor.memory", "1g"))
        - SPARK_RESERVED;
    if (executor > executorHeap) {
      throw new IllegalArgumentException(what + " needs about " + bytes(executor)
          + " per executor (parameters and the gradients and scratch of " + concurrentTasks
          + " tasks) but spark.executor.memory leaves " + bytes(executorHeap) + ": " + change
          + heapSetting(true));
    }
  }

  /**
   * Refuses to grow a packed block past this task's share of the executor heap (the heap over the
   * tasks running at once; the growth copies, so the old and the new arrays count).
   *
   * @param partition       the partition packed, for the message
   * @param rows            rows packed so far
   * @param featureWidth    features per row
   * @param growTo          the floats the block would grow to
   * @param current         the floats it holds now
   * @param concurrentTasks tasks running at once in this JVM
   * @throws IllegalArgumentException naming the sizes and the settings to change
   */
  static void checkBlock(int partition, int rows, int featureWidth, long growTo, long current,
      int concurrentTasks) {
    long need = 4L * (growTo + current);
    long share = (Runtime.getRuntime().maxMemory() - SPARK_RESERVED)
        / Math.max(1, concurrentTasks);
    if (need > share) {
      throw new IllegalArgumentException("partition " + partition + ": packing its rows as "
          + featureWidth + " dense features (4 bytes each) needs more than " + bytes(need)
          + " after " + rows + " rows, over this task's share of the heap (" + bytes(share)
          + " for " + concurrentTasks + " tasks at once): check the feature count (the largest "
          + "LibSVM index, or data.train.num-features), use more partitions "
          + "(data.partitions), or raise " + heapSetting(true));
    }
  }

  /**
   * {@link #checkBlock} for a CSR block: refuses to grow its column and value arrays (4 + 4 bytes
   * per stored non-zero) past this task's share of the executor heap (old and new arrays count).
   *
   * @param partition       the partition packed, for the message
   * @param rows            rows packed so far
   * @param growTo          the non-zeros the block would hold room for
   * @param current         the room it has now
   * @param concurrentTasks tasks running at once in this JVM
   * @throws IllegalArgumentException naming the sizes and the settings to change
   */
  static void checkSparseBlock(int partition, int rows, long growTo, long current,
      int concurrentTasks) {
    long need = 8L * (growTo + current);
    long share = (Runtime.getRuntime().maxMemory() - SPARK_RESERVED)
        / Math.max(1, concurrentTasks);
    if (need > share) {
      throw new IllegalArgumentException("partition " + partition + ": packing its rows as "
          + "sparse features (8 bytes per non-zero) needs more than " + bytes(need) + " after "
          + rows + " rows, over this task's share of the heap (" + bytes(share) + " for "
          + concurrentTasks + " tasks at once): use more partitions (data.partitions), or raise "
          + heapSetting(true));
    }
  }

  /** {@code n} bytes in MiB or GiB with one decimal. */
  static String bytes(long n) {
    double mib = n / (double) (1L << 20);
    return mib >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", mib / 1024)
        : String.format(Locale.ROOT, "%.1f MiB", mib);
  }
}
