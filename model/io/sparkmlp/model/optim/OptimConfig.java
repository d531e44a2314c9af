package io.sparkmlp.model.optim;

import io.sparkmlp.model.InvalidSettingException;
import java.util.Objects;

/**
 * Immutable, validated optimizer configuration. Every field is always present; fields an optimizer
 * does not use (e.g. {@code beta1} for SGD) are still validated but ignored. {@link #defaults} gives
 * the customary values and {@link #builder} or {@link #toBuilder} derives variants.
 *
 * <p>Per step, {@link Updater} applies, with a_t the scheduled rate and mask = 1 on weights and 0 on
 * biases (1 everywhere if {@code decayBiases}):
 * <pre>
 *   g &lt;- g + l2 * mask * x                                    (L2 regularization, if l2 &gt; 0)
 *   g &lt;- g * clipNorm / ||g||_2   if ||g||_2 &gt; clipNorm          (global-norm clipping, if clipNorm &gt; 0)
 *   x &lt;- x - d(g) - a_t * weightDecay * mask * x               (optimizer step d, decoupled decay)
 * </pre>
 * where d is the optimizer's step (e.g. a_t g for SGD) and x on the right is the pre-step value.
 *
 * @param optimizer    the update rule
 * @param learningRate base rate a (before the schedule), finite and &gt; 0
 * @param momentum     MOMENTUM/NESTEROV gamma, in [0, 1); default 0.9
 * @param beta1        ADAM/ADAMW first-moment decay, in [0, 1); default 0.9
 * @param beta2        ADAM/ADAMW second-moment decay, in [0, 1); default 0.999
 * @param rho          RMSPROP decay of the mean square, in [0, 1); default 0.9 (Hinton's lecture,
 *                     Keras)
 * @param epsilon      finite and &gt; 0; default 1e-8 for every optimizer that uses it. ADAM/ADAMW
 *                     add it to sqrt(vhat) (the paper's value); ADAGRAD and RMSPROP add it
 *                     <em>inside</em> the square root, sqrt(G + eps), so the default bounds their
 *                     denominator below by 1e-4. Ignored by SGD, MOMENTUM and NESTEROV.
 * @param l2           coefficient of the L2 penalty (l2/2) ||mask * x||^2 added to the gradient,
 *                     finite and &gt;= 0; default 0
 * @param weightDecay  decoupled weight decay (usable with any optimizer), finite, &gt;= 0 and with
 *                     learningRate * weightDecay &lt; 1; default 0, ADAMW 0.01 (PyTorch)
 * @param decayBiases  whether l2 and weightDecay also apply to biases; default false
 * @param clipNorm     global L2-norm clipping threshold, finite and &gt;= 0; 0 = off (default)
 * @param schedule     the learning-rate schedule; default {@link ScheduleConfig#constant()}
 */
