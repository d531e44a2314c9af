package io.sparkmlp.model.optim;

/** Exponential decay per update: a_t = a * gamma^t. */
final class ExponentialSchedule implements LearningRateSchedule {
  private final double base;
  private final double gamma;

  ExponentialSchedule(float base, float gamma) {
    this.base = base;
    this.gamma = gamma;
  }

  @Override
  public double rate(long t) {
    return base * StrictMath.pow(gamma, (double) t);
  }
}
