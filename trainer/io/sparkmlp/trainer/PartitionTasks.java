package io.sparkmlp.trainer;

import io.sparkmlp.model.Decision;
import io.sparkmlp.model.Dropout;
import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Workspace;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.Updater;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import scala.runtime.AbstractFunction2;

/**
 * The functions each partition runs: one training step's partial sums, and an evaluation pass.
 * A task's result is a pure function of the broadcast weights, the step and its partition's block
 * (dropout masks included), so a retried task returns exactly the same bits.
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

    /** Exactly one of {@code inlineWeights} and {@code weights} is non-null. */
    Step(String runId, NetworkSpec spec, float[] inlineWeights, Broadcast<float[]> weights,
        long seed, int epoch, int step, int stepsPerEpoch, int chunk) {
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
    }

    @Override
    public PartialSums apply(TaskContext ctx, scala.collection.Iterator<PackedBlock> blocks) {
      ExecutorCache.Scratch s = ExecutorCache.scratch(spec, chunk);
      Arrays.fill(s.grad, 0f);
      float[] w = inlineWeights != null ? inlineWeights : weights.value();
      int partition = ctx.partitionId();
      double loss = 0;
      long count = 0;
      // dropout masks are keyed by (seed, epoch, step) and each row's content hash, never by the
      // row's position, so they are the same in any partitioning, retry or resume
      boolean dropout = spec.hasDropout();
      long stepKey = Dropout.stepKey(seed, epoch, step);
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
          loss += s.mlp.lossAndGradientGather(w, b.features(), b.labels(),
              dropout ? b.rowHashes() : null, plan.order(), i, n, stepKey, s.grad, s.ws);
        }
        count += to - from;
      }
      // s.grad is reused by this thread's next task; Spark serializes the result first
      return new PartialSums(s.grad, loss, count);
    }
  }

  /**
   * One local-SGD round over a partition ({@link SyncSettings}), as a named {@code scala.Function2}
   * like {@link Step}: starting from the round's global weights and inner optimizer state
   * ({@link RoundStart}), the partition takes {@code steps} local steps, step j on its own rows of
   * global step {@code firstStep + j} of the epoch, each an update of the inner optimizer with the
   * mean gradient over those rows (a step without rows here only advances the schedule). It
   * returns n times its final weights and optimizer slots (n = its rows in the round, in the flat
   * layout of {@link RoundStart}), its summed loss and n, so that the driver's ordered sum divided
   * by the total rows is the row-weighted average.
   *
   * <p>The result is a pure function of the round start, the round's position and the partition's
   * block: a retried or speculative task, or one recomputed after an executor loss, returns the
   * same bits. Nothing of a round stays on the executor (the thread's updater is only a buffer,
   * fully restored at the start of every round).
   */
  static final class LocalRound extends AbstractFunction2<TaskContext,
      scala.collection.Iterator<PackedBlock>, PartialSums> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String runId;
    private final NetworkSpec spec;
    private final OptimConfig optim;
    private final long totalSteps;
    private final RoundStart inlineStart;
    private final Broadcast<RoundStart> start;
    private final long seed;
    private final int epoch;
    private final int firstStep;
    private final int steps;
    private final int stepsPerEpoch;
    private final int chunk;

    /** Exactly one of {@code inlineStart} and {@code start} is non-null. */
    LocalRound(String runId, NetworkSpec spec, OptimConfig optim, long totalSteps,
        RoundStart inlineStart, Broadcast<RoundStart> start, long seed, int epoch, int firstStep,
        int steps, int stepsPerEpoch, int chunk) {
      if ((inlineStart == null) == (start == null)) {
        throw new IllegalArgumentException("exactly one of inline start and broadcast needed");
      }
      this.runId = runId;
      this.spec = spec;
      this.optim = optim;
      this.totalSteps = totalSteps;
      this.inlineStart = inlineStart;
      this.start = start;
      this.seed = seed;
      this.epoch = epoch;
      this.firstStep = firstStep;
      this.steps = steps;
      this.stepsPerEpoch = stepsPerEpoch;
      this.chunk = chunk;
    }

    @Override
    public PartialSums apply(TaskContext ctx, scala.collection.Iterator<PackedBlock> blocks) {
      ExecutorCache.Scratch s = ExecutorCache.scratch(spec, chunk);
      RoundStart st = inlineStart != null ? inlineStart : start.value();
      int n = s.grad.length;
      if (st.paramCount() != n) {
        throw new IllegalStateException("round start has " + st.paramCount()
            + " parameters, the network " + n);
      }
      Updater u = s.updater(optim, totalSteps);
      u.restoreState(st.updaterState(optim.optimizer(), st.values, st.step));
      float[] w = Arrays.copyOf(st.values, n); // the local weights; the start stays untouched
      List<PackedBlock> held = new ArrayList<>(1);
      List<EpochPlan> plans = new ArrayList<>(1);
      int partition = ctx.partitionId();
      while (blocks.hasNext()) {
        PackedBlock b = blocks.next();
        if (b.rows() > 0) {
          held.add(b);
          plans.add(ExecutorCache.plan(runId, partition, b, seed, epoch, stepsPerEpoch));
        }
      }
      double loss = 0;
      long count = 0;
      float[] g = s.grad;
      for (int j = 0; j < steps; j++) {
        int step = firstStep + j;
        Arrays.fill(g, 0f);
        int rows = 0;
        for (int k = 0; k < held.size(); k++) {
          PackedBlock b = held.get(k);
          EpochPlan plan = plans.get(k);
          int from = plan.from(step);
          int to = plan.to(step);
          for (int i = from; i < to; i += chunk) {
            int m = Math.min(chunk, to - i);
            loss += s.mlp.lossAndGradientGather(w, b.features(), b.labels(), plan.order(), i, m,
                g, s.ws);
          }
          rows += to - from;
        }
        if (rows == 0) {
          u.skipStep();
          continue;
        }
        // the mean gradient over this partition's rows of the step, as the driver forms it
        float inv = (float) (1.0 / rows);
        for (int i = 0; i < n; i++) {
          g[i] *= inv;
        }
        u.apply(w, g);
        count += rows;
      }
      // out = count * [w | slots]: additive, so the ordered reduction sums them
      float[] out = new float[st.values.length];
      if (count > 0) {
        float c = (float) count;
        for (int i = 0; i < n; i++) {
          out[i] = c * w[i];
        }
        Map<String, float[]> slots = u.exportState().slots();
        for (int k = 0; k < st.slotNames.length; k++) {
          float[] v = slots.get(st.slotNames[k]);
          int o = (k + 1) * n;
          for (int i = 0; i < n; i++) {
            out[o + i] = c * v[i];
          }
        }
      }
      return new PartialSums(out, loss, count);
    }
  }

  /** Evaluation function: (partition, blocks) -> one {@link EvalSums}. */
  static Function2<Integer, Iterator<PackedBlock>, Iterator<EvalSums>> evaluate(
      NetworkSpec spec, Broadcast<float[]> weights, int chunk) {
    return (partition, blocks) -> {
      ExecutorCache.Scratch s = ExecutorCache.scratch(spec, chunk);
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
    sums.loss += mlp.loss(w, b.features(), 0, y, 0, b.rows(), ws, (first, n, out) -> {
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
    });
  }
}
