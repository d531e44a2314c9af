package io.sparkmlp.trainer.state;

/**
 * Metrics of one training epoch.
 *
 * @param epoch           1-based epoch number
 * @param steps           optimizer steps taken so far
 * @param trainLoss       mean training loss over the epoch's steps (with the weights of each step)
 * @param validationLoss  mean validation loss at the end of the epoch (NaN without validation)
 * @param validationMetric accuracy (classification) or RMSE (regression) on validation (NaN if none)
 * @param learningRate    learning rate used by the epoch's last step
 * @param samplesPerSecond training rows processed per second during the epoch
 * @param elapsedSeconds  wall time since training started
 */
public record EpochRecord(int epoch, long steps, double trainLoss, double validationLoss,
    double validationMetric, double learningRate, double samplesPerSecond,
    double elapsedSeconds) {}
