package io.sparkmlp.trainer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.trainer.state.EpochRecord;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training run as JSON lines ({@value #FILE_NAME}): one {@code "event": "start"} line with the
 * start-up phases' wall seconds, one {@code "event": "epoch"} line per finished epoch and one
 * {@code "event": "progress"} line per progress report. The lines are kept
 * for the model directory and, when a directory is given (the checkpoint path), also appended to
 * {@code <dir>/metrics.jsonl} as they happen and flushed, so that a running job can be followed with
 * {@code tail -f} or plotted by any tool. A resumed run keeps the lines already in that file.
 */
public final class MetricsLog implements TrainingListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** File name in the model directory and next to the checkpoints. */
  public static final String FILE_NAME = "metrics.jsonl";

  private final List<String> lines = new ArrayList<>();
  private Map<String, Double> earlierPhases = Map.of();
  private final Path live;
  private FSDataOutputStream out;

  private MetricsLog(Path live, FSDataOutputStream out) {
    this.live = live;
    this.out = out;
  }

  /** A log kept in memory only. */
  public static MetricsLog inMemory() {
    return new MetricsLog(null, null);
  }

  /**
   * A log that is also written live to {@code <dir>/metrics.jsonl}.
   *
   * @param dir        a directory on any Hadoop file system (created if needed), or null for
   *                   {@link #inMemory}
   * @param resume     keep the lines an earlier (interrupted) run left in the file; else start it
   *                   afresh
   * @param hadoopConf resolves the file system
   */
  public static MetricsLog open(String dir, boolean resume, Configuration hadoopConf) {
    if (dir == null) {
      return inMemory();
    }
    Path file = new Path(dir, FILE_NAME);
    try {
      FileSystem fs = file.getFileSystem(hadoopConf);
      if (fs instanceof LocalFileSystem local) {
        fs = local.getRawFileSystem(); // no .crc side file next to a file that keeps growing
      }
      List<String> earlier = resume ? read(fs, file) : List.of();
      fs.mkdirs(file.getParent());
      MetricsLog log = new MetricsLog(fs.makeQualified(file), fs.create(file, true));
      for (String line : earlier) {
        log.append(line);
      }
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write the metrics log: " + e.getMessage(), e);
    }
  }

  private static List<String> read(FileSystem fs, Path file) throws IOException {
    List<String> l = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file),
        StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isBlank()) {
          l.add(line);
        }
      }
    } catch (FileNotFoundException e) {
      return l;
    }
    return l;
  }

  /**
   * Start-up phases that ran before the trainer (session, reading, preparation), in order, for
   * the {@code "start"} line; call it before training starts.
   *
   * @param seconds wall seconds per phase name
   */
  public void startupPhases(Map<String, Double> seconds) {
    earlierPhases = new LinkedHashMap<>(seconds);
  }

  /**
   * One {@code "event": "start"} line before the first step: the wall seconds of each start-up
   * phase ({@link #startupPhases}, then {@code pack}) and the rows packed.
   */
  @Override
  public void onStart(Startup s) {
    ObjectNode o = event("start");
    ObjectNode phases = o.putObject("phase_seconds");
    earlierPhases.forEach(phases::put);
    phases.put("pack", s.packSeconds());
    o.put("train_rows", s.train().rows());
    if (s.validation() != null) {
      o.put("validation_rows", s.validation().rows());
    }
    append(o);
  }

  @Override
  public void onProgress(Progress p) {
    ObjectNode o = event("progress");
    o.put("epoch", p.epoch());
    o.put("step", p.step());
    o.put("steps_per_epoch", p.stepsPerEpoch());
    o.put("global_step", p.globalStep());
    o.put("train_loss", p.trainLoss());
    o.put("samples_per_second", p.samplesPerSecond());
    o.put("epoch_eta_seconds", p.epochEtaSeconds());
    o.put("run_eta_seconds", p.runEtaSeconds());
    o.put("elapsed_seconds", p.elapsedSeconds());
    append(o);
  }

  @Override
  public void onEpoch(EpochRecord r) {
    ObjectNode o = event("epoch");
    o.put("epoch", r.epoch());
    o.put("global_step", r.steps());
    o.put("train_loss", r.trainLoss());
    if (!Double.isNaN(r.validationLoss())) {
      o.put("validation_loss", r.validationLoss());
      o.put("validation_metric", r.validationMetric());
    }
    o.put("learning_rate", r.learningRate());
    o.put("samples_per_second", r.samplesPerSecond());
    o.put("elapsed_seconds", r.elapsedSeconds());
    append(o);
  }

  /** Every line so far, newline-terminated (the model directory's copy). */
  public byte[] bytes() {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The lines so far. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  private static ObjectNode event(String kind) {
    ObjectNode o = JSON.createObjectNode();
    o.put("event", kind);
    o.put("time", Instant.now().toString());
    return o;
  }

  private void append(ObjectNode o) {
    try {
      append(JSON.writeValueAsString(o));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void append(String line) {
    lines.add(line);
    if (out == null) {
      return;
    }
    try {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.hflush();
    } catch (IOException e) {
      // following the run live is a convenience: training goes on, the model gets the full log
      LOG.warn("cannot append to {} ({}); the metrics log continues in memory only", live,
          e.getMessage());
      closeQuietly();
    }
  }

  /** Closes the live file. */
  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.warn("cannot close {}: {}", live, e.getMessage());
      }
      out = null;
    }
  }
}
