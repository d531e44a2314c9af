package io.sparkmlp.trainer;

import io.sparkmlp.trainer.state.TrainingState;

/**
 * Stops training when the validation loss has not improved by more than {@code minDelta} for
 * {@code patience} epochs, keeping the best epoch's weights for restoring if asked. A patience of
 * 0 turns it off.
 */
final class EarlyStopping {
  private final int patience;
  private final double minDelta;
  private final boolean restoreBest;

  EarlyStopping(int patience, double minDelta, boolean restoreBest) {
    this.patience = patience;
    this.minDelta = minDelta;
    this.restoreBest = restoreBest;
  }

  /** The policy of {@code config}. */
  static EarlyStopping of(TrainerConfig config) {
    return new EarlyStopping(config.earlyStoppingPatience(), config.earlyStoppingMinDelta(),
        config.restoreBestWeights());
  }

  /** Records the current epoch's validation loss; stops {@code state} when patience runs out. */
  void afterValidation(TrainingState state, double validationLoss) {
    if (patience <= 0) {
      return;
    }
    if (validationLoss < state.bestLoss() - minDelta) {
      state.improved(validationLoss, restoreBest);
    } else if (state.notImproved() >= patience) {
      state.stop("early stopping at epoch " + state.epoch() + ": no validation improvement for "
          + state.sinceBest() + " epochs (best epoch " + state.bestEpoch() + ")");
    }
  }
}
