package io.sparkmlp.trainer;

/** Thrown when the loss or gradient of a step is NaN or infinite; training stops at that step. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long step;

  /** A divergence at global step {@code step}. */
  public TrainingDivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** The global step (1-based) whose loss or gradient was not finite. */
  public long step() {
    return step;
  }
}
