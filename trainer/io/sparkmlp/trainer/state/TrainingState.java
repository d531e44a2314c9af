package io.sparkmlp.trainer.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Everything the training loop carries from one step to the next, except the optimizer's own
 * state (which the {@link io.sparkmlp.model.optim.Updater} keeps): the weights, the position in
 * the run, the early-stopping bookkeeping, the finished epochs and why training stopped. A
 * checkpoint ({@link CheckpointStore}) writes exactly this plus the optimizer state, and a resume
 * reads it back, so an interrupted run continues bit for bit: batches are a pure function of
 * (seed, epoch, step), so no random-generator state is needed beyond the seed.
 *
 * <p>Position: {@link #step} global steps are done; the run continues in {@link #epoch} (1-based)
 * after {@link #stepsDone} of its steps, whose summed loss, rows and summed row weights are
 * {@link #epochLossSum}, {@link #epochRows} and {@link #epochWeightSum}. At an epoch boundary {@code stepsDone} is 0 and the previous epoch's
 * validation and early-stopping bookkeeping are done.
 */
public final class TrainingState {
  final float[] params;
  final List<EpochRecord> history = new ArrayList<>();
  long step;
  int epoch = 1;
  int stepsDone;
  double epochLossSum;
  long epochRows;
  double epochWeightSum;
  float lastLr;
  double bestLoss = Double.POSITIVE_INFINITY;
  int bestEpoch;
  int sinceBest;
  float[] bestParams;
  String stopReason;

  /** The state before the first step: {@code params} are the initial weights (kept, not copied). */
  public TrainingState(float[] params) {
    this.params = Objects.requireNonNull(params, "params");
  }

  /** The weights, updated in place by every step. */
  public float[] params() {
    return params;
  }

  /** Global steps done. */
  public long step() {
    return step;
  }

  /** The current epoch (1-based); one past the last epoch once all epochs are done. */
  public int epoch() {
    return epoch;
  }

  /** Steps of the current epoch already done. */
  public int stepsDone() {
    return stepsDone;
  }

  /** Summed training loss of the steps done in the current epoch. */
  public double epochLossSum() {
    return epochLossSum;
  }

  /** Rows seen by the steps done in the current epoch. */
  public long epochRows() {
    return epochRows;
  }

  /**
   * Summed row weights of the steps done in the current epoch (equal to {@link #epochRows} without
   * weights): the divisor of the epoch's mean training loss.
   */
  public double epochWeightSum() {
    return epochWeightSum;
  }

  /** Learning rate of the current epoch's last update (0 before its first). */
  public float lastLr() {
    return lastLr;
  }

  /** Best validation loss so far (+inf if none). */
  public double bestLoss() {
    return bestLoss;
  }

  /** Epoch of {@link #bestLoss} (0 if none). */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** Epochs since the best validation loss (the early-stopping counter). */
  public int sinceBest() {
    return sinceBest;
  }

  /** The weights of the best epoch when they are kept for restoring, else null. */
  public float[] bestParams() {
    return bestParams;
  }

  /** Why training stopped early (early stopping, a step limit), or null while it runs. */
  public String stopReason() {
    return stopReason;
  }

  /** Whether training has stopped before its last epoch. */
  public boolean stopped() {
    return stopReason != null;
  }

  /** The finished epochs, oldest first (read-only view). */
  public List<EpochRecord> history() {
    return Collections.unmodifiableList(history);
  }

  /**
   * Starts the current epoch: a fresh epoch (no steps done yet) starts its loss and rows from zero
   * and has no learning rate yet; an epoch resumed mid-way keeps its partial sums.
   */
  public void beginEpoch() {
    if (stepsDone == 0) {
      epochLossSum = 0;
      epochRows = 0;
      epochWeightSum = 0;
      lastLr = 0;
    }
  }

  /** Counts the next global step and returns its number (1-based). */
  public long nextStep() {
    return ++step;
  }

  /** Adds an update's summed loss, row count and learning rate to the current epoch. */
  public void recordUpdate(double lossSum, long rows, float learningRate) {
    recordUpdate(lossSum, rows, rows, learningRate);
  }

  /**
   * Adds an update's summed (weighted) loss, row count, summed row weights and learning rate to
   * the current epoch.
   */
  public void recordUpdate(double lossSum, long rows, double weightSum, float learningRate) {
    lastLr = learningRate;
    epochLossSum += lossSum;
    epochRows += rows;
    epochWeightSum += weightSum;
  }

  /** Marks the current step of the epoch done. */
  public void stepDone() {
    stepsDone++;
  }

  /** A new best validation loss in the current epoch; keeps a copy of the weights if asked. */
  public void improved(double validationLoss, boolean keepWeights) {
    bestLoss = validationLoss;
    bestEpoch = epoch;
    sinceBest = 0;
    if (keepWeights) {
      bestParams = params.clone();
    }
  }

  /** One more epoch without improvement; returns the new count. */
  public int notImproved() {
    return ++sinceBest;
  }

  /** Stops training with {@code reason}. */
  public void stop(String reason) {
    stopReason = Objects.requireNonNull(reason, "reason");
  }

  /** Finishes the current epoch with its record and moves to the start of the next. */
  public void endEpoch(EpochRecord record) {
    history.add(record);
    epoch++;
    stepsDone = 0;
    epochLossSum = 0;
    epochRows = 0;
    epochWeightSum = 0;
  }
}
