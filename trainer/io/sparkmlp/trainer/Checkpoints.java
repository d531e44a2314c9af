package io.sparkmlp.trainer;

import io.sparkmlp.model.optim.Updater;
import io.sparkmlp.trainer.state.CheckpointStore;
import io.sparkmlp.trainer.state.TrainingState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the trainer writes checkpoints and how it resumes from them ({@link CheckpointSettings}).
 * A checkpoint due at an epoch's last step is written after that epoch's validation, so that it
 * holds the epoch's bookkeeping. Resuming is refused when the path already holds checkpoints and
 * resume is off, or when the newest usable checkpoint was written for another configuration or
 * data (a different fingerprint) unless forced.
 */
final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

  private final CheckpointSettings settings;
  private final CheckpointStore store;
  private final String fingerprint;
  private Path last;
  private Path resumedFrom;

  private Checkpoints(CheckpointSettings settings, CheckpointStore store, String fingerprint) {
    this.settings = settings;
    this.store = store;
    this.fingerprint = fingerprint;
  }

  /**
   * The policy of {@code settings}; inert when checkpoints are off.
   *
   * @param trajectory what determines the run's weights (configuration and data description),
   *                   hashed into the fingerprint that a resume must match
   */
  static Checkpoints open(CheckpointSettings settings, Configuration hadoopConf, String trajectory)
      throws IOException {
    if (!settings.enabled()) {
      return new Checkpoints(settings, null, null);
    }
    return new Checkpoints(settings,
        new CheckpointStore(settings.path(), settings.keep(), hadoopConf), fingerprint(trajectory));
  }

  /**
   * The state to train from: the newest usable checkpoint's when resuming (its optimizer state
   * restored into {@code updater}, its outer optimizer state into {@code outer}), else
   * {@code fresh}.
   *
   * @param outer the outer update of local SGD, or null for none ({@link SyncSettings})
   */
  TrainingState resume(TrainingState fresh, Updater updater, Updater outer, int paramCount)
      throws IOException {
    if (store == null) {
      return fresh;
    }
    List<Path> existing = store.list();
    if (!settings.resume() && !existing.isEmpty()) {
      throw new IllegalArgumentException("checkpoint path " + store.root() + " already holds "
          + existing.size() + " checkpoint(s) (newest "
          + existing.get(existing.size() - 1).getName() + "): enable resume to continue from "
          + "them, or use an empty checkpoint path");
    }
    Optional<CheckpointStore.Loaded> loaded = settings.resume()
        ? store.latest(paramCount) : Optional.empty();
    if (loaded.isEmpty()) {
      if (settings.resume()) {
        LOG.info("no usable checkpoint under {}: training from the start", store.root());
      }
      return fresh;
    }
    CheckpointStore.Loaded c = loaded.get();
    if (!c.fingerprint().equals(fingerprint)) {
      String msg = "checkpoint " + c.dir() + " was written for a different configuration or data "
          + "(fingerprint " + shortHash(c.fingerprint()) + ", this run "
          + shortHash(fingerprint) + ")";
      if (!settings.force()) {
        throw new IllegalStateException(msg + ": refusing to resume; force the resume to "
            + "continue anyway, or use another checkpoint path");
      }
      LOG.warn("{}; resuming anyway (forced)", msg);
    }
    updater.restoreState(c.optimizer());
    if (outer != null && c.outer() != null) {
      outer.restoreState(c.outer());
    } else if (outer != null || c.outer() != null) {
      // only a forced resume gets here: the outer update is part of the fingerprint
      LOG.warn("checkpoint {} {} outer optimizer state; this run {} one: {}", c.dir(),
          c.outer() == null ? "has no" : "has an", outer == null ? "has no" : "has",
          outer == null ? "ignoring it" : "starting it from zero");
    }
    last = c.dir();
    resumedFrom = c.dir();
    TrainingState s = c.state();
    LOG.info("resuming from checkpoint {}: step {}, epoch {}, {} steps done in the epoch", c.dir(),
        s.step(), s.epoch(), s.stepsDone());
    return s;
  }

  /**
   * Writes a checkpoint after a round (a step, or H steps of local SGD) that does not end its
   * epoch, if one became due by steps during the round.
   *
   * @param outer    the outer update of local SGD, or null
   * @param fromStep the global step count before the round
   */
  void afterStep(TrainingState state, Updater updater, Updater outer, int stepsPerEpoch,
      long fromStep) throws IOException {
    if (store != null && dueBySteps(state, fromStep) && state.stepsDone() < stepsPerEpoch) {
      save(state, updater, outer);
    }
  }

  /**
   * Writes a checkpoint after an epoch's validation, if one is due by epoch or became due by steps
   * during the epoch's last round (which started after {@code fromStep} steps).
   */
  void afterEpoch(TrainingState state, Updater updater, Updater outer, long fromStep)
      throws IOException {
    if (store != null && (settings.everyEpoch() || dueBySteps(state, fromStep))) {
      save(state, updater, outer);
    }
  }

  /** Whether a multiple of the checkpoint interval lies in (fromStep, step]. */
  private boolean dueBySteps(TrainingState state, long fromStep) {
    long every = settings.everySteps();
    return every > 0 && state.step() / every > fromStep / every;
  }

  /** Writes a checkpoint, after checking that the weights are still finite. */
  private void save(TrainingState state, Updater updater, Updater outer) throws IOException {
    Divergence.checkWeights(state.params(), state.step(), updater.learningRate(),
        divergenceNote());
    last = store.save(state, updater.exportState(), outer == null ? null : outer.exportState(),
        fingerprint);
    LOG.info("checkpoint written: {}", last);
  }

  /** The end of a divergence message: where the last good checkpoint is, if checkpoints are on. */
  String divergenceNote() {
    if (store == null) {
      return "";
    }
    return last == null ? "; no checkpoint was written before the divergence"
        : "; the last good checkpoint is " + last;
  }

  /** Adds the fingerprint and the checkpoint resumed from (if any) to {@code provenance}. */
  void describe(Map<String, String> provenance) {
    if (fingerprint != null) {
      provenance.put("checkpoint.fingerprint", fingerprint);
    }
    if (resumedFrom != null) {
      provenance.put("resumed.from", resumedFrom.toString());
    }
  }

  /** SHA-256 of {@code text}, in hex. */
  static String fingerprint(String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder();
      for (byte b : h) {
        sb.append(String.format("%02x", b));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String shortHash(String h) {
    return h.length() > 12 ? h.substring(0, 12) : h;
  }
}
