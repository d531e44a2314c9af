package io.sparkmlp.trainer.state;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.model.format.FloatTensor;
import io.sparkmlp.model.format.SafeTensors;
import io.sparkmlp.model.format.TensorFile;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.UpdaterState;
import io.sparkmlp.trainer.store.AtomicWrite;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training checkpoints under one directory on any Hadoop file system (local, HDFS, S3A):
 * <pre>
 *   &lt;path&gt;/step-000000000120/state.json           position, counters, history, fingerprint
 *   &lt;path&gt;/step-000000000120/tensors.safetensors  params, best_params, updater.&lt;slot&gt;,
 *                                                outer.&lt;slot&gt; (float32)
 * </pre>
 * The {@code outer} entries (the outer optimizer of local SGD: its kind, step and momentum buffer)
 * are present only for runs that have one.
 * Each checkpoint is written with {@link AtomicWrite} (a temporary sibling, tensors first,
 * {@code state.json} last, renamed into place), then all but the newest {@code keep} are deleted. Doubles in {@code state.json} are stored as {@link Double#toHexString} strings, so they
 * round-trip bit for bit (NaN and infinities included). Nothing uses Java serialization.
 *
 * <p>{@link #latest} returns the newest checkpoint that reads back completely and consistently;
 * a corrupt or partial one is skipped with a warning.
 */
public final class CheckpointStore {
  /** Format version of {@code state.json}. */
  public static final int FORMAT_VERSION = 1;
  /** The state file of a checkpoint. */
  public static final String STATE_JSON = "state.json";
  /** The tensor file of a checkpoint. */
  public static final String TENSORS_FILE = "tensors.safetensors";

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final Pattern NAME = Pattern.compile("step-\\d{12}");
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final FileSystem fs;
  private final Path root;
  private final int keep;

  /**
   * A store rooted at {@code path}; nothing is created until the first {@link #save}.
   *
   * @param keep how many of the newest checkpoints {@link #save} keeps (at least 1)
   */
  public CheckpointStore(String path, int keep, Configuration hadoopConf) throws IOException {
    Objects.requireNonNull(path, "path");
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1, got " + keep);
    }
    Path raw = new Path(path);
    FileSystem f = raw.getFileSystem(hadoopConf);
    this.fs = f instanceof LocalFileSystem local ? local.getRawFileSystem() : f;
    this.root = fs.makeQualified(raw);
    this.keep = keep;
  }

  /** The qualified root directory. */
  public Path root() {
    return root;
  }

  /** The committed checkpoint directories, oldest first (by step). */
  public List<Path> list() throws IOException {
    List<Path> out = new ArrayList<>();
    FileStatus[] children;
    try {
      children = fs.listStatus(root);
    } catch (FileNotFoundException e) {
      return out;
    }
    for (FileStatus st : children) {
      if (st.isDirectory() && NAME.matcher(st.getPath().getName()).matches()) {
        out.add(st.getPath());
      }
    }
    out.sort((a, b) -> a.getName().compareTo(b.getName()));
    return out;
  }

  /** The directory name of the checkpoint at global step {@code step}. */
  static String name(long step) {
    return String.format("step-%012d", step);
  }

  /**
   * Writes {@code state} with the optimizer's state and the run's fingerprint atomically as
   * {@code step-<step>} (replacing one of the same step), then deletes all but the newest
   * {@code keep} checkpoints and any leftover temporary directories.
   *
   * @param fingerprint hash of the trajectory-determining configuration and data description
   * @return the committed directory
   */
  public Path save(TrainingState state, UpdaterState optimizer, String fingerprint)
      throws IOException {
    return save(state, optimizer, null, fingerprint);
  }

  /**
   * Like {@link #save(TrainingState, UpdaterState, String)}, with the state of the outer
   * optimizer of local SGD ({@code outer}, null for none).
   */
  public Path save(TrainingState state, UpdaterState optimizer, UpdaterState outer,
      String fingerprint) throws IOException {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Checkpoint c = new Checkpoint(fingerprint, state, optimizer, outer);
    Path target = new Path(root, name(state.step));
    AtomicWrite.write(fs, target, "checkpoint", AtomicWrite.ALWAYS, tmp -> {
      if (!fs.mkdirs(tmp)) {
        throw new IOException("cannot create temporary checkpoint directory " + tmp);
      }
      try (OutputStream out = fs.create(new Path(tmp, TENSORS_FILE), false)) {
        SafeTensors.write(tensors(c), out);
      }
      try (OutputStream out = fs.create(new Path(tmp, STATE_JSON), false)) {
        MAPPER.writeValue(out, stateJson(c));
      }
    });
    prune();
    return target;
  }

  private void prune() {
    try {
      List<Path> all = list();
      for (int i = 0; i < all.size() - keep; i++) {
        fs.delete(all.get(i), true);
      }
      for (FileStatus st : fs.listStatus(root)) {
        String n = st.getPath().getName();
        if (n.startsWith(".step-") && AtomicWrite.isLeftover(n)) {
          fs.delete(st.getPath(), true);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not delete old checkpoints under {}", root, e);
    }
  }

  /**
   * The newest checkpoint that reads back completely with {@code paramCount} parameters; corrupt,
   * partial or mis-sized ones are skipped with a warning. Empty if there is none.
   */
  public Optional<Loaded> latest(int paramCount) throws IOException {
    List<Path> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      Path dir = all.get(i);
      try {
        return Optional.of(load(dir, paramCount));
      } catch (IOException | RuntimeException e) {
        LOG.warn("skipping unreadable checkpoint {}: {}", dir, e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * A checkpoint read back: where it was read from, the fingerprint of the run that wrote it, the
   * training state, the optimizer's state and the outer optimizer's (null if the run had none).
   */
  public record Loaded(Path dir, String fingerprint, TrainingState state, UpdaterState optimizer,
      UpdaterState outer) {}

  /** What one checkpoint holds. */
  private record Checkpoint(String fingerprint, TrainingState state, UpdaterState optimizer,
      UpdaterState outer) {}

  /**
   * Reads the checkpoint in {@code dir}.
   *
   * @throws IOException naming the file if it is missing, malformed or has the wrong sizes
   */
  public Loaded load(Path dir, int paramCount) throws IOException {
    Path statePath = new Path(dir, STATE_JSON);
    Path tensorPath = new Path(dir, TENSORS_FILE);
    JsonNode s;
    try (InputStream in = fs.open(statePath)) {
      s = MAPPER.readTree(in);
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("missing " + statePath);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(statePath + ": not valid JSON: "
          + e.getOriginalMessage().replace('\n', ' '), e);
    }
    long length;
    try {
      length = fs.getFileStatus(tensorPath).getLen();
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("missing " + tensorPath);
    }
    TensorFile tf;
    String source = tensorPath.toString();
    try (InputStream in = fs.open(tensorPath)) {
      tf = SafeTensors.read(in, length, source, header -> header.shapes().forEach((n, shape) -> {
        if (shape.size() != 1 || shape.get(0) != paramCount) {
          throw new IllegalArgumentException(source + ": tensor '" + n + "' has shape " + shape
              + ", expected [" + paramCount + "]");
        }
      }));
    }
    try {
      Checkpoint c = fromJson(s, tf, source);
      return new Loaded(dir, c.fingerprint(), c.state(), c.optimizer(), c.outer());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException(statePath + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- encoding

  private static TensorFile tensors(Checkpoint c) {
    TrainingState st = c.state();
    List<FloatTensor> t = new ArrayList<>();
    t.add(vec("params", st.params));
    if (st.bestParams != null) {
      t.add(vec("best_params", st.bestParams));
    }
    for (Map.Entry<String, float[]> e : c.optimizer().slots().entrySet()) {
      t.add(vec("updater." + e.getKey(), e.getValue()));
    }
    if (c.outer() != null) {
      for (Map.Entry<String, float[]> e : c.outer().slots().entrySet()) {
        t.add(vec("outer." + e.getKey(), e.getValue()));
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("producer", "spark-mlp");
    meta.put("kind", "checkpoint");
    meta.put("step", Long.toString(st.step));
    return new TensorFile(t, meta);
  }

  private static FloatTensor vec(String name, float[] data) {
    return new FloatTensor(name, List.of(data.length), data);
  }

  private static String d(double v) {
    return Double.toHexString(v);
  }

  private static ObjectNode stateJson(Checkpoint c) {
    TrainingState st = c.state();
    ObjectNode o = MAPPER.createObjectNode();
    o.put("format_version", FORMAT_VERSION);
    o.put("fingerprint", c.fingerprint());
    o.put("step", st.step);
    o.put("epoch", st.epoch);
    o.put("steps_done_in_epoch", st.stepsDone);
    o.put("epoch_loss_sum", d(st.epochLossSum));
    o.put("epoch_rows", st.epochRows);
    o.put("epoch_weight_sum", d(st.epochWeightSum));
    o.put("last_learning_rate", d(st.lastLr));
    ObjectNode es = o.putObject("early_stopping");
    es.put("best_loss", d(st.bestLoss));
    es.put("best_epoch", st.bestEpoch);
    es.put("since_best", st.sinceBest);
    es.put("has_best_params", st.bestParams != null);
    if (st.stopReason != null) {
      o.put("stop_reason", st.stopReason);
    }
    ObjectNode u = o.putObject("updater");
    u.put("optimizer", c.optimizer().kind().name());
    u.put("step", c.optimizer().step());
    ArrayNode slots = u.putArray("slots");
    c.optimizer().slots().keySet().forEach(slots::add);
    ObjectNode scalars = u.putObject("scalars");
    c.optimizer().scalars().forEach((k, v) -> scalars.put(k, d(v)));
    if (c.outer() != null) {
      ObjectNode ou = o.putObject("outer");
      ou.put("optimizer", c.outer().kind().name());
      ou.put("step", c.outer().step());
      ArrayNode os = ou.putArray("slots");
      c.outer().slots().keySet().forEach(os::add);
    }
    ArrayNode h = o.putArray("history");
    for (EpochRecord r : st.history) {
      ObjectNode e = h.addObject();
      e.put("epoch", r.epoch());
      e.put("steps", r.steps());
      e.put("train_loss", d(r.trainLoss()));
      e.put("validation_loss", d(r.validationLoss()));
      e.put("validation_metric", d(r.validationMetric()));
      e.put("learning_rate", d(r.learningRate()));
      e.put("samples_per_second", d(r.samplesPerSecond()));
      e.put("elapsed_seconds", d(r.elapsedSeconds()));
    }
    return o;
  }

  private static JsonNode req(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return v;
  }

  private static double dbl(JsonNode n, String field) {
    JsonNode v = req(n, field);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a hex double string");
    }
    try {
      return Double.parseDouble(v.asText());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("field '" + field + "' is not a number: " + v.asText());
    }
  }

  private static long lng(JsonNode n, String field) {
    JsonNode v = req(n, field);
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("field '" + field + "' must be an integer");
    }
    return v.asLong();
  }

  private static int integer(JsonNode n, String field) {
    long v = lng(n, field);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("field '" + field + "' is out of range: " + v);
    }
    return (int) v;
  }

  private static Checkpoint fromJson(JsonNode s, TensorFile tf, String source) {
    int version = integer(s, "format_version");
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException("checkpoint format version " + version
          + " is not supported (this build reads version " + FORMAT_VERSION + ")");
    }
    JsonNode es = req(s, "early_stopping");
    JsonNode u = req(s, "updater");
    Map<String, float[]> slots = new TreeMap<>();
    for (JsonNode n : req(u, "slots")) {
      String name = n.asText();
      slots.put(name, tf.find("updater." + name).orElseThrow(() -> new IllegalArgumentException(
          "missing tensor 'updater." + name + "' in " + source)).data());
    }
    Map<String, Double> scalars = new TreeMap<>();
    req(u, "scalars").fieldNames().forEachRemaining(k -> scalars.put(k, dbl(u.get("scalars"), k)));
    UpdaterState us = new UpdaterState(OptimizerKind.valueOf(req(u, "optimizer").asText()),
        lng(u, "step"), slots, scalars);
    UpdaterState outer = null;
    JsonNode ou = s.get("outer");
    if (ou != null && !ou.isNull()) {
      Map<String, float[]> os = new TreeMap<>();
      for (JsonNode n : req(ou, "slots")) {
        String name = n.asText();
        os.put(name, tf.find("outer." + name).orElseThrow(() -> new IllegalArgumentException(
            "missing tensor 'outer." + name + "' in " + source)).data());
      }
      outer = new UpdaterState(OptimizerKind.valueOf(req(ou, "optimizer").asText()),
          lng(ou, "step"), os, Map.of());
    }
    List<EpochRecord> history = new ArrayList<>();
    for (JsonNode e : req(s, "history")) {
      history.add(new EpochRecord(integer(e, "epoch"), lng(e, "steps"), dbl(e, "train_loss"),
          dbl(e, "validation_loss"), dbl(e, "validation_metric"), dbl(e, "learning_rate"),
          dbl(e, "samples_per_second"), dbl(e, "elapsed_seconds")));
    }
    float[] params = tf.find("params").orElseThrow(() -> new IllegalArgumentException(
        "missing tensor 'params' in " + source)).data();
    float[] best = null;
    if (req(es, "has_best_params").asBoolean()) {
      best = tf.find("best_params").orElseThrow(() -> new IllegalArgumentException(
          "missing tensor 'best_params' in " + source)).data();
    }
    JsonNode stop = s.get("stop_reason");
    TrainingState st = new TrainingState(params);
    st.step = lng(s, "step");
    st.epoch = integer(s, "epoch");
    st.stepsDone = integer(s, "steps_done_in_epoch");
    st.epochLossSum = dbl(s, "epoch_loss_sum");
    st.epochRows = lng(s, "epoch_rows");
    // checkpoints written before row weights existed: every weight was 1
    st.epochWeightSum = s.has("epoch_weight_sum") ? dbl(s, "epoch_weight_sum") : st.epochRows;
    st.lastLr = (float) dbl(s, "last_learning_rate");
    st.bestLoss = dbl(es, "best_loss");
    st.bestEpoch = integer(es, "best_epoch");
    st.sinceBest = integer(es, "since_best");
    st.bestParams = best;
    st.stopReason = stop == null || stop.isNull() ? null : stop.asText();
    st.history.addAll(history);
    return new Checkpoint(req(s, "fingerprint").asText(), st, us, outer);
  }
}
