package io.sparkmlp.jobs.config;

import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.ScheduleConfig;
import io.sparkmlp.model.optim.ScheduleKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code train} section. The optimizer and schedule are built as {@link OptimConfig} and
 * {@link ScheduleConfig}, whose own validation runs too; their messages, which name record fields
 * ({@code learningRate}), are re-thrown with the configuration keys
 * ({@code train.optimizer.learning-rate}).
 */
final class TrainSection {
  private TrainSection() {}

  private static final String OPT = "train.optimizer.";
  private static final String SCHED = "train.schedule.";

  /** Record field names of OptimConfig and ScheduleConfig, and their keys. */
  private static final Map<String, String> FIELD_KEYS = new LinkedHashMap<>();

  static {
    FIELD_KEYS.put("learningRate", OPT + "learning-rate");
    FIELD_KEYS.put("momentum", OPT + "momentum");
    FIELD_KEYS.put("beta1", OPT + "beta1");
    FIELD_KEYS.put("beta2", OPT + "beta2");
    FIELD_KEYS.put("rho", OPT + "rho");
    FIELD_KEYS.put("epsilon", OPT + "epsilon");
    FIELD_KEYS.put("l2", OPT + "l2");
    FIELD_KEYS.put("weightDecay", OPT + "weight-decay");
    FIELD_KEYS.put("clipNorm", OPT + "clip-norm");
    FIELD_KEYS.put("stepSize", SCHED + "step-size");
    FIELD_KEYS.put("gamma", SCHED + "gamma");
    FIELD_KEYS.put("warmupSteps", SCHED + "warmup-steps");
    FIELD_KEYS.put("minLearningRate", SCHED + "min-learning-rate");
    FIELD_KEYS.put("factor", SCHED + "factor");
    FIELD_KEYS.put("patience", SCHED + "patience");
    FIELD_KEYS.put("threshold", SCHED + "threshold");
    FIELD_KEYS.put("minLr", SCHED + "min-lr");
  }

  private static final Pattern FIELD =
      Pattern.compile("\\b(" + String.join("|", FIELD_KEYS.keySet()) + ")\\b");

  /**
   * Reads and validates the section.
   *
   * @param hasValidation whether the job has validation data (needed by early stopping and the
   *                      plateau schedule)
   * @throws ConfigError naming the offending key
   */
  static TrainSettings read(ConfigReader r, boolean hasValidation) {
    int epochs = r.integer("train.epochs");
    int batchSize = r.integer("train.batch-size");
    long seed = r.longInteger("train.seed");
    OptimConfig optim = optim(r);
    int patience = r.integer("train.early-stopping.patience");
    double minDelta = r.number("train.early-stopping.min-delta");
    boolean restoreBest = r.bool("train.early-stopping.restore-best");
    String needs = " needs validation data: set data.validation.path or data.validation-fraction > 0";
    if (patience > 0 && !hasValidation) {
      throw r.conflict(List.of("train.early-stopping.patience", "data.validation-fraction"),
          "train.early-stopping.patience = " + patience + needs);
    }
    if (optim.schedule().kind() == ScheduleKind.PLATEAU && !hasValidation) {
      throw r.conflict(List.of(SCHED + "type", "data.validation-fraction"),
          "train.schedule.type = plateau" + needs);
    }
    return new TrainSettings(epochs, batchSize, seed, optim, patience, minDelta, restoreBest,
        r.string("train.storage-level"), r.integer("train.tree-depth"));
  }

  private static OptimConfig optim(ConfigReader r) {
    OptimizerKind kind = OptimizerKind.parse(r.string(OPT + "type"));
    ScheduleKind scheduleKind = ScheduleKind.parse(r.string(SCHED + "type"));
    Double weightDecay = r.number(OPT + "weight-decay");
    if (weightDecay == null) {
      weightDecay = defaultWeightDecay(kind);
    }
    try {
      ScheduleConfig schedule = new ScheduleConfig(scheduleKind,
          r.integer(SCHED + "step-size"), f(r, SCHED + "gamma"),
          r.integer(SCHED + "warmup-steps"), f(r, SCHED + "min-learning-rate"),
          f(r, SCHED + "factor"), r.integer(SCHED + "patience"), f(r, SCHED + "threshold"),
          f(r, SCHED + "min-lr"));
      return new OptimConfig(kind, f(r, OPT + "learning-rate"),
          f(r, OPT + "momentum"), f(r, OPT + "beta1"), f(r, OPT + "beta2"), f(r, OPT + "rho"),
          f(r, OPT + "epsilon"), f(r, OPT + "l2"), weightDecay.floatValue(),
          r.bool(OPT + "decay-biases"), f(r, OPT + "clip-norm"), schedule);
    } catch (ConfigError e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw translate(r, e);
    }
  }

  /** The weight decay of {@code kind} when {@code train.optimizer.weight-decay} is not set. */
  static double defaultWeightDecay(OptimizerKind kind) {
    return kind == OptimizerKind.ADAMW
        ? Double.parseDouble(Float.toString(OptimConfig.DEFAULT_ADAMW_WEIGHT_DECAY)) : 0.0;
  }

  private static float f(ConfigReader r, String key) {
    return r.number(key).floatValue();
  }

  /**
   * {@code e}'s message with record field names replaced by configuration keys, attributed to the
   * first key it names.
   */
  static ConfigError translate(ConfigReader r, IllegalArgumentException e) {
    String msg = String.valueOf(e.getMessage());
    Matcher m = FIELD.matcher(msg);
    StringBuilder sb = new StringBuilder();
    String first = null;
    while (m.find()) {
      String key = FIELD_KEYS.get(m.group(1));
      first = first == null ? key : first;
      m.appendReplacement(sb, Matcher.quoteReplacement(key));
    }
    m.appendTail(sb);
    String text = sb.toString().replaceFirst("^schedule ", "");
    return first == null ? new ConfigError(r.file(), null, "train.optimizer: " + text)
        : r.error(first, text);
  }
}
