package io.sparkmlp.model.optim;

/** a_t = a. */
final class ConstantSchedule implements LearningRateSchedule {
  private final double base;

  ConstantSchedule(float base) {
    this.base = base;
  }

  @Override
  public double rate(long t) {
    return base;
  }
}
