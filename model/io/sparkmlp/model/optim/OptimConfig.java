package io.sparkmlp.model.optim;

import java.util.Objects;

/**
 * Immutable, validated optimizer configuration. Every field is always present; fields an optimizer
 * does not use (e.g. {@code beta1} for SGD) are still validated but ignored. {@link #defaults} gives
 * the customary values and the {@code withX} methods derive variants.
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
    ScheduleConfig schedule) {

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

  /** Validates every field; messages name the field. */
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
      throw new IllegalArgumentException("weightDecay * learningRate must be < 1, got "
          + weightDecay + " * " + learningRate);
    }
    if (schedule.kind() == ScheduleKind.COSINE && schedule.minLearningRate() > learningRate) {
      throw new IllegalArgumentException("schedule minLearningRate " + schedule.minLearningRate()
          + " exceeds learningRate " + learningRate);
    }
    if (schedule.kind() == ScheduleKind.PLATEAU && schedule.minLr() > learningRate) {
      throw new IllegalArgumentException("schedule minLr " + schedule.minLr()
          + " exceeds learningRate " + learningRate);
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

  /** A copy with another optimizer; the other fields (weightDecay included) are kept. */
  public OptimConfig withOptimizer(OptimizerKind v) {
    return new OptimConfig(v, learningRate, momentum, beta1, beta2, rho, epsilon, l2,
        weightDecay, decayBiases, clipNorm, schedule);
  }

  /** A copy with another base learning rate. */
  public OptimConfig withLearningRate(float v) {
    return new OptimConfig(optimizer, v, momentum, beta1, beta2, rho, epsilon, l2,
        weightDecay, decayBiases, clipNorm, schedule);
  }

  /** A copy with another momentum gamma. */
  public OptimConfig withMomentum(float v) {
    return new OptimConfig(optimizer, learningRate, v, beta1, beta2, rho, epsilon, l2,
        weightDecay, decayBiases, clipNorm, schedule);
  }

  /** A copy with another Adam beta1. */
  public OptimConfig withBeta1(float v) {
    return new OptimConfig(optimizer, learningRate, momentum, v, beta2, rho, epsilon, l2,
        weightDecay, decayBiases, clipNorm, schedule);
  }

  /** A copy with another Adam beta2. */
  public OptimConfig withBeta2(float v) {
    return new OptimConfig(optimizer, learningRate, momentum, beta1, v, rho, epsilon, l2,
        weightDecay, decayBiases, clipNorm, schedule);
  }

  /** A copy with another RMSProp rho. */
  public OptimConfig withRho(float v) {
    return new OptimConfig(optimizer, learningRate, momentum, beta1, beta2, v, epsilon, l2,
        weightDecay, decayBiases, clipNorm, schedule);
  }

  /** A copy with another epsilon. */
  public OptimConfig withEpsilon(float v) {
    return new OptimConfig(optimizer, learningRate, momentum, beta1, beta2, rho, v, l2,
        weightDecay, decayBiases, clipNorm, schedule);
  }

  /** A copy with another L2 coefficient. */
  public OptimConfig withL2(float v) {
    return new OptimConfig(optimizer, learningRate, momentum, beta1, beta2, rho, epsilon, v,
        weightDecay, decayBiases, clipNorm, schedule);
  }

  /** A copy with another decoupled weight decay. */
  public OptimConfig withWeightDecay(float v) {
    return new OptimConfig(optimizer, learningRate, momentum, beta1, beta2, rho, epsilon, l2,
        v, decayBiases, clipNorm, schedule);
  }

  /** A copy that does (true) or does not (false) apply l2 and weight decay to biases. */
  public OptimConfig withDecayBiases(boolean v) {
    return new OptimConfig(optimizer, learningRate, momentum, beta1, beta2, rho, epsilon, l2,
        weightDecay, v, clipNorm, schedule);
  }

  /** A copy with another clipping threshold (0 = off). */
  public OptimConfig withClipNorm(float v) {
    return new OptimConfig(optimizer, learningRate, momentum, beta1, beta2, rho, epsilon, l2,
        weightDecay, decayBiases, v, schedule);
  }

  /** A copy with another learning-rate schedule. */
  public OptimConfig withSchedule(ScheduleConfig v) {
    return new OptimConfig(optimizer, learningRate, momentum, beta1, beta2, rho, epsilon, l2,
        weightDecay, decayBiases, clipNorm, v);
  }
}
