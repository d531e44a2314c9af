package io.sparkmlp.ml;

import com.typesafe.config.ConfigUtil;
import io.sparkmlp.jobs.config.ConfigKey;
import io.sparkmlp.jobs.config.KeyRegistry;
import io.sparkmlp.jobs.config.ValueRange;
import io.sparkmlp.model.Activation;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

/**
 * The training Params of the Spark ML estimators, derived from the configuration keys of
 * {@link KeyRegistry}: each Param is named after its key (camel case, without the {@code train.},
 * {@code network.} or {@code data.} section) and takes the key's type, documentation, default and
 * range or choices, so a key's default and validation are written once, in the registry. The values
 * become {@code --set}-style overrides ({@link #overrides}) that go through the command line's own
 * configuration loader when an estimator fits, so combinations of keys are checked as for a job.
 */
public final class ConfigParams {
  private ConfigParams() {}

  /** Param name to configuration key, in the order the Params are listed. */
  public static final Map<String, String> KEYS = keys();

  private static Map<String, String> keys() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("hidden", "network.hidden");
    m.put("activation", "network.activation");
    m.put("dropout", "network.dropout");
    m.put("init", "network.init");
    m.put("epochs", "train.epochs");
    m.put("batchSize", "train.batch-size");
    m.put("seed", "train.seed");
    m.put("storageLevel", "train.storage-level");
    m.put("treeDepth", "train.tree-depth");
    m.put("progressInterval", "train.progress-interval");
    m.put("syncEvery", "train.sync-every");
    m.put("outerOptimizer", "train.outer-optimizer");
    m.put("outerLr", "train.outer-lr");
    m.put("outerMomentum", "train.outer-momentum");
    m.put("transferPrecision", "train.transfer-precision");
    m.put("roundTransport", "train.round-transport");
    m.put("optimizer", "train.optimizer.type");
    m.put("learningRate", "train.optimizer.learning-rate");
    m.put("momentum", "train.optimizer.momentum");
    m.put("beta1", "train.optimizer.beta1");
    m.put("beta2", "train.optimizer.beta2");
    m.put("rho", "train.optimizer.rho");
    m.put("epsilon", "train.optimizer.epsilon");
    m.put("l2", "train.optimizer.l2");
    m.put("weightDecay", "train.optimizer.weight-decay");
    m.put("decayBiases", "train.optimizer.decay-biases");
    m.put("clipNorm", "train.optimizer.clip-norm");
    m.put("schedule", "train.schedule.type");
    m.put("stepSize", "train.schedule.step-size");
    m.put("gamma", "train.schedule.gamma");
    m.put("warmupSteps", "train.schedule.warmup-steps");
    m.put("minLearningRate", "train.schedule.min-learning-rate");
    m.put("factor", "train.schedule.factor");
    m.put("schedulePatience", "train.schedule.patience");
    m.put("scheduleThreshold", "train.schedule.threshold");
    m.put("minLr", "train.schedule.min-lr");
    m.put("earlyStoppingPatience", "train.early-stopping.patience");
    m.put("earlyStoppingMinDelta", "train.early-stopping.min-delta");
    m.put("earlyStoppingRestoreBest", "train.early-stopping.restore-best");
    m.put("validationFraction", "data.validation-fraction");
    m.put("standardize", "data.standardize");
    m.put("invalidRows", "data.invalid-rows");
    m.put("partitions", "data.partitions");
    m.put("shuffle", "data.shuffle");
    m.put("weightCol", "data.train.weight-column");
    m.put("checkpointPath", "checkpoint.path");
    m.put("checkpointEverySteps", "checkpoint.every-steps");
    m.put("checkpointEveryEpoch", "checkpoint.every-epoch");
    m.put("checkpointKeep", "checkpoint.keep");
    m.put("checkpointResume", "checkpoint.resume");
    m.put("checkpointForce", "checkpoint.force");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The registry key of the Param {@code name}. */
  public static ConfigKey key(String name) {
    String path = KEYS.get(name);
    if (path == null) {
      throw new IllegalArgumentException("no configuration key for Param " + name);
    }
    return KeyRegistry.get(path);
  }

