package io.sparkmlp.trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.rdd.RDD;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.Tuple2;

/**
 * Deterministic tree reduction of one value per partition.
 *
 * <p>Spark's {@code treeAggregate}/{@code reduce} merge partial results in the order tasks finish,
 * so float sums would change from run to run. Here every level groups consecutive partition
 * indices, sums each group in index order, and the driver adds the last level in index order: the
 * result depends only on the values, never on timing. Depth 1 sends every partition's value to the
 * driver; depth d uses d - 1 shuffle levels of fan-in ceil(n^(1/d)).
 */
public final class TreeSum {
  private TreeSum() {}

  /** Automatic depth: 1 up to 16 partitions, 2 up to 1024, then 3. */
  public static int autoDepth(int partitions) {
    return partitions <= 16 ? 1 : partitions <= 1024 ? 2 : 3;
  }

  /**
   * Reduces an RDD holding exactly one value per partition.
   *
   * @param add   an associative in-place combiner (returns its first argument, updated)
   * @param depth reduction depth, 0 for {@link #autoDepth}
   */
  public static <T> T reduce(JavaRDD<T> perPartition, Function2<T, T, T> add, int depth)
      throws Exception {
    int n = perPartition.getNumPartitions();
    int d = depth > 0 ? depth : autoDepth(n);
    JavaPairRDD<Integer, T> level = perPartition.mapPartitionsWithIndex(
        (Integer i, Iterator<T> it) -> {
          List<Tuple2<Integer, T>> out = new ArrayList<>(1);
          while (it.hasNext()) {
            out.add(new Tuple2<>(i, it.next()));
          }
          return out.iterator();
        }, true).mapToPair(t -> t);
    int width = n;
    for (int l = d; l > 1 && width > 1; l--) {
      final int fanIn = (int) Math.ceil(Math.pow(width, 1.0 / l));
      final int groups = (width + fanIn - 1) / fanIn;
      level = level.mapToPair(t -> new Tuple2<>(t._1() / fanIn, t))
          .groupByKey(new HashPartitioner(groups))
          .mapToPair(g -> new Tuple2<>(g._1(), sumInOrder(g._2(), add)));
      width = groups;
    }
    List<Tuple2<Integer, T>> top = new ArrayList<>(level.collect());
    top.sort((a, b) -> Integer.compare(a._1(), b._1()));
    T acc = null;
    for (Tuple2<Integer, T> t : top) {
      acc = acc == null ? t._2() : add.call(acc, t._2());
    }
    if (acc == null) {
      throw new IllegalStateException("nothing to reduce: the RDD has no partitions");
    }
    return acc;
  }

  /**
   * Computes one value per partition of {@code source} with {@code perPartition} and reduces them
   * like {@link #reduce(JavaRDD, Function2, int)}.
   *
   * <p>At depth 1 (up to 16 partitions by default) this is a single {@code SparkContext.runJob} on
   * {@code source} itself: no new RDD per call, and runJob returns the values indexed by partition
   * whatever the order tasks finish in, so adding them in index order is deterministic. Pass a named
   * function class, not a lambda, so that Spark's ClosureCleaner skips it (see
   * {@link PartitionTasks.Step}). Deeper trees use the shuffle levels of the other overload.
   */
  public static <S, T> T reduce(RDD<S> source,
      scala.Function2<TaskContext, scala.collection.Iterator<S>, T> perPartition, ClassTag<T> type,
      Function2<T, T, T> add, int depth) throws Exception {
    return reduce(source, perPartition, type, add, null, depth);
  }

  /**
   * Like {@link #reduce(RDD, scala.Function2, ClassTag, Function2, int)}; at depth 1 the driver
   * adds the partitions' values with {@code sumInOrder} (values in partition order; it must give
   * what adding them one by one with {@code add} gives, e.g. {@link PartialSums#sumInOrder}, which
   * uses two threads), or with {@code add} if it is null.
   */
  public static <S, T> T reduce(RDD<S> source,
      scala.Function2<TaskContext, scala.collection.Iterator<S>, T> perPartition, ClassTag<T> type,
      Function2<T, T, T> add, java.util.function.Function<T[], T> sumInOrder, int depth)
      throws Exception {
    int n = source.getNumPartitions();
    int d = depth > 0 ? depth : autoDepth(n);
    if (d > 1 && n > 1) {
      JavaRDD<T> values = source.toJavaRDD().mapPartitions(
          it -> Collections.singletonList(perPartition.apply(TaskContext.get(),
              JavaConverters.asScalaIterator(it))).iterator(), true);
      return reduce(values, add, d);
    }
    @SuppressWarnings("unchecked")
    T[] parts = (T[]) source.context().runJob(source, perPartition, type);
    if (sumInOrder != null && parts.length > 0) {
      return sumInOrder.apply(parts);
    }
    T acc = null;
    for (T t : parts) {
      acc = acc == null ? t : add.call(acc, t);
    }
    if (acc == null) {
      throw new IllegalStateException("nothing to reduce: the RDD has no partitions");
    }
    return acc;
  }

  private static <T> T sumInOrder(Iterable<Tuple2<Integer, T>> values, Function2<T, T, T> add)
      throws Exception {
    List<Tuple2<Integer, T>> sorted = new ArrayList<>();
    values.forEach(sorted::add);
    sorted.sort((a, b) -> Integer.compare(a._1(), b._1()));
    T acc = null;
    for (Tuple2<Integer, T> t : sorted) {
      acc = acc == null ? t._2() : add.call(acc, t._2());
    }
    return acc;
  }
}
