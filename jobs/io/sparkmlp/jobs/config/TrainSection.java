package io.sparkmlp.jobs.config;

import io.sparkmlp.model.InvalidSettingException;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.ScheduleConfig;
import io.sparkmlp.model.optim.ScheduleKind;
import io.sparkmlp.trainer.SyncSettings;
import io.sparkmlp.trainer.TrainerConfig;
import io.sparkmlp.trainer.RoundTransport;
import io.sparkmlp.trainer.TransferPrecision;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads the {@code train} section. The optimizer and schedule are built as {@link OptimConfig} and
 * {@link ScheduleConfig}, whose own validation runs too; an {@link InvalidSettingException} they
 * raise names record fields ({@code learningRate}, {@code schedule.minLearningRate}), which are
 * the keys' last segments in camel case, so it is re-thrown naming the configuration keys
 * ({@code train.optimizer.learning-rate}, {@code train.schedule.min-learning-rate}).
 */
final class TrainSection {
  private TrainSection() {}

  private static final String OPT = "train.optimizer.";
  private static final String SCHED = "train.schedule.";

  /**
   * Reads and validates the section into a trainer configuration builder (the network, data and
   * checkpoint settings are set by the caller).
   *
   * @param hasValidation whether the job has validation data (needed by early stopping and the
   *                      plateau schedule)
   * @throws ConfigError naming the offending key
   */
  static TrainerConfig.Builder read(ConfigReader r, boolean hasValidation) {
    TrainerConfig.Builder b = TrainerConfig.builder(null)
        .epochs(r.integer("train.epochs"))
        .batchSize(r.integer("train.batch-size"))
        .seed(r.longInteger("train.seed"));
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
    TransferPrecision precision = TransferPrecision.parse(r.string("train.transfer-precision"));
    int syncEvery = r.integer("train.sync-every");
    if (precision != TransferPrecision.FLOAT32 && syncEvery != 1) {
      throw r.conflict(List.of("train.transfer-precision", "train.sync-every"),
          "train.transfer-precision = " + precision + " needs train.sync-every = 1, got "
          + syncEvery + " (local-SGD rounds ship weights and optimizer state in float32)");
    }
    return b.optim(optim)
        .earlyStopping(patience, minDelta, restoreBest)
        .storageLevel(r.string("train.storage-level"))
        .treeDepth(r.integer("train.tree-depth"))
        .progressIntervalSeconds(r.number("train.progress-interval"))
        .sync(new SyncSettings(syncEvery,
            SyncSettings.Outer.parse(r.string("train.outer-optimizer")),
            f(r, "train.outer-lr"), f(r, "train.outer-momentum")))
        .transferPrecision(precision)
        .roundTransport(RoundTransport.parse(r.string("train.round-transport")));
  }

  private static OptimConfig optim(ConfigReader r) {
    OptimizerKind kind = OptimizerKind.parse(r.string(OPT + "type"));
    ScheduleKind scheduleKind = ScheduleKind.parse(r.string(SCHED + "type"));
    Double weightDecay = r.number(OPT + "weight-decay");
    if (weightDecay == null) {
      weightDecay = defaultWeightDecay(kind);
    }
    ScheduleConfig schedule;
    try {
      schedule = new ScheduleConfig(scheduleKind,
          r.integer(SCHED + "step-size"), f(r, SCHED + "gamma"),
          r.integer(SCHED + "warmup-steps"), f(r, SCHED + "min-learning-rate"),
          f(r, SCHED + "factor"), r.integer(SCHED + "patience"), f(r, SCHED + "threshold"),
          f(r, SCHED + "min-lr"));
    } catch (InvalidSettingException e) {
      throw translate(r, e, SCHED);
    }
    try {
      return OptimConfig.builder(kind, f(r, OPT + "learning-rate"))
          .momentum(f(r, OPT + "momentum")).beta1(f(r, OPT + "beta1"))
          .beta2(f(r, OPT + "beta2")).rho(f(r, OPT + "rho")).epsilon(f(r, OPT + "epsilon"))
          .l2(f(r, OPT + "l2")).weightDecay(weightDecay.floatValue())
          .decayBiases(r.bool(OPT + "decay-biases")).clipNorm(f(r, OPT + "clip-norm"))
          .schedule(schedule).build();
    } catch (InvalidSettingException e) {
      throw translate(r, e, OPT);
    }
  }

  /** The weight decay of {@code kind} when {@code train.optimizer.weight-decay} is not set. */
  static double defaultWeightDecay(OptimizerKind kind) {
    return kind == OptimizerKind.ADAMW
        ? KeyRegistry.decimal(OptimConfig.DEFAULT_ADAMW_WEIGHT_DECAY) : 0.0;
  }

  private static float f(ConfigReader r, String key) {
    return r.number(key).floatValue();
  }

  /**
   * {@code e} naming configuration keys, attributed to the first: a setting {@code x} of the
   * record read from {@code section} is the key {@code section + kebab(x)}, a setting
   * {@code schedule.x} of the optimizer is {@code train.schedule.<kebab(x)>}.
   */
  static ConfigError translate(ConfigReader r, InvalidSettingException e, String section) {
    UnaryOperator<String> key = setting -> setting.startsWith("schedule.")
        ? SCHED + KeyRegistry.kebab(setting.substring("schedule.".length())) : section + KeyRegistry.kebab(setting);
    return r.error(KeyRegistry.get(key.apply(e.settings().get(0))).path(), e.message(key));
  }

}
