package io.sparkmlp.trainer;

import io.sparkmlp.model.Decision;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Workspace;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import scala.runtime.AbstractFunction2;

/**
 * The functions each partition runs: one training step's partial sums, and an evaluation pass.
 * A task's result is a pure function of the broadcast weights, the step and its partition's block,
 * so a retried task returns exactly the same bits.
 */
final class PartitionTasks {
  private PartitionTasks() {}

  /**
   * One training step over a partition, as a named {@code scala.Function2} for
   * {@link TreeSum#reduce(org.apache.spark.rdd.RDD, scala.Function2, scala.reflect.ClassTag,
   * Function2, int)}.
   *
   * <p>Why a named class and not a lambda: every {@code SparkContext.runJob}/{@code mapPartitions}
   * call runs Spark's ClosureCleaner on its function, and for lambdas (the Java API's Scala
   * wrappers included) that means re-reading and ASM-parsing class files from the jars and a trial
   * Java serialization, on every step. Profiling showed this to be the largest single CPU cost on
   * the driver per step. ClosureCleaner returns at once for an ordinary class.
   *
   * <p>The weights travel either inline (small models: they are then part of the task binary,
   * which Spark broadcasts once per job anyway, so the step saves a broadcast, its destroy and a
   * block-manager round trip per task) or through {@code weights} (large models, destroyed by the
   * caller after the step).
   */
  static final class Step extends AbstractFunction2<TaskContext, scala.collection.Iterator<PackedBlock>,
      PartialSums> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String runId;
    private final NetworkSpec spec;
    private final float[] inlineWeights;
    private final Broadcast<float[]> weights;
    private final long seed;
    private final int epoch;
    private final int step;
    private final int stepsPerEpoch;
    private final int chunk;
    private final boolean sparse;

    /**
     * Exactly one of {@code inlineWeights} and {@code weights} is non-null; {@code sparse} when
     * the blocks are CSR.
     */
    Step(String runId, NetworkSpec spec, float[] inlineWeights, Broadcast<float[]> weights,
        long seed, int epoch, int step, int stepsPerEpoch, int chunk, boolean sparse) {
      if ((inlineWeights == null) == (weights == null)) {
        throw new IllegalArgumentException("exactly one of inline weights and broadcast needed");
      }
      this.runId = runId;
      this.spec = spec;
      this.inlineWeights = inlineWeights;
      this.weights = weights;
      this.seed = seed;
      this.epoch = epoch;
      this.step = step;
      this.stepsPerEpoch = stepsPerEpoch;
      this.chunk = chunk;
      this.sparse = sparse;
    }

    @Override
    public PartialSums apply(TaskContext ctx, scala.collection.Iterator<PackedBlock> blocks) {
      ExecutorCache.Scratch s = ExecutorCache.scratch(spec, chunk, sparse);
      Arrays.fill(s.grad, 0f);
      float[] w = inlineWeights != null ? inlineWeights : weights.value();
      int partition = ctx.partitionId();
      double loss = 0;
      long count = 0;
      while (blocks.hasNext()) {
        PackedBlock b = blocks.next();
        if (b.rows() == 0) {
          continue;
        }
        EpochPlan plan = ExecutorCache.plan(runId, partition, b, seed, epoch, stepsPerEpoch);
        int from = plan.from(step);
        int to = plan.to(step);
        for (int i = from; i < to; i += chunk) {
          int n = Math.min(chunk, to - i);
          loss += b.isSparse()
              ? s.mlp.lossAndGradientGatherSparse(w, b.rowPtr(), b.colIdx(), b.values(),
                  b.labels(), plan.order(), i, n, s.grad, s.ws)
              : s.mlp.lossAndGradientGather(w, b.features(), b.labels(), plan.order(), i, n,
                  s.grad, s.ws);
        }
        count += to - from;
      }
      // s.grad is reused by this thread's next task; Spark serializes the result first
      return new PartialSums(s.grad, loss, count);
    }
  }

  /** Evaluation function: (partition, blocks) -> one {@link EvalSums}. */
  static Function2<Integer, Iterator<PackedBlock>, Iterator<EvalSums>> evaluate(
      NetworkSpec spec, Broadcast<float[]> weights, int chunk, boolean sparse) {
    return (partition, blocks) -> {
      ExecutorCache.Scratch s = ExecutorCache.scratch(spec, chunk, sparse);
      float[] w = weights.value();
      EvalSums sums = new EvalSums();
      while (blocks.hasNext()) {
        PackedBlock b = blocks.next();
        evaluateBlock(s.mlp, w, b, s.ws, sums);
      }
      return Collections.singletonList(sums).iterator();
    };
  }

  /**
   * Adds the statistics of a whole block, scored in chunks, into {@code sums}; decisions follow
   * {@link Decision}.
   */
  static void evaluateBlock(Mlp mlp, float[] w, PackedBlock b, Workspace ws, EvalSums sums) {
    NetworkSpec spec = mlp.spec();
    int k = spec.outputWidth();
    int lw = spec.labelWidth();
    float[] y = b.labels();
    Mlp.Outputs sink = (first, n, out) -> {
      for (int r = 0; r < n; r++) {
        int yo = (first + r) * lw;
        switch (spec.task()) {
          case BINARY -> sums.decide(Decision.positive(out[r]) == (y[yo] == 1f));
          case MULTICLASS -> sums.decide(Decision.predictedClass(out, r * k, k) == (int) y[yo]);
          case MULTILABEL -> {
            for (int j = 0; j < k; j++) {
              sums.decide(Decision.positive(out[r * k + j]) == (y[yo + j] == 1f));
            }
          }
          case REGRESSION -> {
            for (int j = 0; j < k; j++) {
              double d = out[r * k + j] - y[yo + j];
              sums.squaredError += d * d;
              sums.targets++;
            }
          }
          default -> throw new IllegalStateException(spec.task().name());
        }
      }
      sums.count += n;
    };
    sums.loss += b.isSparse()
        ? mlp.lossSparse(w, b.rowPtr(), b.colIdx(), b.values(), y, 0, b.rows(), ws, sink)
        : mlp.loss(w, b.features(), 0, y, 0, b.rows(), ws, sink);
  }
}
