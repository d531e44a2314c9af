package io.sparkmlp.trainer;

import io.sparkmlp.trainer.state.TrainingState;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports progress inside epochs at a fixed wall-clock interval: a log line and
 * {@link TrainingListener#onProgress} with step/steps, the epoch's loss and samples/s so far, and
 * the ETA of the epoch and the run (from this epoch's pace; validation passes not included).
 */
final class ProgressReporter {
  private static final Logger LOG = LoggerFactory.getLogger(MlpTrainer.class);

  private final long intervalNanos;
  private final int epochs;
  private final int stepsPerEpoch;
  private final List<TrainingListener> listeners;
  private final long runStart = System.nanoTime();
  private long epochStart;
  private int epochFirstStep;
  private long epochFirstRows;
  private long lastReport;

  /**
   * @param intervalSeconds seconds between reports; 0 turns them off
   */
  ProgressReporter(double intervalSeconds, int epochs, int stepsPerEpoch,
      List<TrainingListener> listeners) {
    this.intervalNanos = (long) (intervalSeconds * 1e9);
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.listeners = listeners;
  }

  /** An epoch (or a resumed part of one) starts now. */
  void beginEpoch(TrainingState state) {
    epochStart = System.nanoTime();
    epochFirstStep = state.stepsDone();
    epochFirstRows = state.epochRows();
    lastReport = epochStart;
  }

  /** A step ended; reports if the interval has passed since the last report. */
  void afterStep(TrainingState state) {
    if (intervalNanos <= 0) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastReport < intervalNanos) {
      return;
    }
    lastReport = now;
    int done = state.stepsDone();
    double seconds = (now - epochStart) / 1e9;
    double perStep = seconds / Math.max(1, done - epochFirstStep);
    double epochEta = perStep * (stepsPerEpoch - done);
    double runEta = epochEta + perStep * stepsPerEpoch * (epochs - state.epoch());
    Progress p = new Progress(state.epoch(), epochs, done, stepsPerEpoch, state.step(),
        state.epochRows() == 0 ? Double.NaN : state.epochLossSum() / state.epochWeightSum(),
        (state.epochRows() - epochFirstRows) / Math.max(seconds, 1e-9), epochEta, runEta,
        (now - runStart) / 1e9);
    LOG.info(p.describe());
    for (TrainingListener l : listeners) {
      l.onProgress(p);
    }
  }
}
