package io.sparkmlp.model.optim;

import java.util.Map;

/**
 * One first-order update rule over the flat parameter layout. Implementations allocate their state
 * arrays once, at construction, and nothing per step; they are deterministic functions of their
 * state and inputs.
 */
interface Optimizer {

  /**
   * Applies the optimizer's step, x &lt;- x - d(g), in place, to the elements {@code [from, to)}.
   * Every rule is element-wise (element i of x and of the state depends only on element i of g,
   * x and the state), so the array may be updated in disjoint ranges on different threads with the
   * same bits as one pass.
   *
   * @param params x, updated in place
   * @param grad   g, the (regularized, clipped) gradient; not modified
   * @param lr     the scheduled learning rate of this update
   * @param t      1-based index of this update (1 for the first), used for bias corrections
   * @param from   first element updated
   * @param to     one past the last element updated
   */
  void step(float[] params, float[] grad, float lr, long t, int from, int to);

  /**
   * The live state arrays by name, in a fixed order (empty for SGD). Each has the length of the
   * parameter array; callers copy from or into them, never replace them.
   */
  Map<String, float[]> slots();

  /** The rule {@code cfg} selects, with zeroed state for {@code n} parameters. */
  static Optimizer create(OptimConfig cfg, int n) {
    return switch (cfg.optimizer()) {
      case SGD -> new Sgd();
      case MOMENTUM -> new Momentum(cfg.momentum(), n);
      case NESTEROV -> new Nesterov(cfg.momentum(), n);
      case ADAGRAD -> new Adagrad(cfg.epsilon(), n);
      case RMSPROP -> new RmsProp(cfg.rho(), cfg.epsilon(), n);
      case ADAM, ADAMW -> new Adam(cfg.beta1(), cfg.beta2(), cfg.epsilon(), n);
    };
  }
}
