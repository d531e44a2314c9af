package io.sparkmlp.trainer;

import io.sparkmlp.trainer.state.EpochRecord;

/**
 * Follows a training run from the driver: the end of start-up (data packed), a progress report at
 * the trainer's progress interval inside each epoch, and each finished epoch's record. Called on
 * the driver's training thread, so an implementation must be quick (append a line, not a Spark
 * job).
 */
public interface TrainingListener {

  /** The training and validation data are packed and cached; the first step comes next. */
  default void onStart(Startup startup) {}

  /** A progress report inside an epoch (see {@link TrainerConfig#progressIntervalSeconds}). */
  default void onProgress(Progress progress) {}

  /** An epoch ended (after its validation pass). */
  default void onEpoch(EpochRecord epoch) {}
}
