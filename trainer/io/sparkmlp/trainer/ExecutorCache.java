package io.sparkmlp.trainer;

import io.sparkmlp.model.Mlp;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Workspace;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.Updater;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-executor state reused across steps: one scratch set (workspace and gradient buffer) per task
 * thread, and the current epoch plan of each cached partition. Everything here is a pure function
 * of its key, so a retried or speculative task recomputes exactly the same values.
 */
final class ExecutorCache {
  private ExecutorCache() {}

  /** Scratch buffers of one task thread. */
  static final class Scratch {
    final NetworkSpec spec;
    final int capacity;
    final boolean sparse;
    final Mlp mlp;
    final Workspace ws;
    /** [P] gradient sum of the current task; returned as the task result, then reused. */
    final float[] grad;
    /** [capacity] weights of the rows of the current chunk. */
    final float[] w;
    /** The inner updater of local-SGD rounds, created on first use (state restored per round). */
    private Updater updater;

    /**
     * This thread's updater for {@code cfg} and {@code totalSteps}; its state is whatever the
     * previous round left, so callers restore it before use.
     */
    Updater updater(OptimConfig cfg, long totalSteps) {
      if (updater == null || !updater.config().equals(cfg) || updaterTotal != totalSteps) {
        updater = Updater.create(cfg, mlp.layout(), totalSteps);
        updaterTotal = totalSteps;
      }
      return updater;
    }

    private long updaterTotal;

    /** [P] bfloat16 weights of the current step widened to float, created on first use. */
    private float[] widenedWeights;
    /** [P] the current task's gradient sum rounded to bfloat16, created on first use. */
    private short[] packedGrad;

    /** This thread's [P] float buffer for weights shipped as bfloat16, reused by every task. */
    float[] widenedWeights() {
      if (widenedWeights == null) {
        widenedWeights = new float[grad.length];
      }
      return widenedWeights;
    }

    /**
     * This thread's [P] bfloat16 buffer for a gradient sum; like {@link #grad} it is returned as
     * the task result (Spark serializes it before the thread's next task) and then reused.
     */
    short[] packedGrad() {
      if (packedGrad == null) {
        packedGrad = new short[grad.length];
      }
      return packedGrad;
    }

    Scratch(NetworkSpec spec, int capacity, boolean sparse) {
      this.spec = spec;
      this.capacity = capacity;
      this.sparse = sparse;
      this.mlp = new Mlp(spec);
      this.ws = sparse ? mlp.newSparseWorkspace(capacity) : mlp.newWorkspace(capacity);
      this.grad = new float[mlp.layout().size()];
      this.w = new float[capacity];
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

  /**
   * The calling thread's scratch for (spec, capacity, sparse input or not), allocated on first use
   * or change.
   */
  static Scratch scratch(NetworkSpec spec, int capacity, boolean sparse) {
    Scratch s = SCRATCH.get();
    if (s == null || s.capacity != capacity || s.sparse != sparse || !s.spec.equals(spec)) {
      // drop the old buffers before allocating new ones (a first layer of 16 x 10^6 weights
      // makes each gradient buffer 64 MB)
      s = null;
      SCRATCH.remove();
      s = new Scratch(spec, capacity, sparse);
      SCRATCH.set(s);
    }
    return s;
  }

  private static final int MAX_PLANS = 512;
  private static final Map<String, EpochPlan> PLANS =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, EpochPlan> e) {
          return size() > MAX_PLANS;
        }
      };

  /** The epoch plan of a partition of training run {@code runId}, computed once per epoch. */
  static EpochPlan plan(String runId, int partition, PackedBlock block, long seed, int epoch,
      int steps) {
    String key = runId + "/" + partition;
    synchronized (PLANS) {
      EpochPlan p = PLANS.get(key);
      if (p != null && p.epoch == epoch && p.start.length == steps + 1) {
        return p;
      }
    }
    EpochPlan p = EpochPlan.of(block.rowHashes(), seed, epoch, steps);
    synchronized (PLANS) {
      PLANS.put(key, p);
    }
    return p;
  }
}
