package io.sparkmlp.model.optim;

/**
 * Linear warm-up then cosine decay (Loshchilov &amp; Hutter 2017, without restarts; warm-up as in
 * llm.c). With W warm-up steps, T total steps, base a and floor m:
 * <pre>
 *   a_t = a (t + 1) / W                                  t &lt; W
 *   a_t = m + (a - m) (1 + cos(pi (t - W) / (T - W))) / 2   W &lt;= t &lt; T
 *   a_t = m                                              t &gt;= T
 * </pre>
 */
final class CosineSchedule implements LearningRateSchedule {
  private final double base;
  private final int warmup;
  private final double min;
  private final long total;

  CosineSchedule(float base, int warmup, float min, long total) {
    if (total < 1) {
      throw new IllegalArgumentException(
          "totalSteps must be >= 1 for the cosine schedule, got " + total);
    }
    if (warmup > total) {
      throw new IllegalArgumentException("warmupSteps (" + warmup
          + ") must be <= totalSteps (" + total + ") for the cosine schedule");
    }
    this.base = base;
    this.warmup = warmup;
    this.min = min;
    this.total = total;
  }

  @Override
  public double rate(long t) {
    if (t < warmup) {
      return base * (t + 1) / warmup;
    }
    if (t >= total) {
      return min;
    }
    double p = (double) (t - warmup) / (total - warmup);
    return min + 0.5 * (base - min) * (1.0 + StrictMath.cos(Math.PI * p));
  }
}
