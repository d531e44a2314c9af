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
   * restored into {@code updater}), else {@code fresh}.
   */
  TrainingState resume(TrainingState fresh, Updater updater, int paramCount) throws IOException {
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
    last = c.dir();
    resumedFrom = c.dir();
    TrainingState s = c.state();
    LOG.info("resuming from checkpoint {}: step {}, epoch {}, {} steps done in the epoch", c.dir(),
        s.step(), s.epoch(), s.stepsDone());
    return s;
  }

  /** Writes a checkpoint after a step that is not its epoch's last, if one is due by steps. */
  void afterStep(TrainingState state, Updater updater, int stepsPerEpoch) throws IOException {
    if (store != null && dueBySteps(state) && state.stepsDone() < stepsPerEpoch) {
      save(state, updater);
    }
  }

  /** Writes a checkpoint after an epoch's validation, if one is due by epoch or by steps. */
  void afterEpoch(TrainingState state, Updater updater) throws IOException {
    if (store != null && (settings.everyEpoch() || dueBySteps(state))) {
      save(state, updater);
    }
  }

  private boolean dueBySteps(TrainingState state) {
    return settings.everySteps() > 0 && state.step() % settings.everySteps() == 0;
  }

  /** Writes a checkpoint, after checking that the weights are still finite. */
  private void save(TrainingState state, Updater updater) throws IOException {
    Divergence.checkWeights(state.params(), state.step(), updater.learningRate(),
        divergenceNote());
    last = store.save(state, updater.exportState(), fingerprint);
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
