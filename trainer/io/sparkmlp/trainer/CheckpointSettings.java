package io.sparkmlp.trainer;

/**
 * Where and how often the trainer writes checkpoints, and whether it resumes from them.
 *
 * @param path       checkpoint directory on any Hadoop file system (local, HDFS, S3A); null = off
 * @param everySteps write a checkpoint every this many global steps; 0 = not by steps
 * @param everyEpoch write a checkpoint at the end of every epoch (after validation)
 * @param keep       how many of the newest checkpoints to keep (older ones are deleted)
 * @param resume     continue from the newest valid checkpoint under {@code path}, if any
 * @param force      resume even if the checkpoint was written for another configuration or data
 *                   (its fingerprint differs); the parameter count must still match
 */
public record CheckpointSettings(String path, int everySteps, boolean everyEpoch, int keep,
    boolean resume, boolean force) {

  /** No checkpoints (the other fields are the job defaults). */
  public static final CheckpointSettings NONE =
      new CheckpointSettings(null, 0, true, 3, false, false);

  /** Validates; messages name the field. */
  public CheckpointSettings {
    if (path != null && path.isBlank()) {
      throw new IllegalArgumentException("checkpoint path must not be blank");
    }
    if (everySteps < 0) {
      throw new IllegalArgumentException("checkpoint everySteps must be >= 0, got " + everySteps);
    }
    if (keep < 1) {
      throw new IllegalArgumentException("checkpoint keep must be >= 1, got " + keep);
    }
    if (path != null && everySteps == 0 && !everyEpoch) {
      throw new IllegalArgumentException("checkpoint path is set but neither everySteps > 0 nor "
          + "everyEpoch: no checkpoint would ever be written");
    }
    if (path == null && (resume || force)) {
      throw new IllegalArgumentException("checkpoint resume/force need a checkpoint path");
    }
  }

  /** Whether checkpoints are written. */
  public boolean enabled() {
    return path != null;
  }
}
