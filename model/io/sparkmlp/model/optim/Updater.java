package io.sparkmlp.model.optim;

import io.sparkmlp.model.ParallelRanges;
import io.sparkmlp.model.ParamLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies one synchronous optimizer update to the flat parameter array, once per step, after the
 * driver has averaged the reduced gradient. Per step, with t the number of updates applied so far
 * and mask = 1 on weights and 0 on biases (all 1 if {@link OptimConfig#decayBiases()}):
 * <ol>
 *   <li>a = schedule(t)
 *   <li>g &lt;- g + l2 * mask * x                                (L2 regularization)
 *   <li>if clipNorm &gt; 0: n = ||g||_2 (reported by {@link #lastGradNorm()});
 *       g &lt;- g * clipNorm / n if n &gt; clipNorm  (global-norm clipping; without it the norm,
 *       a whole extra pass over g, is not computed)
 *   <li>x &lt;- x - d(g) - a * weightDecay * mask * x, with d the optimizer's step (e.g. a g for
 *       SGD, see {@link OptimizerKind}) and x on the right the pre-step parameters (decoupled
 *       decay as in Loshchilov &amp; Hutter and PyTorch's AdamW)
 * </ol>
 *
 * <p>State (optimizer slots, schedule state) is allocated once in {@link #create}; {@link #apply}
 * allocates nothing. Every result is a deterministic function of the configuration, the inputs and
 * the state, so {@link #exportState()} followed by {@link #restoreState} on a fresh updater
 * continues the run bit for bit. On the driver ({@link #onBothCores}) the element-wise passes of an
 * update run on two threads for large arrays ({@link ParallelRanges}), with the same bits as on
 * one. Not thread-safe: one updater per training run, used by the driver.
 */
public final class Updater {
  private final OptimConfig cfg;
  private final int size;
  private final Optimizer optimizer;
  private final LearningRateSchedule schedule;
  private final WeightPenalty penalty;
  private long step;
  private double lastGradNorm = Double.NaN;
  /** [blocks(size)] per-block sums of g^2 for the fixed-order norm; reused by every apply. */
  private final double[] blockSums;
  /** Whether clipping is configured: only then is the gradient norm summed. */
  private final boolean clipping;
  /** The two passes of {@link #apply}, created once; they read the operands below. */
  private final ParallelRanges.Body regularizeAndSquare;
  private final ParallelRanges.Body clipAndStep;
  /** Whether {@link #apply} splits its passes over two threads ({@link #onBothCores}). */
  private boolean bothCores;
  private float[] curParams;
  private float[] curGrad;
  private float curLr;
  private float curScale;
  private long curT;

  private Updater(OptimConfig cfg, ParamLayout layout, long totalSteps) {
    this.cfg = cfg;
    this.size = layout.size();
    this.optimizer = Optimizer.create(cfg, size);
    this.schedule = LearningRateSchedule.create(cfg.schedule(), cfg.learningRate(), totalSteps);
    this.penalty = new WeightPenalty(layout, cfg.l2(), cfg.weightDecay(), cfg.decayBiases());
    this.blockSums = new double[ParallelRanges.blocks(size)];
    this.clipping = cfg.clipNorm() > 0f;
    this.regularizeAndSquare = (from, to) -> {
      penalty.addL2(curGrad, curParams, from, to);
      if (clipping) {
        ParallelRanges.blockSumsOfSquares(curGrad, size, from, to, blockSums);
      }
    };
    this.clipAndStep = (from, to) -> {
      GradientClipping.clip(curGrad, curScale, from, to);
      penalty.decay(curParams, curLr, from, to);
      optimizer.step(curParams, curGrad, curLr, curT, from, to);
    };
  }

  /**
   * A fresh updater (step 0, zeroed state) for parameters laid out by {@code layout}.
   *
   * @param totalSteps number of updates planned for the whole run; the COSINE schedule needs
   *                   {@code totalSteps >= max(1, warmupSteps)}, the others ignore it
   * @throws IllegalArgumentException if COSINE is given an unusable {@code totalSteps}
   */
  public static Updater create(OptimConfig cfg, ParamLayout layout, long totalSteps) {
    Objects.requireNonNull(cfg, "cfg");
    Objects.requireNonNull(layout, "layout");
    return new Updater(cfg, layout, totalSteps);
  }

  /**
   * Lets {@link #apply} run its element-wise passes on the calling thread and one helper thread
   * for arrays of at least {@link ParallelRanges#MIN_PARALLEL} values (same bits as one thread).
   * For the driver, whose other core idles while it updates; not for an executor's local steps,
   * whose tasks already fill the cores.
   *
   * @return this updater
   */
  public Updater onBothCores() {
    bothCores = true;
    return this;
  }

  /**
   * Applies one update in place.
   *
   * @param params  the parameters, updated in place
   * @param avgGrad the averaged gradient of the loss; overwritten with the regularized, clipped
   *                gradient the optimizer consumed
   * @return the learning rate used by this update
   * @throws IllegalArgumentException if an array's length is not the layout's size
   */
  public float apply(float[] params, float[] avgGrad) {
    if (params.length != size || avgGrad.length != size) {
      throw new IllegalArgumentException("params and avgGrad must have the layout's "
          + size + " values, got " + params.length + " and " + avgGrad.length);
    }
    float lr = (float) schedule.rate(step);
    curParams = params;
    curGrad = avgGrad;
    curLr = lr;
    curT = step + 1;
    try {
      // Every pass is element-wise, so two threads over disjoint ranges give the bits of one pass;
      // the norm's sum runs in a fixed block order (ParallelRanges), the same on any thread count.
      pass(regularizeAndSquare);
      if (clipping) {
        lastGradNorm = Math.sqrt(ParallelRanges.sumOfBlocks(blockSums, blockSums.length));
        curScale = GradientClipping.scale(lastGradNorm, cfg.clipNorm());
      } else {
        // no clipping, no norm: a pass over the gradient saved (a fifth of a large model's update)
        curScale = 1f;
      }
      // Decay first: the optimizer's update does not depend on x, so this is x - a wd mask x_old.
      pass(clipAndStep);
    } finally {
      curParams = null;
      curGrad = null;
    }
    step++;
    return lr;
  }

  private void pass(ParallelRanges.Body body) {
    if (bothCores) {
      ParallelRanges.run(size, body);
    } else {
      body.run(0, size);
    }
  }

  /**
   * Counts an update that had no rows (a local step of a partition that holds none of the step's
   * rows): the schedule and the bias corrections move on as if the step had been taken, the
   * parameters and the optimizer state do not change.
   */
  public void skipStep() {
    step++;
  }

  /**
   * The global L2 norm of the gradient seen by the last {@link #apply}, after L2 regularization and
   * before clipping, when clipping is configured ({@link OptimConfig#clipNorm()} &gt; 0); NaN
   * before the first update and without clipping. A non-finite value means the gradient was not
   * finite (clipping is then skipped and the parameters are no longer finite either).
   */
  public double lastGradNorm() {
    return lastGradNorm;
  }

  /** Number of updates applied so far (restored by {@link #restoreState}). */
  public long step() {
    return step;
  }

  /** The learning rate the next {@link #apply} will use. */
  public float learningRate() {
    return (float) schedule.rate(step);
  }

  /** The learning rate of the update with 0-based index {@code t} (the schedule's current state). */
  public float learningRateAt(long t) {
    return (float) schedule.rate(t);
  }

  /** The configuration this updater was created with. */
  public OptimConfig config() {
    return cfg;
  }

  /**
   * Reports a validation result; lower is better (e.g. a loss). Drives the PLATEAU schedule; a
   * no-op for the others.
   *
   * @return true if the learning rate was reduced
   */
  public boolean onValidation(double metric) {
    return schedule.onValidation(metric);
  }

  /** A deep copy of the current state: fresh slot arrays and schedule scalars. */
  public UpdaterState exportState() {
    Map<String, float[]> slots = new HashMap<>();
    for (Map.Entry<String, float[]> e : optimizer.slots().entrySet()) {
      slots.put(e.getKey(), e.getValue().clone());
    }
    Map<String, Double> scalars = new HashMap<>();
    schedule.exportState(scalars);
    return new UpdaterState(cfg.optimizer(), step, slots, scalars);
  }

  /**
   * The live array of optimizer slot {@code name} (e.g. Adam's {@code m}), not a copy: read it
   * between updates only, and do not modify it. For callers that copy the state into a larger
   * buffer of their own ({@link #exportState} clones every slot).
   *
   * @throws IllegalArgumentException if the optimizer has no such slot
   */
  public float[] slotView(String name) {
    float[] v = optimizer.slots().get(name);
    if (v == null) {
      throw new IllegalArgumentException("optimizer " + cfg.optimizer() + " has no slot '" + name
          + "' (slots: " + new TreeSet<>(optimizer.slots().keySet()) + ")");
    }
    return v;
  }

  /** The names of the optimizer's slots, sorted (empty for plain SGD). */
  public String[] slotNames() {
    return new TreeSet<>(optimizer.slots().keySet()).toArray(new String[0]);
  }

  /** The schedule's state scalars (what {@link #exportState} returns besides the slots). */
  public Map<String, Double> scheduleState() {
    Map<String, Double> scalars = new HashMap<>();
    schedule.exportState(scalars);
    return scalars;
  }

  /**
   * {@link #restoreState} from slots laid out one after another in a flat array, without copying
   * them out first: slot {@code slotNames[k]} is {@code flat[offset + k P .. offset + (k + 1) P)}.
   * Validated as {@link #restoreState} validates.
   *
   * @throws IllegalArgumentException describing the first mismatch
   */
  public void restoreState(OptimizerKind kind, long atStep, String[] slotNames, float[] flat,
      int offset, Map<String, Double> scalars) {
    Set<String> names = new TreeSet<>(Arrays.asList(slotNames));
    if (names.size() != slotNames.length) {
      throw new IllegalArgumentException("updater state names a slot twice: "
          + Arrays.toString(slotNames));
    }
    checkState(kind, names, scalars.keySet());
    if (offset < 0 || flat.length < offset + (long) slotNames.length * size) {
      throw new IllegalArgumentException("updater state holds " + (flat.length - offset)
          + " slot values but " + slotNames.length + " slots of the layout need "
          + (long) slotNames.length * size);
    }
    Map<String, float[]> live = optimizer.slots();
    schedule.restoreState(scalars);
    for (int k = 0; k < slotNames.length; k++) {
      System.arraycopy(flat, offset + k * size, live.get(slotNames[k]), 0, size);
    }
    step = atStep;
  }

  /**
   * Replaces the state with a copy of {@code s}. Everything is validated before anything changes:
   * the optimizer kind must be this updater's, the slot names and the scalar names must be exactly
   * the ones this configuration uses, and every slot must have the layout's length.
   *
   * @throws IllegalArgumentException describing the first mismatch
   */
  public void restoreState(UpdaterState s) {
    Objects.requireNonNull(s, "state");
    checkState(s.kind(), s.slots().keySet(), s.scalars().keySet());
    for (Map.Entry<String, float[]> e : s.slots().entrySet()) {
      if (e.getValue().length != size) {
        throw new IllegalArgumentException("updater state slot '" + e.getKey() + "' has "
            + e.getValue().length + " values but the layout has " + size);
      }
    }
    Map<String, float[]> live = optimizer.slots();
    schedule.restoreState(s.scalars());
    for (Map.Entry<String, float[]> e : s.slots().entrySet()) {
      System.arraycopy(e.getValue(), 0, live.get(e.getKey()), 0, size);
    }
    step = s.step();
  }

  /**
   * The checks both restore paths share: a state for this optimizer, with exactly its slots and
   * exactly the scalars of this schedule.
   *
   * @throws IllegalArgumentException describing the first mismatch
   */
  private void checkState(OptimizerKind kind, Set<String> slotNames, Set<String> scalarNames) {
    if (kind != cfg.optimizer()) {
      throw new IllegalArgumentException("updater state is for optimizer " + kind
          + " but this updater uses " + cfg.optimizer());
    }
    Set<String> live = optimizer.slots().keySet();
    if (!slotNames.equals(live)) {
      throw new IllegalArgumentException("updater state has slots " + new TreeSet<>(slotNames)
          + " but optimizer " + cfg.optimizer() + " needs " + new TreeSet<>(live));
    }
    Set<String> keys = schedule.stateKeys();
    if (!scalarNames.equals(keys)) {
      throw new IllegalArgumentException("updater state has scalars " + new TreeSet<>(scalarNames)
          + " but schedule " + cfg.schedule().kind() + " needs " + new TreeSet<>(keys));
    }
  }
}