public record OptimConfig(
    OptimizerKind optimizer, float learningRate,
    float momentum,
    float beta1, float beta2,
    float rho,
    float epsilon,
    float l2,
    float weightDecay,
    boolean decayBiases,
    float clipNorm,
    ScheduleConfig schedule) implements java.io.Serializable {

  /** Default momentum gamma. */
  public static final float DEFAULT_MOMENTUM = 0.9f;
  /** Default Adam first-moment decay. */
  public static final float DEFAULT_BETA1 = 0.9f;
  /** Default Adam second-moment decay. */
  public static final float DEFAULT_BETA2 = 0.999f;
  /** Default RMSProp decay. */
  public static final float DEFAULT_RHO = 0.9f;
  /** Default epsilon, for every optimizer that uses one. */
  public static final float DEFAULT_EPSILON = 1e-8f;
  /** Default decoupled weight decay of ADAMW (the other optimizers default to 0). */
  public static final float DEFAULT_ADAMW_WEIGHT_DECAY = 0.01f;

  /**
   * Validates every field; an {@link InvalidSettingException} names the field ({@code schedule.x}
   * for a field of the schedule).
   */
  public OptimConfig {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    Checks.positive("learningRate", learningRate);
    Checks.inUnitInterval("momentum", momentum);
    Checks.inUnitInterval("beta1", beta1);
    Checks.inUnitInterval("beta2", beta2);
    Checks.inUnitInterval("rho", rho);
    Checks.positive("epsilon", epsilon);
    Checks.nonNegative("l2", l2);
    Checks.nonNegative("weightDecay", weightDecay);
    Checks.nonNegative("clipNorm", clipNorm);
    if (!((double) learningRate * weightDecay < 1)) {
      throw new InvalidSettingException("{} * {} must be < 1, got " + weightDecay + " * "
          + learningRate, "weightDecay", "learningRate");
    }
    if (schedule.kind() == ScheduleKind.COSINE && schedule.minLearningRate() > learningRate) {
      throw new InvalidSettingException("{} " + schedule.minLearningRate() + " exceeds {} "
          + learningRate, "schedule.minLearningRate", "learningRate");
    }
    if (schedule.kind() == ScheduleKind.PLATEAU && schedule.minLr() > learningRate) {
      throw new InvalidSettingException("{} " + schedule.minLr() + " exceeds {} " + learningRate,
          "schedule.minLr", "learningRate");
    }
  }

  /**
   * The customary configuration of {@code kind}: momentum 0.9, betas (0.9, 0.999), rho 0.9, epsilon
   * 1e-8, no L2, no weight decay except 0.01 for ADAMW, biases not decayed, no clipping, constant
   * rate.
   */
  public static OptimConfig defaults(OptimizerKind kind, float learningRate) {
    return new OptimConfig(kind, learningRate, DEFAULT_MOMENTUM, DEFAULT_BETA1, DEFAULT_BETA2,
        DEFAULT_RHO, DEFAULT_EPSILON, 0f,
        kind == OptimizerKind.ADAMW ? DEFAULT_ADAMW_WEIGHT_DECAY : 0f,
        false, 0f, ScheduleConfig.constant());
  }

  /** A builder starting from {@link #defaults} of {@code kind} and {@code learningRate}. */
  public static Builder builder(OptimizerKind kind, float learningRate) {
    return defaults(kind, learningRate).toBuilder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Mutable builder of an {@link OptimConfig}; {@link #build()} validates. */
  public static final class Builder {
    private OptimizerKind optimizer;
    private float learningRate;
    private float momentum;
    private float beta1;
    private float beta2;
    private float rho;
    private float epsilon;
    private float l2;
    private float weightDecay;
    private boolean decayBiases;
    private float clipNorm;
    private ScheduleConfig schedule;

    private Builder(OptimConfig c) {
      optimizer = c.optimizer;
      learningRate = c.learningRate;
      momentum = c.momentum;
      beta1 = c.beta1;
      beta2 = c.beta2;
      rho = c.rho;
      epsilon = c.epsilon;
      l2 = c.l2;
      weightDecay = c.weightDecay;
      decayBiases = c.decayBiases;
      clipNorm = c.clipNorm;
      schedule = c.schedule;
    }

    /** Sets the update rule; the other fields (weight decay included) are kept. */
    public Builder optimizer(OptimizerKind v) {
      optimizer = v;
      return this;
    }

    /** Sets the base learning rate. */
    public Builder learningRate(float v) {
      learningRate = v;
      return this;
    }

    /** Sets the momentum gamma. */
    public Builder momentum(float v) {
      momentum = v;
      return this;
    }

    /** Sets Adam's beta1. */
    public Builder beta1(float v) {
      beta1 = v;
      return this;
    }

    /** Sets Adam's beta2. */
    public Builder beta2(float v) {
      beta2 = v;
      return this;
    }

    /** Sets RMSProp's rho. */
    public Builder rho(float v) {
      rho = v;
      return this;
    }

    /** Sets epsilon. */
    public Builder epsilon(float v) {
      epsilon = v;
      return this;
    }

    /** Sets the L2 coefficient. */
    public Builder l2(float v) {
      l2 = v;
      return this;
    }

    /** Sets the decoupled weight decay. */
    public Builder weightDecay(float v) {
      weightDecay = v;
      return this;
    }

    /** Whether l2 and weight decay also apply to biases. */
    public Builder decayBiases(boolean v) {
      decayBiases = v;
      return this;
    }

    /** Sets the clipping threshold (0 = off). */
    public Builder clipNorm(float v) {
      clipNorm = v;
      return this;
    }

    /** Sets the learning-rate schedule. */
    public Builder schedule(ScheduleConfig v) {
      schedule = v;
      return this;
    }

    /** Validates and builds. */
    public OptimConfig build() {
      return new OptimConfig(optimizer, learningRate, momentum, beta1, beta2, rho, epsilon, l2,
          weightDecay, decayBiases, clipNorm, schedule);
    }
  }
}
