package io.sparkmlp.trainer;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext$;
import org.apache.spark.SparkEnv;

/**
 * In-JVM hand-off of a synchronous step's weights and partial sums when the tasks run inside the
 * driver's JVM (Spark local mode: {@code local}, {@code local[N]}, {@code local[*]}).
 *
 * <p>Spark serializes every task result even in local mode: the gradient is written by Kryo, wrapped
 * by Java serialization into a {@code DirectTaskResult}, and read back through an
 * {@code ObjectInputStream} on the driver, about ten copies of P floats per partition and step; and
 * a broadcast is serialized into torrent pieces although no other JVM reads it. Those copies are
 * most of a step's fixed cost at 0.5M-10M parameters (BENCHMARKS.md (c)). Here the driver puts the
 * step's weights under the step's key, each task reads them from this JVM, puts a copy of its
 * partial sums under the step's key and its partition, and returns a placeholder of a few bytes
 * ({@link #isPlaceholder}); the driver replaces the placeholders, in partition order, before the
 * ordered sum. The values are the ones the serialized path carries, so the result is bitwise the
 * same; only the transport changes.
 *
 * <p>Tasks check that they run in the driver's JVM ({@link #inDriverJvm}) and otherwise ship their
 * result the usual way; the driver only uses the exchange for a local master and a depth-1
 * reduction (deeper trees shuffle the partial sums). Entries live for one step: the driver removes
 * the step's weights and any result left by a failed attempt when the step ends.
 */
final class LocalExchange {
  private LocalExchange() {}

  private static final ConcurrentHashMap<String, Object> SLOTS = new ConcurrentHashMap<>();

  /** Whether the calling task runs in the driver's JVM (its executor is the driver). */
  static boolean inDriverJvm() {
    SparkEnv env = SparkEnv.get();
    return env != null && SparkContext$.MODULE$.DRIVER_IDENTIFIER().equals(env.executorId());
  }

  /** The step's weights: a float[] or, for bfloat16 transfer, a short[]. */
  static void putWeights(String stepKey, Object weights) {
    SLOTS.put(stepKey + "/w", weights);
  }

  /**
   * The weights the driver put for the step.
   *
   * @throws IllegalStateException if there are none (the task does not run in the driver's JVM)
   */
  static Object weights(String stepKey) {
    Object w = SLOTS.get(stepKey + "/w");
    if (w == null) {
      throw new IllegalStateException("no weights for step " + stepKey + " in this JVM");
    }
    return w;
  }

  /** A task's result for the step; a retried attempt replaces it. */
  static void putResult(String stepKey, int partition, PartialSums result) {
    SLOTS.put(stepKey + "/r" + partition, result);
  }

  /**
   * What a task returns for {@code result}: itself without an exchange key; with one, the result
   * is put here and a {@link #placeholder} returned.
   */
  static PartialSums handOver(String stepKey, int partition, PartialSums result) {
    if (stepKey == null) {
      return result;
    }
    putResult(stepKey, partition, result);
    return placeholder(result);
  }

  /** What a task returns in place of a result it put here: no gradient, the sums only. */
  static PartialSums placeholder(PartialSums result) {
    return new PartialSums(EMPTY, result.loss, result.count, result.weightSum);
  }

  /** Whether {@code p} is a {@link #placeholder} (a gradient of length 0). */
  static boolean isPlaceholder(PartialSums p) {
    return p.length() == 0;
  }

  /**
   * Replaces, in place, every placeholder of {@code parts} (indexed by partition) with the result
   * its task put here, and returns {@code parts}.
   *
   * @throws IllegalStateException if a placeholder's result is missing
   */
  static PartialSums[] resolve(String stepKey, PartialSums[] parts) {
    for (int p = 0; p < parts.length; p++) {
      if (isPlaceholder(parts[p])) {
        Object r = SLOTS.remove(stepKey + "/r" + p);
        if (!(r instanceof PartialSums sums)) {
          throw new IllegalStateException("partition " + p + " of step " + stepKey
              + " returned a placeholder but left no result in this JVM");
        }
        parts[p] = sums;
      }
    }
    return parts;
  }

  /** Removes the step's weights and any result still held for {@code partitions} partitions. */
  static void clear(String stepKey, int partitions) {
    SLOTS.remove(stepKey + "/w");
    for (int p = 0; p < partitions; p++) {
      SLOTS.remove(stepKey + "/r" + p);
    }
  }

  /** Entries held (for tests: 0 between steps). */
  static int size() {
    return SLOTS.size();
  }

  private static final float[] EMPTY = new float[0];
}
