package io.sparkmlp.trainer;

/**
 * The trainer's part of a run's start-up, reported to {@link TrainingListener#onStart} once the
 * data is packed and cached, before the first step.
 *
 * @param packSeconds wall seconds spent reading the input rows, packing and caching the training
 *                    and validation blocks (one pass when validation is held out of the training
 *                    rows)
 * @param train       the packed training data
 * @param validation  the packed validation data, or null without validation
 */
public record Startup(double packSeconds, DataReport train, DataReport validation) {}
