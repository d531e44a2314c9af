package io.sparkmlp.trainer;

import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import java.util.Locale;

/**
 * How often the partitions synchronize, and the outer update applied at each synchronization
 * (local SGD, also called periodic model averaging: Stich 2019, Lin et al. 2020; with an outer
 * momentum SlowMo, Wang et al. 2020, and DiLoCo, Douillard et al. 2023).
 *
 * <p>A round covers {@code every} = H consecutive steps of the global schedule (the last round of
 * an epoch may be shorter: rounds never cross an epoch boundary). With H = 1 a round is one
 * synchronous step, exactly as without local SGD: the partitions' gradients are summed and the
 * driver updates the weights. With H &gt; 1 every partition starts from the global weights x and
 * the global inner optimizer state, takes H local steps on its own rows of those H global steps
 * (its share of each global batch, about batch / partitions rows, with the configured optimizer,
 * schedule, regularization and clipping), and returns its local weights x_p and optimizer state;
 * the driver averages both, weighting each partition by its rows in the round (avg = sum_p n_p x_p
 * / sum_p n_p), and applies the outer update to the displacement d = x - avg:
 * <ul>
 *   <li>{@link Outer#AVERAGE}: x &lt;- x - outerLr d (outerLr 1, the default, is the plain
 *       average: x &lt;- avg, assigned exactly);
 *   <li>{@link Outer#MOMENTUM}: v &lt;- mu v + outerLr d; x &lt;- x - v (SlowMo's heavy ball);
 *   <li>{@link Outer#NESTEROV}: v &lt;- mu v + d; x &lt;- x - outerLr (d + mu v) (DiLoCo; its paper
 *       uses outerLr 0.7, mu 0.9).
 * </ul>
 * The averaged inner state (Adam's moments, the momentum buffer) becomes the global inner state
 * of the next round, so a checkpoint holds the global weights, the averaged inner state and the
 * outer momentum, and a resumed run continues bit for bit. With H &gt; 1 the result depends on the
 * number of partitions (each partition's local trajectory sees only its own rows); with H = 1 it
 * does not, beyond float rounding.
 *
 * @param every         H, the number of steps between synchronizations, at least 1
 * @param outer         the outer update
 * @param outerLr       the outer learning rate, &gt; 0
 * @param outerMomentum the outer momentum mu, in [0, 1) (used by MOMENTUM and NESTEROV)
 */
public record SyncSettings(int every, Outer outer, float outerLr, float outerMomentum) {

  /** The outer update applied to the averaged displacement of a round. */
  public enum Outer {
    /** x &lt;- x - outerLr (x - avg); the plain average when outerLr = 1. */
    AVERAGE,
    /** Heavy-ball momentum on the displacement (SlowMo). */
    MOMENTUM,
    /** Nesterov momentum on the displacement (DiLoCo). */
    NESTEROV;

    /** Parses a name case-insensitively ({@code average}, {@code momentum}, {@code nesterov}). */
    public static Outer parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("outer optimizer '" + s
            + "' is not one of average, momentum, nesterov");
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Default H: synchronous training. */
  public static final int DEFAULT_EVERY = 1;
  /** Default outer update. */
  public static final Outer DEFAULT_OUTER = Outer.AVERAGE;
  /** Default outer learning rate (with AVERAGE: the plain average). */
  public static final float DEFAULT_OUTER_LR = 1.0f;
  /** Default outer momentum. */
  public static final float DEFAULT_OUTER_MOMENTUM = 0.9f;

  /** Synchronous training: one update per global batch, no outer update. */
  public static final SyncSettings SYNCHRONOUS =
      new SyncSettings(DEFAULT_EVERY, DEFAULT_OUTER, DEFAULT_OUTER_LR, DEFAULT_OUTER_MOMENTUM);

  /** Validates; messages name the field. */
  public SyncSettings {
    java.util.Objects.requireNonNull(outer, "outer");
    if (every < 1) {
      throw new IllegalArgumentException("syncEvery must be >= 1, got " + every);
    }
    if (!(outerLr > 0) || !Float.isFinite(outerLr)) {
      throw new IllegalArgumentException("outerLr must be > 0, got " + outerLr);
    }
    if (!(outerMomentum >= 0 && outerMomentum < 1)) {
      throw new IllegalArgumentException("outerMomentum must be in [0, 1), got " + outerMomentum);
    }
  }

  /** Whether the outer update is the identity on the averaged weights (AVERAGE with rate 1). */
  public boolean plainAverage() {
    return outer == Outer.AVERAGE && outerLr == 1.0f;
  }

  /** Whether this is plain synchronous training (H = 1, no outer update). */
  public boolean synchronous() {
    return every == 1 && plainAverage();
  }

  /**
   * The outer update as an optimizer configuration over the displacement d (the "gradient"):
   * SGD, MOMENTUM or NESTEROV with the outer rate and momentum, a constant schedule and no
   * regularization or clipping. Null for the plain average.
   */
  public OptimConfig outerOptim() {
    if (plainAverage()) {
      return null;
    }
    OptimizerKind kind = switch (outer) {
      case AVERAGE -> OptimizerKind.SGD;
      case MOMENTUM -> OptimizerKind.MOMENTUM;
      case NESTEROV -> OptimizerKind.NESTEROV;
    };
    return OptimConfig.builder(kind, outerLr).momentum(outerMomentum).build();
  }

  /** A short description for logs and fingerprints. */
  public String describe() {
    if (synchronous()) {
      return "synchronous";
    }
    String o = outer == Outer.AVERAGE ? "average(lr " + outerLr + ")"
        : outer + "(lr " + outerLr + ", momentum " + outerMomentum + ")";
    return "local SGD every " + every + " steps, outer " + o;
  }
}
