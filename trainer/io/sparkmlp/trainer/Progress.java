package io.sparkmlp.trainer;

import java.util.Locale;

/**
 * Where a run is inside an epoch.
 *
 * @param epoch            current epoch (1-based)
 * @param epochs           epochs of the run
 * @param step             steps done in this epoch
 * @param stepsPerEpoch    steps per epoch
 * @param globalStep       steps done in the run
 * @param trainLoss        mean training loss over this epoch's steps so far
 * @param samplesPerSecond training rows per second in this epoch so far
 * @param epochEtaSeconds  estimated seconds to the end of this epoch's steps
 * @param runEtaSeconds    estimated seconds to the end of the run's steps (validation excluded)
 * @param elapsedSeconds   seconds since training started
 */
public record Progress(int epoch, int epochs, int step, int stepsPerEpoch, long globalStep,
    double trainLoss, double samplesPerSecond, double epochEtaSeconds, double runEtaSeconds,
    double elapsedSeconds) {

  /** The log line, e.g. {@code epoch 2/10  step 120/400 (30%)  train loss 0.1234 ...}. */
  public String describe() {
    return String.format(Locale.ROOT, "epoch %d/%d  step %d/%d (%.0f%%)  train loss %.5f  "
        + "%.0f samples/s  epoch ETA %s  run ETA %s", epoch, epochs, step, stepsPerEpoch,
        100.0 * step / stepsPerEpoch, trainLoss, samplesPerSecond, duration(epochEtaSeconds),
        duration(runEtaSeconds));
  }

  /** Seconds as {@code 42s}, {@code 3m05s} or {@code 2h07m}. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
