package io.sparkmlp.trainer;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.RDDBlockId;

/**
 * Where the cached training blocks live: how many partitions each executor holds.
 *
 * <p>A step's task prefers the executor caching its block (locality). If the blocks were packed
 * while only some executors had registered, they all sit on those executors, and every step runs
 * its tasks one after another there while the others idle. The trainer logs this placement and
 * warns when some executors hold no block (set {@code spark.scheduler.minRegisteredResourcesRatio}
 * to 1.0 so that the application waits for its executors; {@code conf/spark-defaults.conf} does).
 */
final class BlockPlacement {
  private BlockPlacement() {}

  /**
   * Blocks per executor id for the cached partitions of {@code blocks} (an executor holding a
   * replica counts once per block); a partition whose block is not cached counts under "none".
   */
  static Map<String, Integer> of(JavaRDD<?> blocks) {
    int n = blocks.getNumPartitions();
    BlockId[] ids = new BlockId[n];
    for (int p = 0; p < n; p++) {
      ids[p] = new RDDBlockId(blocks.id(), p);
    }
    scala.collection.IndexedSeq<scala.collection.Seq<BlockManagerId>> locs =
        SparkEnv.get().blockManager().master().getLocations(ids);
    Map<String, Integer> perExecutor = new TreeMap<>();
    for (int p = 0; p < n; p++) {
      scala.collection.Seq<BlockManagerId> l = locs.apply(p);
      if (l.isEmpty()) {
        perExecutor.merge("none", 1, Integer::sum);
      }
      scala.collection.Iterator<BlockManagerId> it = l.iterator();
      while (it.hasNext()) {
        perExecutor.merge(it.next().executorId(), 1, Integer::sum);
      }
    }
    return perExecutor;
  }

  /** Executors registered with the driver (the driver itself excluded outside local mode). */
  static int executors(org.apache.spark.SparkContext sc) {
    int n = sc.getExecutorMemoryStatus().size();
    return sc.isLocal() ? n : Math.max(0, n - 1);
  }
}
