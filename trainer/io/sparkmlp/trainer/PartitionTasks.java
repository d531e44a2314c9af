package io.sparkmlp.trainer;

import io.sparkmlp.model.Bfloat16;
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
   *
   * <p>With {@link TransferPrecision#BFLOAT16} the weights arrive as bfloat16 ({@code short[]},
   * inline or broadcast): the task widens them exactly into its thread's float buffer, computes
   * the gradient at those weights in float32 as usual, and returns the gradient sum rounded to
   * bfloat16 ({@link PartialSums#packed}). Both conversions are pure functions of their inputs, so
   * a retried task still returns the same bits.
   */
  static final class Step extends AbstractFunction2<TaskContext, scala.collection.Iterator<PackedBlock>,
      PartialSums> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final RoundWork work;
    private final float[] inlineWeights;
    private final Broadcast<float[]> weights;
    /** Inline bfloat16 weights ({@link TransferPrecision#BFLOAT16}), or null. */
    private final short[] inlinePacked;
    /** Broadcast bfloat16 weights ({@link TransferPrecision#BFLOAT16}), or null. */
    private final Broadcast<short[]> packedWeights;
    private final int step;
    /** The step's {@link LocalExchange} key (weights and results stay in this JVM), or null. */
    private final String exchangeKey;

    /**
     * Exactly one of {@code inlineWeights}, {@code weights}, {@code inlinePacked},
     * {@code packedWeights} and {@code exchangeKey} is non-null: float32 weights ship float32
     * gradient sums back, bfloat16 weights bfloat16 ones; with {@code exchangeKey} the weights
     * (either kind) and the results pass through {@link LocalExchange}.
     *
     * @param work what the epoch's steps compute on a partition
     * @param step the step's index in the epoch
     */
    Step(RoundWork work, float[] inlineWeights, Broadcast<float[]> weights, short[] inlinePacked,
        Broadcast<short[]> packedWeights, String exchangeKey, int step) {
      int given = (inlineWeights != null ? 1 : 0) + (weights != null ? 1 : 0)
          + (inlinePacked != null ? 1 : 0) + (packedWeights != null ? 1 : 0)
          + (exchangeKey != null ? 1 : 0);
      if (given != 1) {
        throw new IllegalArgumentException("exactly one of inline weights, broadcast and "
            + "exchange key needed");
      }
      this.work = work;
      this.exchangeKey = exchangeKey;
      this.inlineWeights = inlineWeights;
      this.weights = weights;
      this.inlinePacked = inlinePacked;
      this.packedWeights = packedWeights;
      this.step = step;
    }

    @Override
    public PartialSums apply(TaskContext ctx, scala.collection.Iterator<PackedBlock> blocks) {
      ExecutorCache.Scratch s = work.scratch();
      Object exchanged = exchangeKey != null ? LocalExchange.weights(exchangeKey) : null;
      boolean packed = inlinePacked != null || packedWeights != null
          || exchanged instanceof short[];
      float[] w;
      if (packed) {
        short[] h = exchanged instanceof short[] e ? e
            : inlinePacked != null ? inlinePacked : packedWeights.value();
        if (h.length != s.grad.length) {
          throw new IllegalStateException("shipped weights have " + h.length
              + " parameters, the network " + s.grad.length);
        }
        w = s.widenedWeights();
        Bfloat16.widen(h, h.length, w); // exact: every bfloat16 is a float
      } else {
        w = exchanged instanceof float[] e ? e
            : inlineWeights != null ? inlineWeights : weights.value();
      }
      int partition = ctx.partitionId();
      PartialSums sum = work.step(work.hold(partition, blocks), w, step);
      // s.grad (sum.grad, and the packed buffer) is reused by this thread's next task; Spark
      // serializes the result first, and the exchange holds a copy
      PartialSums result;
      if (packed) {
        short[] out = s.packedGrad();
        Bfloat16.round(sum.grad, sum.grad.length, out);
        result = PartialSums.packed(exchangeKey != null ? out.clone() : out, sum.loss, sum.count,
            sum.weightSum);
      } else {
        result = new PartialSums(exchangeKey != null ? sum.grad.clone() : sum.grad, sum.loss,
            sum.count, sum.weightSum);
      }
      return LocalExchange.handOver(exchangeKey, partition, result);
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
    private final RoundWork work;
    private final RoundStart inlineStart;
    private final Broadcast<RoundStart> start;
    private final int firstStep;
    private final int steps;
    /** The round's {@link LocalExchange} key (start and results stay in this JVM), or null. */
    private final String exchangeKey;

    /**
     * Exactly one of {@code inlineStart}, {@code start} and {@code exchangeKey} is non-null (with
     * {@code exchangeKey} the start and the results pass through {@link LocalExchange}).
     */
    LocalRound(RoundWork work, RoundStart inlineStart, Broadcast<RoundStart> start,
        String exchangeKey, int firstStep, int steps) {
      if ((inlineStart != null ? 1 : 0) + (start != null ? 1 : 0)
          + (exchangeKey != null ? 1 : 0) != 1) {
        throw new IllegalArgumentException("exactly one of inline start, broadcast and exchange "
            + "key needed");
      }
      this.work = work;
      this.exchangeKey = exchangeKey;
      this.inlineStart = inlineStart;
      this.start = start;
      this.firstStep = firstStep;
      this.steps = steps;
    }

    @Override
    public PartialSums apply(TaskContext ctx, scala.collection.Iterator<PackedBlock> blocks) {
      RoundStart st = exchangeKey != null ? (RoundStart) LocalExchange.weights(exchangeKey)
          : inlineStart != null ? inlineStart : start.value();
      int partition = ctx.partitionId();
      RoundWork.Held held = work.hold(partition, blocks);
      return LocalExchange.handOver(exchangeKey, partition,
          work.run(held, st, firstStep, steps));
    }
  }

  /**
   * What every synchronous step or local-SGD round of one epoch computes on a partition, whatever
   * carries its weights and result ({@link Step} and {@link LocalRound}: a Spark job each;
   * {@link DirectRounds}: a socket per epoch): the network, the inner optimizer, the epoch's
   * global schedule and the class weights.
   */
  static final class RoundWork implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String runId;
    private final NetworkSpec spec;
    private final OptimConfig optim;
    private final long totalSteps;
    private final long seed;
    private final int epoch;
    private final int stepsPerEpoch;
    private final int chunk;
    /** [K] loss weight of each class, or null. */
    private final float[] classWeights;
    /** True when the blocks are CSR. */
    private final boolean sparse;

    RoundWork(String runId, NetworkSpec spec, OptimConfig optim, long totalSteps, long seed,
        int epoch, int stepsPerEpoch, int chunk, float[] classWeights, boolean sparse) {
      this.runId = runId;
      this.spec = spec;
      this.optim = optim;
      this.totalSteps = totalSteps;
      this.seed = seed;
      this.epoch = epoch;
      this.stepsPerEpoch = stepsPerEpoch;
      this.chunk = chunk;
      this.classWeights = classWeights;
      this.sparse = sparse;
    }

    int epoch() {
      return epoch;
    }

    /** A partition's non-empty blocks and their epoch plans. */
    record Held(List<PackedBlock> blocks, List<EpochPlan> plans) {}

    /** This thread's scratch buffers for the network, chunk size and input kind. */
    ExecutorCache.Scratch scratch() {
      return ExecutorCache.scratch(spec, chunk, sparse);
    }

    /** Drains the partition's blocks, keeping those with rows, with this epoch's plans. */
    Held hold(int partition, scala.collection.Iterator<PackedBlock> blocks) {
      List<PackedBlock> held = new ArrayList<>(1);
      List<EpochPlan> plans = new ArrayList<>(1);
      while (blocks.hasNext()) {
        PackedBlock b = blocks.next();
        if (b.rows() > 0) {
          held.add(b);
          plans.add(ExecutorCache.plan(runId, partition, b, seed, epoch, stepsPerEpoch));
        }
      }
      return new Held(held, plans);
    }

    /**
     * The float32 gradient sum of synchronous step {@code step} of the epoch at weights {@code w}
     * over the partition's blocks: what {@link Step} returns for float32 weights.
     */
    PartialSums step(Held h, float[] w, int step) {
      ExecutorCache.Scratch s = scratch();
      if (w.length != s.grad.length) {
        throw new IllegalStateException("shipped weights have " + w.length
            + " parameters, the network " + s.grad.length);
      }
      Arrays.fill(s.grad, 0f);
      double[] sums = gradientSum(s, spec, w, h.blocks(), h.plans(), seed, epoch, step, chunk,
          classWeights, 0);
      return new PartialSums(s.grad, sums[0], (long) sums[1], sums[2]);
    }

    /**
     * The round of {@code steps} local steps from step {@code firstStep} of the epoch, from
     * {@code st}: W times the final weights and slots (W the round's summed row weight), the
     * summed loss, rows and W.
     */
    PartialSums run(Held h, RoundStart st, int firstStep, int steps) {
      ExecutorCache.Scratch s = scratch();
      int n = s.grad.length;
      if (st.paramCount() != n) {
        throw new IllegalStateException("round start has " + st.paramCount()
            + " parameters, the network " + n);
      }
      Updater u = s.updater(optim, totalSteps);
      st.restoreInto(u, optim.optimizer(), st.values, st.step);
      float[] w = Arrays.copyOf(st.values, n); // the local weights; the start stays untouched
      List<PackedBlock> held = h.blocks();
      List<EpochPlan> plans = h.plans();
      double loss = 0;
      long count = 0;
      double weightSum = 0;
      float[] g = s.grad;
      for (int j = 0; j < steps; j++) {
        int step = firstStep + j;
        // the same rows, dropout masks and row weights as the synchronous step of this global
        // step
        Arrays.fill(g, 0f);
        double[] sums = gradientSum(s, spec, w, held, plans, seed, epoch, step, chunk,
            classWeights, loss);
        loss = sums[0];
        int rows = (int) sums[1];
        double stepWeight = sums[2];
        if (rows == 0 || stepWeight <= 0) {
          u.skipStep();
          continue;
        }
        // the mean gradient over this partition's rows of the step (divided by their summed
        // weight, the row count when unweighted), as the driver forms it
        float inv = (float) (1.0 / stepWeight);
        for (int i = 0; i < n; i++) {
          g[i] *= inv;
        }
        u.apply(w, g);
        count += rows;
        weightSum += stepWeight;
      }
      // out = W * [w | slots] with W the round's summed row weight (its row count when
      // unweighted): additive, so the ordered reduction sums them and the driver divides by W
      float[] out = new float[st.values.length];
      if (count > 0) {
        float c = (float) weightSum;
        for (int i = 0; i < n; i++) {
          out[i] = c * w[i];
        }
        for (int k = 0; k < st.slotNames.length; k++) {
          float[] v = u.slotView(st.slotNames[k]); // read only, before the updater is reused
          int o = (k + 1) * n;
          for (int i = 0; i < n; i++) {
            out[o + i] = c * v[i];
          }
        }
      }
      return new PartialSums(out, loss, count, weightSum);
    }
  }

  /**
   * The gradient of step {@code step} of the epoch over a partition's non-empty blocks (each with
   * its epoch plan), added into {@code s.grad}: the one body of a synchronous step's task (a
   * Spark job's {@link Step} or the direct exchange's {@link RoundWork#step}) and of each local
   * step of a round ({@link RoundWork#run}).
   *
   * @param w        [P] the weights
   * @param lossSoFar the loss the chunks' losses are added to, in order (a local-SGD round sums
   *                  its steps' losses in one accumulator)
   * @return {lossSoFar + summed weighted loss, rows, summed row weight}
   */
  static double[] gradientSum(ExecutorCache.Scratch s, NetworkSpec spec, float[] w,
      List<PackedBlock> held, List<EpochPlan> plans, long seed, int epoch, int step, int chunk,
      float[] classWeights, double lossSoFar) {
    double loss = lossSoFar;
    long count = 0;
    double weightSum = 0;
    // dropout masks are keyed by (seed, epoch, step) and each row's content hash, never by the
    // row's position, so they are the same in any partitioning, retry or resume
    boolean dropout = spec.hasDropout();
    long stepKey = Dropout.stepKey(seed, epoch, step);
    for (int k = 0; k < held.size(); k++) {
      PackedBlock b = held.get(k);
      EpochPlan plan = plans.get(k);
      int from = plan.from(step);
      int to = plan.to(step);
      boolean weighted = b.weights() != null || classWeights != null;
      for (int i = from; i < to; i += chunk) {
        int n = Math.min(chunk, to - i);
        if (weighted) {
          weightSum += gatherWeights(b, plan.order(), i, n, classWeights, s.w);
        }
        loss += chunkGradient(s, w, b, dropout, plan.order(), i, n, stepKey,
            weighted ? s.w : null, s.grad);
      }
      count += to - from;
      if (!weighted) {
        weightSum += to - from;
      }
    }
    return new double[] {loss, count, weightSum};
  }

  /**
   * Forward and backward of one training chunk, the rows {@code order[from .. from+n)} of block
   * {@code b} (n at most the workspace capacity), dense or CSR: the gradient of the weighted loss
   * with the step's dropout masks is added into {@code grad}. The one gradient call of
   * {@link Step} and {@link LocalRound}, so both train on the same bits.
   *
   * @param dropout true when the spec has dropout: the rows' content hashes key their masks
   * @param stepKey {@link Dropout#stepKey} of the global step
   * @param rowW    [n] the rows' loss weights in gather order ({@link #gatherWeights}), or null
   *                for all ones
   * @return the summed weighted loss of the chunk
   */
  static double chunkGradient(ExecutorCache.Scratch s, float[] params, PackedBlock b,
      boolean dropout, int[] order, int from, int n, long stepKey, float[] rowW, float[] grad) {
    long[] keys = dropout ? b.rowHashes() : null;
    return b.isSparse()
        ? s.mlp.lossAndGradientGatherSparse(params, b.rowPtr(), b.colIdx(), b.values(),
            b.labels(), keys, order, from, n, stepKey, rowW, 0, grad, s.ws)
        : s.mlp.lossAndGradientGather(params, b.features(), b.labels(), keys, order, from, n,
            stepKey, rowW, 0, grad, s.ws);
  }

  /**
   * The loss weight of each of the n rows {@code order[from .. from+n)} of a block into
   * {@code out[0..n)}: w = sample weight (1 without) x weight of the row's class (1 without).
   *
   * @param classWeights [K] per class index, or null
   * @return the summed weights
   */
  static double gatherWeights(PackedBlock b, int[] order, int from, int n, float[] classWeights,
      float[] out) {
    float[] sw = b.weights();
    float[] y = b.labels();
    int lw = b.labelWidth();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      int r = order == null ? from + i : order[from + i];
      float wr = sw == null ? 1f : sw[r];
      if (classWeights != null) {
        wr *= classWeights[(int) y[r * lw]];
      }
      out[i] = wr;
      sum += wr;
    }
    return sum;
  }

  /**
   * Evaluation function: (partition, blocks) -> one {@link EvalSums}.
   *
   * @param classWeights [K] per class index (weighing the loss only), or null
   */
  static Function2<Integer, Iterator<PackedBlock>, Iterator<EvalSums>> evaluate(
      NetworkSpec spec, Broadcast<float[]> weights, int chunk, float[] classWeights,
      boolean sparse) {
    return (partition, blocks) -> {
      ExecutorCache.Scratch s = ExecutorCache.scratch(spec, chunk, sparse);
      float[] w = weights.value();
      EvalSums sums = new EvalSums();
      while (blocks.hasNext()) {
        PackedBlock b = blocks.next();
        evaluateBlock(s.mlp, w, b, s.ws, sums, classWeights);
      }
      return Collections.singletonList(sums).iterator();
    };
  }

  /**
   * Adds the statistics of a whole block, scored in chunks, into {@code sums}; decisions follow
   * {@link Decision}. The loss weighs each row by its sample weight times its class weight (as in
   * training); accuracy and squared error by its sample weight.
   *
   * @param classWeights [K] per class index, or null
   */
  static void evaluateBlock(Mlp mlp, float[] w, PackedBlock b, Workspace ws, EvalSums sums,
      float[] classWeights) {
    NetworkSpec spec = mlp.spec();
    int k = spec.outputWidth();
    int lw = spec.labelWidth();
    float[] y = b.labels();
    float[] sw = b.weights();
    float[] lossW = null;
    if (sw != null || classWeights != null) {
      lossW = new float[b.rows()];
      sums.lossWeight += gatherWeights(b, null, 0, b.rows(), classWeights, lossW);
    } else {
      sums.lossWeight += b.rows();
    }
    Mlp.Outputs sink = (first, n, out) -> {
      for (int r = 0; r < n; r++) {
        int yo = (first + r) * lw;
        double wr = sw == null ? 1.0 : sw[first + r];
        switch (spec.task()) {
          case BINARY -> sums.decide(Decision.positive(out[r]) == (y[yo] == 1f), wr);
          case MULTICLASS ->
              sums.decide(Decision.predictedClass(out, r * k, k) == (int) y[yo], wr);
          case MULTILABEL -> {
            for (int j = 0; j < k; j++) {
              sums.decide(Decision.positive(out[r * k + j]) == (y[yo + j] == 1f), wr);
            }
          }
          case REGRESSION, AUTOENCODER -> {
            for (int j = 0; j < k; j++) {
              double d = out[r * k + j] - y[yo + j];
              sums.squaredError += wr * (d * d);
              sums.targets++;
              sums.targetWeight += wr;
            }
          }
          default -> throw new IllegalStateException(spec.task().name());
        }
      }
      sums.count += n;
    };
    sums.loss += b.isSparse()
        ? mlp.lossSparse(w, b.rowPtr(), b.colIdx(), b.values(), y, 0, lossW, 0, b.rows(), ws,
            sink)
        : mlp.loss(w, b.features(), 0, y, 0, lossW, 0, b.rows(), ws, sink);
  }
}
