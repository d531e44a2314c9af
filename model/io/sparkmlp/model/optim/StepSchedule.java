package io.sparkmlp.model.optim;

/** Step decay: a_t = a * gamma^floor(t / stepSize). */
final class StepSchedule implements LearningRateSchedule {
  private final double base;
  private final int stepSize;
  private final double gamma;

  StepSchedule(float base, int stepSize, float gamma) {
    this.base = base;
    this.stepSize = stepSize;
    this.gamma = gamma;
  }

  @Override
  public double rate(long t) {
    return base * StrictMath.pow(gamma, (double) (t / stepSize));
  }
}
