package io.sparkmlp.trainer.io;

import io.sparkmlp.model.optim.UpdaterState;
import io.sparkmlp.trainer.EpochRecord;
import java.util.List;
import java.util.Objects;

/**
 * Everything the trainer needs to continue a run at a step boundary bit for bit. Batches are a
 * pure function of (seed, epoch, step), so no random-generator state is needed beyond the seed,
 * which is part of the fingerprint.
 *
 * @param step         global steps done
 * @param epoch        the epoch to continue in (1-based)
 * @param stepsDone    steps of {@code epoch} already done; 0 at an epoch boundary (the previous
 *                     epoch's validation and early-stopping bookkeeping are done)
 * @param epochLossSum summed training loss of the steps done in {@code epoch}
 * @param epochRows    rows seen by the steps done in {@code epoch}
 * @param lastLr       learning rate of the last update
 * @param bestLoss     best validation loss so far (+inf if none)
 * @param bestEpoch    epoch of {@code bestLoss} (0 if none)
 * @param sinceBest    epochs since the best validation loss (early-stopping counter)
 * @param stopReason   non-null if training had already finished (e.g. early stopping)
 * @param fingerprint  hash of the trajectory-determining configuration and data description
 * @param history      completed epochs
 * @param params       the weights
 * @param bestParams   the weights of the best epoch when restoring the best weights, else null
 * @param updater      the optimizer's state
 */
public record TrainingCheckpoint(long step, int epoch, int stepsDone, double epochLossSum,
    long epochRows, double lastLr, double bestLoss, int bestEpoch, int sinceBest,
    String stopReason, String fingerprint, List<EpochRecord> history, float[] params,
    float[] bestParams, UpdaterState updater) {

  /** Checks for nulls and copies the history. */
  public TrainingCheckpoint {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(updater, "updater");
    history = List.copyOf(history);
  }
}