  /** The string Param {@code name} of {@code owner} (a string or choice key). */
  @SuppressWarnings("unchecked")
  public static Param<String> stringParam(Params owner, String name) {
    return (Param<String>) (Param<?>) param(owner, name);
  }

  /** The Param {@code name} of {@code owner}, typed by its key. */
  @SuppressWarnings("unchecked")
  public static Param<Object> param(Params owner, String name) {
    ConfigKey k = key(name);
    String doc = k.description() + " (configuration key " + k.path() + ")";
    ValueRange r = k.range();
    Param<?> p = switch (k.type()) {
      case INT -> new IntParam(owner, name, doc, range(r));
      case LONG -> new LongParam(owner, name, doc, range(r));
      case DOUBLE -> new DoubleParam(owner, name, doc, range(r));
      case BOOLEAN -> new BooleanParam(owner, name, doc);
      case INT_LIST -> new IntArrayParam(owner, name, doc, new ElementsIn(r));
      case CHOICE -> new Param<String>(owner, name, doc, new OneOf(k.choices()));
      case STRING -> new Param<String>(owner, name, doc, name.equals("activation")
          ? new TrainableActivation() : new NonBlank());
      default -> throw new IllegalStateException("no Param type for " + k.path() + " of type "
          + k.type());
    };
    return (Param<Object>) p;
  }

  /**
   * The key's default as the Param's value (an {@code int[]} for integer lists), or null for a
   * key without a default.
   */
  public static Object defaultValue(String name) {
    ConfigKey k = key(name);
    Object v = k.defaultValue();
    if (v == null) {
      return null;
    }
    return switch (k.type()) {
      case INT -> ((Number) v).intValue();
      case LONG -> ((Number) v).longValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case INT_LIST -> ((List<?>) v).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
      default -> v;
    };
  }

  /** Sets every Param's default from its key (keys without a default stay unset). */
  public static void setDefaults(Params owner) {
    for (String name : KEYS.keySet()) {
      Object v = defaultValue(name);
      if (v != null) {
        owner.setDefault(param(owner, name), v);
      }
    }
  }

  /**
   * {@code key=value} overrides, as {@code --set} takes them, for every training Param of
   * {@code owner} that has a value (set or default).
   */
  public static List<String> overrides(Params owner) {
    return KEYS.keySet().stream()
        .filter(name -> owner.isDefined(param(owner, name)))
        .map(name -> KEYS.get(name) + "=" + hocon(key(name), owner.getOrDefault(param(owner, name))))
        .collect(Collectors.toList());
  }

  private static String hocon(ConfigKey k, Object v) {
    if (v instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (k.type() == ConfigKey.Type.STRING || k.type() == ConfigKey.Type.CHOICE) {
      return ConfigUtil.quoteString(v.toString());
    }
    return v.toString();
  }

  private static <T> scala.Function1<T, Object> range(ValueRange r) {
    return r == null ? new Always<>()
        : ParamValidators.inRange(r.min(), r.max(), r.minInclusive(), r.maxInclusive());
  }

  /** Any value (a key without a range). */
  private static final class Always<T> extends AbstractFunction1<T, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(T v) {
      return Boolean.TRUE;
    }
  }

  /** Every element of an integer list in the key's range. */
  private static final class ElementsIn extends AbstractFunction1<int[], Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ValueRange range;

    ElementsIn(ValueRange range) {
      this.range = range;
    }

    @Override
    public Object apply(int[] v) {
      return v != null && Arrays.stream(v).allMatch(x -> range == null || range.contains(x));
    }
  }

  /** One of the key's choices, case-insensitively (as the configuration reads them). */
  private static final class OneOf extends AbstractFunction1<String, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final List<String> choices;

    OneOf(List<String> choices) {
      this.choices = List.copyOf(choices);
    }

    @Override
    public Object apply(String v) {
      return v != null && choices.stream().anyMatch(c -> c.equalsIgnoreCase(v));
    }
  }

  /** A non-blank string. */
  private static final class NonBlank extends AbstractFunction1<String, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(String v) {
      return v != null && !v.isBlank();
    }
  }

  /** An activation the trainer can train with, parsed as the configuration parses it. */
  private static final class TrainableActivation extends AbstractFunction1<String, Object>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object apply(String v) {
      try {
        return v != null && Activation.parse(v).differentiable();
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
  }
}
