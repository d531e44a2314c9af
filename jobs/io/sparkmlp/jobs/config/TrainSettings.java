package io.sparkmlp.jobs.config;

import io.sparkmlp.model.optim.OptimConfig;
import java.util.Objects;

/**
 * The validated {@code train} section.
 *
 * @param epochs                passes over the training data
 * @param batchSize             global mini-batch size
 * @param seed                  seed of initialization, splits and batches
 * @param optim                 optimizer, schedule, regularization and clipping
 * @param earlyStoppingPatience epochs without improvement before stopping; 0 = off
 * @param earlyStoppingMinDelta minimum validation-loss decrease that counts as improvement
 * @param restoreBest           keep the weights of the best validation epoch
 * @param storageLevel          Spark storage level name of the cached training data
 * @param treeDepth             tree reduction depth; 0 = automatic
 */
public record TrainSettings(
    int epochs,
    int batchSize,
    long seed,
    OptimConfig optim,
    int earlyStoppingPatience,
    double earlyStoppingMinDelta,
    boolean restoreBest,
    String storageLevel,
    int treeDepth) {

  /** Checks for nulls. */
  public TrainSettings {
    Objects.requireNonNull(optim, "optim");
    Objects.requireNonNull(storageLevel, "storageLevel");
  }
}
